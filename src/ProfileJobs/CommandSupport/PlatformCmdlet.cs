using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using ProfileJobs.Diagnostics;
using ProfileJobs.Submissions;

namespace ProfileJobs.CommandSupport
{
    /// <summary>
    /// Base of every command that does I/O: owns the cancellation token that Ctrl+C cancels, runs the async client on
    /// worker threads while everything it writes (objects, progress, verbose, debug) is marshalled back to the pipeline
    /// thread, the only thread PowerShell lets write, and makes sure that whatever the platform accepted is written or,
    /// if the command stops first, named in a warning (<see cref="UnreportedJobs"/>).
    /// </summary>
    public abstract class PlatformCmdlet : PSCmdlet, IDisposable
    {
        private const int MaxQueuedWrites = 1024;

        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private readonly CancellationTokenSource _abandoned = new CancellationTokenSource();
        private readonly BlockingCollection<Action> _pipelineWrites = new BlockingCollection<Action>(MaxQueuedWrites);
        private readonly UnreportedJobs _unreported = new UnreportedJobs();
        private Work<bool>? _background;
        private bool? _verbose;
        private bool? _debug;

        protected CancellationToken StopToken => _stopping.Token;

        internal UnreportedJobs Unreported => _unreported;

        protected override void StopProcessing() => _stopping.Cancel();

        // The step delegates are made once: a method group converted per call is a new delegate for every input record.
        private Action? _processStep;

        protected sealed override void ProcessRecord() => ReportingUnwritten(_processStep ??= OnProcessRecord);

        protected sealed override void EndProcessing() => ReportingUnwritten(OnEndProcessing);

        /// <summary>The command's ProcessRecord.</summary>
        protected virtual void OnProcessRecord()
        {
        }

        /// <summary>The command's EndProcessing.</summary>
        protected virtual void OnEndProcessing()
        {
        }

        public void Dispose()
        {
            // The last chance, for a pipeline that stopped while this command was not running (say, Ctrl+C while
            // an upstream command ran): the host's own warning line still reaches the user.
            StopBackground();
            ReportUnwritten();
            _stopping.Dispose();
            _abandoned.Dispose();
            _pipelineWrites.Dispose();
        }

        /// <summary>
        /// Runs <paramref name="operation"/> off the pipeline thread and pumps its writes until it completes.
        /// Ctrl+C cancels it and stops the pipeline; if a write fails (an -ErrorAction Stop error, a downstream stop),
        /// the operation is cancelled and let finish; what it had not written stays in <see cref="Unreported"/>.
        /// </summary>
        internal T Await<T>(Func<CancellationToken, Task<T>> operation) => Await((stop, _) => operation(stop));

        /// <summary>
        /// As <see cref="Await{T}(Func{CancellationToken, Task{T}})"/>, for operations that send many requests: when a
        /// write fails, the first token (stop sending) is cancelled at once while requests already on their way get a
        /// few seconds to be answered (so what the platform accepted can be named); the second (abort) follows, and
        /// Ctrl+C cancels both at once. Single-token operations get the first.
        /// </summary>
        internal T Await<T>(Func<CancellationToken, CancellationToken, Task<T>> operation)
        {
            using var work = Start(operation);
            PumpWrites(work, untilDone: true);
            return work.Result();
        }

        /// <summary>
        /// Starts an operation that runs while the command still reads its input (the command's ProcessRecord calls
        /// <see cref="PumpBackgroundWrites"/> between records and <see cref="FinishBackground"/> at the end). One per command;
        /// if the command stops before it finishes, the operation is stopped as <see cref="Await{T}(Func{CancellationToken, CancellationToken, Task{T}})"/>
        /// stops one, and what it had not written is named.
        /// </summary>
        internal void StartInBackground(Func<CancellationToken, CancellationToken, Task> operation)
        {
            if (_background != null) throw new InvalidOperationException("A background operation is already running.");
            _background = Start<bool>(async (stopSending, abort) =>
            {
                await operation(stopSending, abort).ConfigureAwait(false);
                return true;
            });
        }

        /// <summary>Whether the background operation has ended (its last write may still be queued).</summary>
        internal bool BackgroundEnded => _background?.Task.IsCompleted == true;

        /// <summary>Writes what the background operation queued, without waiting for more.</summary>
        internal void PumpBackgroundWrites()
        {
            // Called between input records: when nothing is queued, return before taking from the queue.
            if (_background != null && _pipelineWrites.Count > 0) PumpWrites(_background, untilDone: false);
        }

        /// <summary>Pumps the background operation's writes until it ends, then returns (or throws) as it ended.</summary>
        internal void FinishBackground()
        {
            if (_background == null) return;
            using var work = _background;
            PumpWrites(work, untilDone: true);
            _background = null;
            work.Result();
        }

