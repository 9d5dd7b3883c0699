using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace ProfileJobs.Completion
{
    /// <summary>
    /// Job ids for -Id of Get-, Remove- and Wait-ProfileSystemJob: the jobs of the most recent Get-ProfileSystemJob
    /// listing on the same connection (up to 1,000), with their status, type and dataset as the tooltip.
    /// </summary>
    public sealed class ProfileSystemJobIdCompleter : ListingCompleter
    {
        private protected override IEnumerable<Candidate> Candidates(CompletionRequest request) =>
            ItemsFor(request, Listed.SystemJobs).Select(j => new Candidate(j.Id, j.ToolTip));
    }

    /// <summary>Dataset ids for New-ProfileDeleteJob -DatasetId: the datasets of the jobs of the last listing on the same connection.</summary>
    public sealed class ProfileDatasetIdCompleter : ListingCompleter
    {
        private protected override IEnumerable<Candidate> Candidates(CompletionRequest request) =>
            ItemsFor(request, Listed.SystemJobs)
                .Where(j => !string.IsNullOrEmpty(j.DatasetId))
                .GroupBy(j => j.DatasetId!, StringComparer.OrdinalIgnoreCase)
                .Select(g => new Candidate(g.Key, $"dataset {g.Key}: {Jobs(g.Count())} in the last listing"))
                .ToList();

        private static string Jobs(int count) => count == 1 ? "1 job" : count + " jobs";
    }

    /// <summary>Batch ids for New-ProfileDeleteJob -BatchId: the batches of the jobs of the last listing on the same
    /// connection, of the -DatasetId typed when there is one.</summary>
    public sealed class ProfileBatchIdCompleter : ListingCompleter
    {
        private protected override IEnumerable<Candidate> Candidates(CompletionRequest request)
        {
            var dataset = BoundString(request, "DatasetId");
            return ItemsFor(request, Listed.SystemJobs)
                .Where(j => !string.IsNullOrEmpty(j.BatchId))
                .Where(j => dataset == null || string.Equals(j.DatasetId, dataset, StringComparison.OrdinalIgnoreCase))
                .Select(j => new Candidate(j.BatchId!, $"batch {j.BatchId} of dataset {j.DatasetId}"))
                .ToList();
        }
    }
}
