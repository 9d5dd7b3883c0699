using System;
using System.Linq;
using System.Management.Automation;
using ProfileJobs.CommandSupport;
using ProfileJobs.Completion;
using ProfileJobs.Connection;
using ProfileJobs.Hygiene;

namespace ProfileJobs.Commands
{
    /// <summary>
    /// <para type="synopsis">Gets Data Hygiene record deletes: record-delete jobs or work orders by id, or lists either.</para>
    /// <para type="description">With -JobId, reads record-delete jobs (/data/core/privacy/jobs/{id}); with -WorkOrderId, work
    /// orders. Without either, lists the sandbox's work orders across all pages, filtered by -Status, -From/-To and -Search;
    /// with -RecordDeleteJobs, lists the organization's record-delete jobs instead, newest first, filtered by -Status and
    /// -From/-To. -From and -To are instants (local time unless the date says UTC), both inclusive: the APIs take whole
    /// UTC dates, so the dates that cover the window are sent and what lies outside it is left out here.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "HygieneRecordDelete", DefaultParameterSetName = ListSet, HelpUri = HelpLinks.DataHygiene)]
    [OutputType(typeof(HygieneRecordDelete), ParameterSetName = new[] { JobSet, ListSet })]
    [OutputType(typeof(HygieneWorkOrder), ParameterSetName = new[] { WorkOrderSet, ListSet })]
    public sealed class GetHygieneRecordDeleteCommand : ListingCmdlet
    {
        private const string JobSet = "JobId";
        private const string WorkOrderSet = "WorkOrderId";

        /// <summary>The window without -From, and the longest the record-delete job list takes (fromDate to toDate, aep-api.md 1.3).</summary>
        private static readonly TimeSpan WindowLimit = TimeSpan.FromDays(30);

