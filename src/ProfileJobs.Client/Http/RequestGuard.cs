using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using ProfileJobs.Connection;

namespace ProfileJobs.Http
{
    /// <summary>
    /// The checks every request passes before a credential is attached and again right before it goes on the wire
    /// (every attempt, retry and replay): its session is still connected, and it goes to the origin (scheme, host,
    /// port) the session was configured with, never anywhere else.
    /// </summary>
    internal sealed class RequestGuard
    {
        private readonly Uri _origin;
        private readonly ConnectionLifetime _lifetime;

        public RequestGuard(Uri origin, ConnectionLifetime lifetime)
        {
            _origin = origin;
            _lifetime = lifetime;
        }

        public void Check(HttpRequestMessage request)
        {
            _lifetime.ThrowIfDisconnected();
            var target = request.RequestUri;
            if (target == null || !target.IsAbsoluteUri || !SameOrigin(target, _origin))
            {
                throw new PlatformApiException(PlatformErrorKind.OriginRefused,
                    $"Refused to send {request.Method} {RequestMetadata.PathOf(request)} to {Origin(target)}: this connection sends requests and credentials only to {Origin(_origin)}.",
                    errorId: ErrorIds.ForeignOrigin);
            }
        }

        internal static bool SameOrigin(Uri a, Uri b) =>
            string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase) &&
            string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase) &&
            a.Port == b.Port;

        private static string Origin(Uri? uri) => uri == null || !uri.IsAbsoluteUri ? "(no address)" : $"{uri.Scheme}://{uri.Authority}";
    }

    /// <summary>The innermost handler: <see cref="RequestGuard.Check"/> on each request right before it is sent.</summary>
    internal sealed class RequestGuardHandler : DelegatingHandler
    {
        private readonly RequestGuard _guard;

        public RequestGuardHandler(RequestGuard guard) => _guard = guard;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            try
            {
                _guard.Check(request);
            }
            catch (PlatformApiException refused)
            {
                return Task.FromException<HttpResponseMessage>(refused);
            }
            return base.SendAsync(request, cancellationToken);
        }
    }
}
