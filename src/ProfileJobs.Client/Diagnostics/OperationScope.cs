using System;
using System.Threading;

namespace ProfileJobs.Diagnostics
{
    /// <summary>Where the HTTP pipeline reports what it does, for the command that is running now.</summary>
    internal interface IOperationLog
    {
        bool IsVerboseEnabled { get; }
        bool IsDebugEnabled { get; }
        void WriteVerbose(string text);
        void WriteDebug(string text);
    }

    /// <summary>
    /// Carries the running command's <see cref="IOperationLog"/> through async calls into the HTTP handlers,
    /// so handlers never need a reference to a cmdlet.
    /// </summary>
    internal static class OperationScope
    {
        private static readonly AsyncLocal<IOperationLog?> CurrentLog = new AsyncLocal<IOperationLog?>();

        public static IOperationLog? Current => CurrentLog.Value;

        public static IDisposable Begin(IOperationLog log)
        {
            var previous = CurrentLog.Value;
            CurrentLog.Value = log;
            return new Restore(previous);
        }

        private sealed class Restore : IDisposable
        {
            private readonly IOperationLog? _previous;
            public Restore(IOperationLog? previous) => _previous = previous;
            public void Dispose() => CurrentLog.Value = _previous;
        }
    }
}
