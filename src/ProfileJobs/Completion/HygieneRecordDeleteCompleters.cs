using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace ProfileJobs.Completion
{
    /// <summary>Record-delete job ids for -JobId of Get- and Wait-HygieneRecordDelete: the jobs the last New-HygieneRecordDelete
    /// created in the same organization, with status and customer as the tooltip.</summary>
    public sealed class RecordDeleteJobIdCompleter : ListingCompleter
    {
        private protected override IEnumerable<Candidate> Candidates(CompletionRequest request) =>
            ItemsFor(request, Listed.RecordDeletes).Select(j => new Candidate(j.Id, j.ToolTip));
    }

    /// <summary>Work-order ids for -WorkOrderId of Get- and Wait-HygieneRecordDelete: the work orders of the last
    /// Get-HygieneRecordDelete listing, or the last ones New-HygieneRecordDelete created, in the same sandbox.</summary>
    public sealed class WorkOrderIdCompleter : ListingCompleter
    {
        private protected override IEnumerable<Candidate> Candidates(CompletionRequest request) =>
            ItemsFor(request, Listed.WorkOrders).Select(w => new Candidate(w.Id, w.ToolTip));
    }

    /// <summary>Dataset ids for New-HygieneRecordDelete -DatasetId: ALL, then the datasets of the work orders last listed
    /// or created in the same sandbox.</summary>
    public sealed class HygieneDatasetIdCompleter : ListingCompleter
    {
        public const string AllDatasets = "ALL";

        private protected override IEnumerable<Candidate> Candidates(CompletionRequest request)
        {
            var candidates = new List<Candidate> { new Candidate(AllDatasets, "ALL: every dataset of the sandbox") };
            candidates.AddRange(ItemsFor(request, Listed.WorkOrders)
                .Where(w => !string.IsNullOrEmpty(w.DatasetId) && !string.Equals(w.DatasetId, AllDatasets, StringComparison.OrdinalIgnoreCase))
                .GroupBy(w => w.DatasetId!, StringComparer.OrdinalIgnoreCase)
                .Select(g => new Candidate(g.Key, $"dataset {g.Key}: {g.Count()} work order(s) in the last listing")));
            return candidates;
        }
    }

    /// <summary>Statuses for Get-HygieneRecordDelete -Status: of work orders, or of record-delete jobs once -RecordDeleteJobs is typed.</summary>
    public sealed class HygieneStatusCompleter : SafeCompleter
    {
        internal static readonly string[] WorkOrderStatuses = { "received", "validated", "submitted", "ingested", "completed", "failed" };
        internal static readonly string[] RecordDeleteStatuses = { "submitted", "processing", "complete", "error" };

        private protected override IEnumerable<Candidate> Candidates(CompletionRequest request) =>
            (request.Names("RecordDeleteJobs") ? RecordDeleteStatuses : WorkOrderStatuses).Select(s => new Candidate(s));
    }
}