        /// <summary>Ids of record-delete jobs, also as strings from the pipeline; jobs from New-HygieneRecordDelete bind by their JobId.</summary>
        [Parameter(Mandatory = true, ParameterSetName = JobSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [PlatformIdArgument(typeof(HygieneRecordDelete))]
        [ValidatePlatformId]
        [ArgumentCompleter(typeof(RecordDeleteJobIdCompleter))]
        public string[] JobId { get; set; } = Array.Empty<string>();

        /// <summary>Ids of work orders; work orders from New-HygieneRecordDelete bind by their WorkOrderId.</summary>
        [Parameter(Mandatory = true, ParameterSetName = WorkOrderSet, ValueFromPipelineByPropertyName = true)]
        [PlatformIdArgument(typeof(HygieneWorkOrder))]
        [ValidatePlatformId]
        [ArgumentCompleter(typeof(WorkOrderIdCompleter))]
        public string[] WorkOrderId { get; set; } = Array.Empty<string>();

        /// <summary>Lists the organization's record-delete jobs (newest first) instead of the sandbox's work orders.</summary>
        [Parameter(ParameterSetName = ListSet)]
        public SwitchParameter RecordDeleteJobs { get; set; }

        /// <summary>Only work orders with these statuses (received, validated, submitted, ingested, completed, failed), or
        /// with -RecordDeleteJobs only jobs with these (submitted, processing, complete, error).</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ArgumentCompleter(typeof(HygieneStatusCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Status { get; set; }

        /// <summary>Only those created at or after this instant (local time unless it says UTC). Without -To, up to now.</summary>
        [Parameter(ParameterSetName = ListSet)]
        public DateTime? From { get; set; }

        /// <summary>Only those created at or before this instant (local time unless it says UTC): -To (Get-Date) includes
        /// what was made a minute ago. Without -From, the 30 days before it. For whole days, give the next midnight.</summary>
        [Parameter(ParameterSetName = ListSet)]
        public DateTime? To { get; set; }

        /// <summary>Only work orders whose name, description or id contains this text.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateNotNullOrEmpty]
        public string? Search { get; set; }

        /// <summary>How many work orders (or record-delete jobs) to request per page, 1 to 100 (the APIs' limit).</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateRange(1, 100)]
        public int PageSize { get; set; } = 100;

        protected override void OnProcessRecord()
        {
            var context = ResolveContext();
            var hygiene = PlatformSession.Of(context).Hygiene;
            switch (ParameterSetName)
            {
                case JobSet:
                    foreach (var id in JobId) GetOne(id, token => hygiene.GetRecordDeleteAsync(id, token));
                    break;
                case WorkOrderSet:
                    foreach (var id in WorkOrderId) GetOne(id, token => hygiene.GetWorkOrderAsync(id, token));
                    break;
                default:
                    List(context);
                    break;
            }
        }

        private void GetOne<T>(string id, Func<System.Threading.CancellationToken, System.Threading.Tasks.Task<T>> read)
        {
            try
            {
                WriteObject(Await(read));
            }
            catch (PlatformApiException ex)
            {
                WriteApiError(ex, id);
            }
        }

        private void List(ExperiencePlatformContext context)
        {
            var window = CreationWindow.Of(From, To, WindowLimit, DateTimeOffset.UtcNow);
            if (window.From > window.To)
            {
                WriteError(PlatformErrors.InvalidArgument($"-From ({window.From:u}) is after -To ({window.To:u}); nothing was requested.", "InvalidDateRange", From));
                return;
            }
            var statuses = RecordDeleteJobs ? HygieneStatusCompleter.RecordDeleteStatuses : HygieneStatusCompleter.WorkOrderStatuses;
            var wrongStatus = Status?.FirstOrDefault(s => !statuses.Contains(s, StringComparer.OrdinalIgnoreCase));
            if (wrongStatus != null)
            {
                WriteError(PlatformErrors.InvalidArgument(
                    $"'{wrongStatus}' is not a status of {(RecordDeleteJobs ? "record-delete jobs" : "work orders")}; use one of {string.Join(", ", statuses)}. Nothing was requested.",
                    "InvalidStatus", wrongStatus));
                return;
            }
            if (RecordDeleteJobs) ListRecordDeletes(context, window);
            else ListWorkOrders(context, window);
        }

        private void ListWorkOrders(ExperiencePlatformContext context, CreationWindow window)
        {
            var query = new WorkOrderQuery { Status = Status?.Select(s => s.ToLowerInvariant()).ToList(), Search = Search, Window = window, PageSize = PageSize };
            // The work orders written are recorded for -WorkOrderId completion (WorkOrderIdCompleter).
            var listing = CompletionState.Current?.BeginListing(context, Listed.WorkOrders);
            var output = new PagedOutput<HygieneWorkOrder>(this, PagingParameters) { OnWrite = orders => listing?.Add(orders) };
            WriteListing(context, output, token => PlatformSession.Of(context).Hygiene.ListWorkOrdersAsync(query, output.AcceptPage, token));
        }

        private void ListRecordDeletes(ExperiencePlatformContext context, CreationWindow window)
        {
            if (Search != null)
            {
                WriteError(PlatformErrors.InvalidArgument("-Search filters work orders; the record-delete job list has no text search. Nothing was requested.", "SearchNotSupported", Search));
                return;
            }
            if (window.ToDate - window.FromDate > WindowLimit)
            {
                WriteError(PlatformErrors.InvalidArgument(
                    $"The record-delete job list covers at most {WindowLimit.TotalDays} days from -From to -To (UTC dates {window.FromDate:yyyy-MM-dd} to {window.ToDate:yyyy-MM-dd} asked). Nothing was requested.",
                    "InvalidDateRange", To));
                return;
            }
            var query = new RecordDeleteQuery { Status = Status?.Select(s => s.ToLowerInvariant()).ToList(), Window = window, PageSize = PageSize };
            var output = new PagedOutput<HygieneRecordDelete>(this, PagingParameters);
            WriteListing(context, output, token => PlatformSession.Of(context).Hygiene.ListRecordDeletesAsync(query, output.AcceptPage, token));
        }

        private void WriteListing<T>(ExperiencePlatformContext context, PagedOutput<T> output, Func<System.Threading.CancellationToken, System.Threading.Tasks.Task> list)
        {
            try
            {
                Await(list);
            }
            catch (PlatformApiException ex)
            {
                WriteApiError(ex, RecordDeleteJobs ? (object)context.OrgId : context.Sandbox);
                output.WriteTotalCount(listingComplete: false);
                return;
            }
            output.WriteTotalCount(listingComplete: true);
        }
    }
}