        private Work<T> Start<T>(Func<CancellationToken, CancellationToken, Task<T>> operation)
        {
            _verbose ??= PreferenceEnabled("Verbose", "VerbosePreference");
            if (_debug == null)
            {
                _debug = PreferenceEnabled("Debug", "DebugPreference");
                if (MyInvocation.BoundParameters.ContainsKey("Debug")) DebugWithoutInquiry();
            }
            var work = new Work<T>(_stopping.Token);
            using (OperationScope.Begin(new PipelineLog(this)))
            {
                work.Task = Task.Run(() => operation(work.StopSending.Token, work.Abort.Token), work.Abort.Token);
            }
            work.Task.ContinueWith(_ => _pipelineWrites.Add(work.Completed), TaskScheduler.Default);
            return work;
        }

        /// <summary>
        /// Runs the writes the operation queued (all of them until it completes, or only those queued now). If a write
        /// fails (an -ErrorAction Stop error, a downstream stop), the operation is stopped and let finish, discarding
        /// what it still wanted to write (it noted what the platform accepted as it learned it), so no worker is left
        /// blocked on a full queue.
        /// </summary>
        private void PumpWrites(Work work, bool untilDone)
        {
            try
            {
                while (!work.CompletedSeen)
                {
                    Action write;
                    if (untilDone) write = _pipelineWrites.Take();
                    else if (!_pipelineWrites.TryTake(out write)) return;
                    if (ReferenceEquals(write, work.Completed)) work.CompletedSeen = true;
                    else write();
                }
            }
            catch
            {
                Stop(work);
                throw;
            }
        }

        private void Stop(Work work)
        {
            work.StopSending.Cancel();
            DiscardWritesUntil(work.Task, TimeSpan.FromSeconds(5));
            work.Abort.Cancel();
            DiscardWritesUntil(work.Task, TimeSpan.FromSeconds(5));
            if (!work.Task.IsCompleted) _abandoned.Cancel();
            while (_pipelineWrites.TryTake(out _)) { }
            work.CompletedSeen = true;
        }

        /// <summary>Stops a background operation the command is leaving behind (it stopped, or failed, mid-input).</summary>
        private void StopBackground()
        {
            var work = _background;
            _background = null;
            if (work == null) return;
            if (!work.CompletedSeen) Stop(work);
            work.Dispose();
        }

        private abstract class Work : IDisposable
        {
            protected Work(CancellationToken stopping)
            {
                Abort = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                StopSending = CancellationTokenSource.CreateLinkedTokenSource(Abort.Token);
            }

            public CancellationTokenSource Abort { get; }
            public CancellationTokenSource StopSending { get; }
            public Task Task { get; set; } = System.Threading.Tasks.Task.CompletedTask;

            /// <summary>The marker queued after the operation's last write.</summary>
            public Action Completed { get; } = () => { };

            public bool CompletedSeen { get; set; }

            public void Dispose()
            {
                StopSending.Dispose();
                Abort.Dispose();
            }
        }

        private sealed class Work<T> : Work
        {
            private readonly CancellationToken _stopping;

            public Work(CancellationToken stopping) : base(stopping) => _stopping = stopping;

            public T Result()
            {
                try
                {
                    return ((Task<T>)Task).GetAwaiter().GetResult();
                }
                catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
                {
                    throw new PipelineStoppedException();
                }
            }
        }

        internal void Await(Func<CancellationToken, CancellationToken, Task> operation) =>
            Await<bool>(async (stopSending, abort) =>
            {
                await operation(stopSending, abort).ConfigureAwait(false);
                return true;
            });

        internal void Await(Func<CancellationToken, Task> operation) => Await((stop, _) => operation(stop));

        /// <summary>
        /// Queues a write for the pipeline thread; waits while too many are queued, so memory stays bounded. Not
        /// cancelled by a stop: the pump takes (or discards) every write until the operation is over.
        /// </summary>
        internal void Post(Action write) => _pipelineWrites.Add(write, _abandoned.Token);

        private void DiscardWritesUntil(Task task, TimeSpan limit)
        {
            var giveUpAt = DateTime.UtcNow + limit;
            while (!task.IsCompleted && DateTime.UtcNow < giveUpAt) _pipelineWrites.TryTake(out _, 10);
        }

        /// <summary>The AWS Tools' rule: -WhatIf wins, then -Force skips the prompt, then ShouldProcess decides.</summary>
        protected bool ShouldProceed(bool force, string target, string action)
        {
            if (force && !WhatIfRequested) return true;
            return ShouldProcess(target, action);
        }

        internal void WriteApiError(PlatformApiException exception, object? target) =>
            WriteError(PlatformErrors.From(exception, target));

