using System;
using System.Collections.Generic;
using System.Management.Automation;
using ProfileJobs.CommandSupport;
using ProfileJobs.Completion;

namespace ProfileJobs.Commands
{
    /// <summary>
    /// <para type="synopsis">Waits until Data Hygiene record-delete jobs or work orders reach a final state.</para>
    /// <para type="description">Polls, showing progress, until each has completed or failed, or until the timeout. Writes each in
    /// its last known state; a failed one also gets a JobFailed error, an unfinished one a WaitTimeout error.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Wait, "HygieneRecordDelete", DefaultParameterSetName = JobSet, HelpUri = HelpLinks.DataHygiene)]
    [OutputType(typeof(HygieneRecordDelete), ParameterSetName = new[] { JobSet })]
    [OutputType(typeof(HygieneWorkOrder), ParameterSetName = new[] { WorkOrderSet })]
    public sealed class WaitHygieneRecordDeleteCommand : ConnectedCmdlet
    {
        private const string JobSet = "JobId";
        private const string WorkOrderSet = "WorkOrderId";

        private readonly List<string> _ids = new List<string>();

        /// <summary>Ids of record-delete jobs, also as strings from the pipeline; jobs from New-HygieneRecordDelete bind by their JobId.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = JobSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
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

        /// <summary>Seconds to wait at most; -1 means no limit. Ones still running then get a WaitTimeout error.</summary>
        [Parameter]
        [ValidateRange(-1, int.MaxValue)]
        public int Timeout { get; set; } = -1;

        /// <summary>Seconds between status checks, 0.1 to 3600.</summary>
        [Parameter]
        [ValidateRange(0.1, 3600)]
        public double PollingInterval { get; set; } = 30;

        protected override void OnProcessRecord()
        {
            foreach (var id in ParameterSetName == JobSet ? JobId : WorkOrderId)
            {
                if (!_ids.Contains(id)) _ids.Add(id);
            }
        }

        protected override void OnEndProcessing()
        {
            var context = ResolveContext();
            if (ParameterSetName == JobSet) WaitFor(Waitables.RecordDeletes(context));
            else WaitFor(Waitables.WorkOrders(context));
        }

        private void WaitFor<T>(WaitableKind<T> kind) where T : class
        {
            var items = new List<T>();
            foreach (var id in _ids)
            {
                try
                {
                    items.Add(Await(token => kind.Fetch(id, token)));
                }
                catch (PlatformApiException ex)
                {
                    WriteApiError(ex, id);
                }
            }
            JobWaiter.Wait(this, kind, items, TimeSpan.FromSeconds(PollingInterval), JobWaiter.TimeoutFromSeconds(Timeout));
        }
    }
}
