using System;

namespace ProfileJobs.Connection
{
    /// <summary>
    /// Whether a session may still send, and when its HTTP resources can go: after Disconnect nothing new starts,
    /// and the resources are released once the requests already on their way have ended.
    /// </summary>
    internal sealed class ConnectionLifetime
    {
        private readonly object _gate = new object();
        private readonly string _description;
        private Action? _release;
        private int _inFlight;
        private volatile bool _disconnected;

        public ConnectionLifetime(string description) => _description = description;

        public bool IsDisconnected => _disconnected;

        /// <summary>Set once: what releases the session's resources.</summary>
        public void OnRelease(Action release) => _release = release;

        /// <summary>Counts a request in; refuses with ContextDisconnected once disconnected.</summary>
        public IDisposable Enter()
        {
            lock (_gate)
            {
                ThrowIfDisconnected();
                _inFlight++;
            }
            return new Lease(this);
        }

        public void ThrowIfDisconnected()
        {
            if (_disconnected) throw Disconnected();
        }

        public PlatformApiException Disconnected() =>
            new PlatformApiException(PlatformErrorKind.Disconnected,
                $"The context for {_description} was disconnected with Disconnect-ExperiencePlatform, so nothing more is sent with it. Connect again.",
                errorId: ErrorIds.ContextDisconnected);

        public void Disconnect()
        {
            Action? release;
            lock (_gate)
            {
                if (_disconnected) return;
                _disconnected = true;
                release = _inFlight == 0 ? _release : null;
            }
            release?.Invoke();
        }

        private void Exit()
        {
            Action? release;
            lock (_gate)
            {
                _inFlight--;
                release = _disconnected && _inFlight == 0 ? _release : null;
            }
            release?.Invoke();
        }

        private sealed class Lease : IDisposable
        {
            private ConnectionLifetime? _owner;
            public Lease(ConnectionLifetime owner) => _owner = owner;

            public void Dispose()
            {
                _owner?.Exit();
                _owner = null;
            }
        }
    }
}
