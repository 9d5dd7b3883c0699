using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using ProfileJobs.Http;

namespace ProfileJobs.Infrastructure
{
    /// <summary>
    /// Base of every command that does I/O: owns the cancellation token that Ctrl+C cancels, and runs the async
    /// client on worker threads while everything it writes (objects, progress, verbose, debug) is marshalled back
    /// to the pipeline thread, the only thread PowerShell lets write.
    /// </summary>
    public abstract class PlatformCmdlet : PSCmdlet, IDisposable
    {
        private const int MaxQueuedWrites = 1024;

        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private readonly BlockingCollection<Action> _pipelineWrites = new BlockingCollection<Action>(MaxQueuedWrites);
        private CancellationToken _operationToken;
        private bool? _verbose;
        private bool? _debug;

        protected CancellationToken StopToken => _stopping.Token;

        protected override void StopProcessing() => _stopping.Cancel();

        public void Dispose()
        {
            _stopping.Dispose();
            _pipelineWrites.Dispose();
        }

        /// <summary>
        /// Runs <paramref name="operation"/> off the pipeline thread and pumps its writes until it completes.
        /// Ctrl+C cancels it and stops the pipeline; if a write fails (say, downstream stopped), the operation is cancelled.
        /// </summary>
        internal T Await<T>(Func<CancellationToken, Task<T>> operation)
        {
            _verbose ??= PreferenceEnabled("Verbose", "VerbosePreference");
            _debug ??= PreferenceEnabled("Debug", "DebugPreference");
            using var operationStop = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            _operationToken = operationStop.Token;
            Action completed = () => { };
            Task<T> task;
            using (OperationScope.Begin(new PipelineLog(this)))
            {
                task = Task.Run(() => operation(operationStop.Token), operationStop.Token);
            }
            task.ContinueWith(_ => _pipelineWrites.Add(completed), TaskScheduler.Default);

            try
            {
                while (true)
                {
                    var write = _pipelineWrites.Take();
                    if (ReferenceEquals(write, completed)) break;
                    write();
                }
            }
            catch
            {
                // A write failed (typically the pipeline is stopping): stop the operation and let it finish,
                // discarding what it still wanted to write, so no worker is left blocked on a full queue.
                operationStop.Cancel();
                var giveUpAt = DateTime.UtcNow.AddSeconds(5);
                while (!task.IsCompleted && DateTime.UtcNow < giveUpAt) _pipelineWrites.TryTake(out _, 10);
                throw;
            }

            try
            {
                return task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        internal void Await(Func<CancellationToken, Task> operation) =>
            Await<bool>(async token =>
            {
                await operation(token).ConfigureAwait(false);
                return true;
            });

        /// <summary>Queues a write for the pipeline thread; waits while too many are queued, so memory stays bounded.</summary>
        internal void Post(Action write) => _pipelineWrites.Add(write, _operationToken);

        /// <summary>The AWS Tools' rule: -WhatIf wins, then -Force skips the prompt, then ShouldProcess decides.</summary>
        protected bool ShouldProceed(bool force, string target, string action)
        {
            if (force && !WhatIfRequested) return true;
            return ShouldProcess(target, action);
        }

        internal void WriteApiError(PlatformApiException exception, object? target, string? errorId = null) =>
            WriteError(PlatformErrors.From(exception, target, errorId));

        private bool WhatIfRequested =>
            MyInvocation.BoundParameters.TryGetValue("WhatIf", out var value)
                ? value is SwitchParameter s && s.IsPresent
                : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));

        /// <summary>
        /// What the HTTP handlers write to. A separate object, not an interface of this class: PowerShell loads every
        /// public type of the module before the dependency resolver is registered, so public types must not name
        /// ProfileJobs.Client types in their base types or value-type fields.
        /// </summary>
        private sealed class PipelineLog : IOperationLog
        {
            private readonly PlatformCmdlet _cmdlet;

            public PipelineLog(PlatformCmdlet cmdlet) => _cmdlet = cmdlet;

            // Read on worker threads: computed on the pipeline thread when the operation started.
            public bool IsVerboseEnabled => _cmdlet._verbose == true || _cmdlet._debug == true;
            public bool IsDebugEnabled => _cmdlet._debug == true;
            public void WriteVerbose(string text) => _cmdlet.Post(() => _cmdlet.WriteVerbose(text));
            public void WriteDebug(string text) => _cmdlet.Post(() => _cmdlet.WriteDebug(text));
        }

        private bool PreferenceEnabled(string switchName, string preferenceVariable)
        {
            if (MyInvocation.BoundParameters.TryGetValue(switchName, out var value)) return value is SwitchParameter s && s.IsPresent;
            var preference = GetVariableValue(preferenceVariable);
            return preference is ActionPreference p && p != ActionPreference.SilentlyContinue && p != ActionPreference.Ignore;
        }
    }
}
