using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using ProfileJobs.Connection;
using ProfileJobs.Waiting;

namespace ProfileJobs.CommandSupport
{
    /// <summary>How to wait for one kind of job: how to name it, read its state and fetch it again.</summary>
    internal sealed class WaitableKind<T> where T : class
    {
        public WaitableKind(string noun, Func<T, string> idOf, Func<T, JobState> stateOf, Func<T, string> statusOf, Func<string, CancellationToken, Task<T>> fetch)
        {
            Noun = noun;
            IdOf = idOf;
            StateOf = stateOf;
            StatusOf = statusOf;
            Fetch = fetch;
        }

        public string Noun { get; }
        public Func<T, string> IdOf { get; }
        public Func<T, JobState> StateOf { get; }
        public Func<T, string> StatusOf { get; }
        public Func<string, CancellationToken, Task<T>> Fetch { get; }

        public bool IsFinal(T job) => StateOf(job) == JobState.Succeeded || StateOf(job) == JobState.Failed;
    }

    /// <summary>
    /// Waits for jobs on behalf of the Wait-* cmdlets and -Wait switches: progress while polling, every job written
    /// in its last known state, and an error for each job that failed or did not finish in time.
    /// </summary>
    internal static class JobWaiter
    {
        private const int ProgressId = 1;

        public static void Wait<T>(PlatformCmdlet cmdlet, WaitableKind<T> kind, IReadOnlyList<T> jobs, TimeSpan pollInterval, TimeSpan? timeout)
            where T : class
        {
            if (jobs.Count == 0) return;
            var activity = $"Waiting for {jobs.Count} {kind.Noun}{(jobs.Count == 1 ? "" : "s")}";
            var latest = jobs.ToDictionary(kind.IdOf, StringComparer.Ordinal);
            var finished = new HashSet<string>(jobs.Where(kind.IsFinal).Select(kind.IdOf), StringComparer.Ordinal);
            var elapsed = TimeSpan.Zero;
            // Read and written by the poller's callbacks, one at a time, and on the pipeline thread before and after it runs.
            Func<ProgressRecord> progress = () =>
            {
                var record = new ProgressRecord(ProgressId, activity, Describe(kind, latest.Values, finished.Count, jobs.Count, elapsed))
                {
                    PercentComplete = finished.Count * 100 / jobs.Count,
                };
                if (timeout.HasValue) record.SecondsRemaining = (int)Math.Max(0, Math.Ceiling((timeout.Value - elapsed).TotalSeconds));
                return record;
            };
            cmdlet.WriteProgress(progress());

            var unfinished = cmdlet.Await(token => JobPoller.PollAsync(jobs, kind.IdOf, kind.IsFinal, kind.Fetch, pollInterval, timeout,
                job =>
                {
                    latest[kind.IdOf(job)] = job;
                    if (kind.IsFinal(job)) finished.Add(kind.IdOf(job));
                    var record = progress();
                    cmdlet.Post(() => cmdlet.WriteProgress(record));
                },
                (id, error) => cmdlet.Post(() => cmdlet.WriteApiError(error, id)),
                waited =>
                {
                    elapsed = waited;
                    var record = progress();
                    cmdlet.Post(() => cmdlet.WriteProgress(record));
                },
                token));

            var done = progress();
            done.RecordType = ProgressRecordType.Completed;
            cmdlet.WriteProgress(done);

            var stillRunning = new HashSet<string>(unfinished.Select(kind.IdOf), StringComparer.Ordinal);
            foreach (var original in jobs)
            {
                var id = kind.IdOf(original);
                var job = latest[id];
                cmdlet.WriteJob(job, id);
                if (kind.StateOf(job) == JobState.Failed)
                {
                    cmdlet.WriteError(new ErrorRecord(
                        new InvalidOperationException($"The {kind.Noun} {id} ended with status {kind.StatusOf(job)}."),
                        "JobFailed", ErrorCategory.InvalidResult, job));
                }
                else if (stillRunning.Contains(id))
                {
                    cmdlet.WriteError(new ErrorRecord(
                        new TimeoutException($"The {kind.Noun} {id} did not finish within {timeout?.TotalSeconds:0.###} seconds; it is still {kind.StatusOf(job)}. It keeps running on the platform: look at it again later by its id."),
                        "WaitTimeout", ErrorCategory.OperationTimeout, job));
                }
            }
        }

        public static TimeSpan? TimeoutFromSeconds(int seconds) => seconds < 0 ? (TimeSpan?)null : TimeSpan.FromSeconds(seconds);

        private static string Describe<T>(WaitableKind<T> kind, IEnumerable<T> jobs, int finished, int total, TimeSpan elapsed) where T : class
        {
            var running = jobs.Where(j => !kind.IsFinal(j)).Take(3).Select(j => $"{kind.IdOf(j)}: {Shown(kind.StatusOf(j))}").ToList();
            return $"{finished} of {total} finished" + (running.Count > 0 ? "; " + string.Join(", ", running) : "") +
                   $"; waited {FormatElapsed(elapsed)}";
        }

        private static string Shown(string status) => string.IsNullOrEmpty(status) ? "not read yet" : status;

        private static string FormatElapsed(TimeSpan elapsed) =>
            elapsed.TotalHours >= 1 ? elapsed.ToString(@"h\:mm\:ss") : elapsed.TotalMinutes >= 1 ? elapsed.ToString(@"m\:ss") : $"{(int)Math.Round(elapsed.TotalSeconds)} s";
    }

    /// <summary>The kinds of job the module waits for.</summary>
    internal static class Waitables
    {
        public static WaitableKind<ProfileSystemJob> SystemJobs(ExperiencePlatformContext context) =>
            new WaitableKind<ProfileSystemJob>("profile system job", j => j.Id, j => j.State, j => j.Status,
                (id, token) => PlatformSession.Of(context).SystemJobs.GetAsync(id, token));

        public static WaitableKind<HygieneRecordDelete> RecordDeletes(ExperiencePlatformContext context) =>
            new WaitableKind<HygieneRecordDelete>("record-delete job", j => j.JobId, j => j.State, j => j.Status,
                (id, token) => PlatformSession.Of(context).Hygiene.GetRecordDeleteAsync(id, token));

        public static WaitableKind<HygieneWorkOrder> WorkOrders(ExperiencePlatformContext context) =>
            new WaitableKind<HygieneWorkOrder>("work order", w => w.WorkOrderId, w => w.State, w => w.Status,
                (id, token) => PlatformSession.Of(context).Hygiene.GetWorkOrderAsync(id, token));
    }
}
