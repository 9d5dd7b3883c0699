using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace ProfileJobs.Infrastructure
{
    /// <summary>
    /// Waits for system jobs on behalf of Wait-ProfileSystemJob and New-ProfileDeleteJob -Wait: progress while
    /// polling, every job written in its last known state, and an error for each job that failed or did not finish.
    /// </summary>
    internal static class JobWaiter
    {
        private const string Activity = "Waiting for profile system jobs";
        private const int ProgressId = 1;

        public static void Wait(PlatformCmdlet cmdlet, ExperiencePlatformContext context, IReadOnlyList<ProfileSystemJob> jobs,
            TimeSpan pollInterval, TimeSpan? timeout)
        {
            if (jobs.Count == 0) return;
            var latest = jobs.ToDictionary(j => j.Id, StringComparer.Ordinal);
            var finished = new HashSet<string>(jobs.Where(j => j.IsFinal).Select(j => j.Id), StringComparer.Ordinal);

            var unfinished = cmdlet.Await(token => context.Session.SystemJobs.WaitAsync(jobs, pollInterval, timeout,
                job =>
                {
                    latest[job.Id] = job;
                    if (job.IsFinal) finished.Add(job.Id);
                    var percent = finished.Count * 100 / jobs.Count;
                    var status = Describe(latest.Values, finished.Count, jobs.Count);
                    cmdlet.Post(() => cmdlet.WriteProgress(new ProgressRecord(ProgressId, Activity, status) { PercentComplete = percent }));
                },
                (id, error) => cmdlet.Post(() => cmdlet.WriteApiError(error, id)),
                token));

            cmdlet.WriteProgress(new ProgressRecord(ProgressId, Activity, Describe(latest.Values, finished.Count, jobs.Count))
            {
                RecordType = ProgressRecordType.Completed,
            });

            var stillRunning = new HashSet<string>(unfinished.Select(j => j.Id), StringComparer.Ordinal);
            foreach (var original in jobs)
            {
                var job = latest[original.Id];
                cmdlet.WriteObject(job);
                if (job.State == JobState.Failed)
                {
                    cmdlet.WriteError(new ErrorRecord(
                        new InvalidOperationException($"Profile system job {job.Id} ({job.Type} of dataset {job.DatasetId}{(job.BatchId != null ? ", batch " + job.BatchId : "")}) ended with status {job.Status}."),
                        "JobFailed", ErrorCategory.InvalidResult, job));
                }
                else if (stillRunning.Contains(job.Id))
                {
                    cmdlet.WriteError(new ErrorRecord(
                        new TimeoutException($"Profile system job {job.Id} did not finish within {timeout?.TotalSeconds:0.###} seconds; it is still {job.Status}. It keeps running on the platform: check it later with Get-ProfileSystemJob -Id {job.Id}."),
                        "WaitTimeout", ErrorCategory.OperationTimeout, job));
                }
            }
        }

        private static string Describe(IEnumerable<ProfileSystemJob> jobs, int finished, int total)
        {
            var running = jobs.Where(j => !j.IsFinal).Take(3).Select(j => $"{j.Id}: {j.Status}").ToList();
            return $"{finished} of {total} finished" + (running.Count > 0 ? "; " + string.Join(", ", running) : "");
        }
    }
}
