using System;
using System.Management.Automation;
using ProfileJobs.CommandSupport;
using ProfileJobs.Completion;
using ProfileJobs.Connection;
using ProfileJobs.Hygiene;

namespace ProfileJobs.Commands
{
    /// <summary>
    /// <para type="synopsis">Gets Data Hygiene record deletes: record-delete jobs or work orders by id, or lists work orders.</para>
    /// <para type="description">With -JobId, reads record-delete jobs (/data/core/privacy/jobs/{id}); with -WorkOrderId, work
    /// orders. Without either, lists the sandbox's work orders across all pages, filtered by -Status, -From/-To and -Search.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "HygieneRecordDelete", DefaultParameterSetName = ListSet, HelpUri = HelpLinks.DataHygiene)]
    [OutputType(typeof(HygieneRecordDelete), ParameterSetName = new[] { JobSet })]
    [OutputType(typeof(HygieneWorkOrder), ParameterSetName = new[] { WorkOrderSet, ListSet })]
    public sealed class GetHygieneRecordDeleteCommand : ListingCmdlet
    {
        private const string JobSet = "JobId";
        private const string WorkOrderSet = "WorkOrderId";

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

        /// <summary>Only work orders with these statuses.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateSet("received", "validated", "submitted", "ingested", "completed", "failed")]
        public string[]? Status { get; set; }

        /// <summary>Only work orders created on or after this date. Without -To, up to today.</summary>
        [Parameter(ParameterSetName = ListSet)]
        public DateTime? From { get; set; }

        /// <summary>Only work orders created on or before this date. Without -From, the 30 days before it.</summary>
        [Parameter(ParameterSetName = ListSet)]
        public DateTime? To { get; set; }

        /// <summary>Only work orders whose name, description or id contains this text.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateNotNullOrEmpty]
        public string? Search { get; set; }

        /// <summary>How many work orders to request per page, 1 to 100 (the API's limit).</summary>
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
            var to = To ?? (From.HasValue ? DateTime.UtcNow.Date : (DateTime?)null);
            var from = From ?? to?.AddDays(-30);
            var query = new WorkOrderQuery { Status = Status, Search = Search, FromDate = from, ToDate = to, PageSize = PageSize };
            // The work orders written are recorded for -WorkOrderId completion (WorkOrderIdCompleter).
            var listing = CompletionState.Current?.BeginListing(context, Listed.WorkOrders);
            var output = new PagedOutput<HygieneWorkOrder>(this, PagingParameters) { OnWrite = orders => { foreach (var order in orders) listing?.Add(order); } };
            try
            {
                Await(token => PlatformSession.Of(context).Hygiene.ListWorkOrdersAsync(query, output.AcceptPage, token));
            }
            catch (PlatformApiException ex)
            {
                WriteApiError(ex, context.Sandbox);
                output.WriteTotalCount(listingComplete: false);
                return;
            }
            output.WriteTotalCount(listingComplete: true);
        }
    }
}
