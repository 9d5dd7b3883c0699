using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace ProfileJobs.Completion
{
    /// <summary>
    /// Job ids for -Id of Get-, Remove- and Wait-ProfileSystemJob: the jobs of the most recent Get-ProfileSystemJob
    /// listing in this runspace (up to 1,000), with their status, type and dataset as the tooltip. Nothing is requested
    /// from the platform.
    /// </summary>
    public sealed class ProfileSystemJobIdCompleter : SafeCompleter
    {
        private protected override IEnumerable<Candidate> Candidates()
        {
            var jobs = CompletionState.Current?.Jobs() ?? (IReadOnlyList<JobEntry>)Array.Empty<JobEntry>();
            return jobs.Select(j => new Candidate(j.Id, ToolTip(j)));
        }

        private static string ToolTip(JobEntry job)
        {
            var parts = new List<string> { job.Id };
            if (!string.IsNullOrEmpty(job.Status)) parts.Add(job.Status!);
            if (!string.IsNullOrEmpty(job.Type)) parts.Add(job.Type!);
            if (!string.IsNullOrEmpty(job.DatasetId)) parts.Add("dataset " + job.DatasetId);
            return string.Join("  ", parts);
        }
    }
}