        /// <summary>
        /// How every create's outcome is written: its error, or its warning (answer lost, job found), its verbose line
        /// and what it created (unless <paramref name="hold"/>: kept, as -Wait does, and still noted as unwritten).
        /// <paramref name="key"/> is its entry in <see cref="Unreported"/>; <paramref name="describe"/> names what was created.
        /// </summary>
        internal T? WriteOutcome<T>(SubmissionOutcome<T> outcome, string key, object? target, Func<T, string> describe, bool hold = false)
            where T : class
        {
            var created = outcome.Created;
            if (created == null)
            {
                WriteApiError(outcome.Failure!, target);
                Unreported.Resolved(key);
                return null;
            }
            Unreported.Accepted(key, () => describe(created));
            if (outcome.Failure != null) WriteApiError(outcome.Failure, target);
            if (outcome.Warning != null) WriteWarning(outcome.Warning);
            if (outcome.Report != null) WriteVerbose(outcome.Report);
            if (!hold)
            {
                WriteObject(created, enumerateCollection: true);
                Unreported.Resolved(key);
            }
            return created;
        }

        /// <summary>Writes a job that may have been held as accepted (see <see cref="WriteOutcome"/>), clearing its entry.</summary>
        internal void WriteJob(object job, string key)
        {
            WriteObject(job);
            Unreported.Resolved(key);
        }

        /// <summary>Runs a step of the command; if it ends in any exception, what is still unwritten is named first.</summary>
        private void ReportingUnwritten(Action step)
        {
            try
            {
                step();
            }
            catch
            {
                StopBackground();
                ReportUnwritten();
                throw;
            }
        }

        /// <summary>
        /// Names what is left unwritten in a warning: in the warning stream while it can still be written (after an
        /// -ErrorAction Stop error it can), on the host otherwise (once the pipeline is stopping, nothing else is heard).
        /// </summary>
        private void ReportUnwritten()
        {
            var report = _unreported.TakeReport();
            if (report == null) return;
            try
            {
                WriteWarning(report);
            }
            catch (Exception)
            {
                try
                {
                    Host?.UI?.WriteWarningLine(report);
                }
                catch (Exception)
                {
                    // Nothing else can carry it; the host is gone.
                }
            }
        }

        private protected bool WhatIfRequested =>
            MyInvocation.BoundParameters.TryGetValue("WhatIf", out var value)
                ? value is SwitchParameter s && s.IsPresent
                : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));

        /// <summary>
        /// What the HTTP handlers write to. A separate object, not an interface of this class: PowerShell loads every
        /// public type of the module before the dependency resolver is registered, so public types must not name
        /// ProfileJobs.Client types in their base types, interfaces or signatures.
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

        /// <summary>
        /// -Debug on a compiled cmdlet leaves the command runtime's verbose preference at Inquire (pwsh 7.6; in Windows
        /// PowerShell the debug one too), so every WriteVerbose, one per HTTP exchange here, asked "Continue with this
        /// operation?". The runtime is told what -Verbose tells it (and a debug preference of Inquire becomes Continue,
        /// as -Debug means in PowerShell 7). There is no public API for it: on a runtime other than the engine's own,
        /// nothing changes.
        /// </summary>
        private void DebugWithoutInquiry()
        {
            var runtime = CommandRuntime;
            if (runtime == null) return;
            const BindingFlags members = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;
            try
            {
                if (!MyInvocation.BoundParameters.ContainsKey("Verbose") && ReadPreference(runtime, "VerbosePreference") == ActionPreference.Inquire)
                {
                    runtime.GetType().GetProperty("Verbose", members)?.SetValue(runtime, true);
                }
                if (ReadPreference(runtime, "DebugPreference") == ActionPreference.Inquire)
                {
                    var debug = runtime.GetType().GetProperty("DebugPreference", members);
                    if (debug?.SetMethod != null) debug.SetValue(runtime, ActionPreference.Continue);
                }
            }
            catch (Exception ex) when (ex is TargetInvocationException || ex is MemberAccessException || ex is ArgumentException)
            {
                // Left as the engine decided.
            }
        }

        private static ActionPreference? ReadPreference(ICommandRuntime runtime, string name) =>
            runtime.GetType().GetProperty(name, BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)?.GetValue(runtime) as ActionPreference?;

        private bool PreferenceEnabled(string switchName, string preferenceVariable)
        {
            if (MyInvocation.BoundParameters.TryGetValue(switchName, out var value)) return value is SwitchParameter s && s.IsPresent;
            var preference = GetVariableValue(preferenceVariable);
            return preference is ActionPreference p && p != ActionPreference.SilentlyContinue && p != ActionPreference.Ignore;
        }
    }
}
