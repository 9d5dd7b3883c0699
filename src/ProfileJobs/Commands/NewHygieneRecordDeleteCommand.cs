using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using ProfileJobs.CommandSupport;
using ProfileJobs.Completion;
using ProfileJobs.Connection;
using ProfileJobs.Hygiene;
using ProfileJobs.Submissions;

namespace ProfileJobs.Commands
{
    /// <summary>
    /// <para type="synopsis">Deletes individual customers' records through the Data Hygiene API.</para>
    /// <para type="description">Takes identities from parameters or from the pipeline (for example rows of Import-Csv with
    /// Key, Namespace, Value and Type columns). Rows with the same Key are one customer; a row without a Key is a customer
    /// of its own. Everything is validated before the first request: a customer with an invalid identity or more than 9
    /// identities is reported and nothing of it is sent, while the valid ones still go. Without -DatasetId the record-delete
    /// jobs API (/data/core/privacy/jobs) is used, 1,000 customers per request; with -DatasetId (a dataset id or ALL) the
    /// work-order API (/data/core/hygiene/workorder) is used, 100,000 identities per work order.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "HygieneRecordDelete", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = JobsSet, HelpUri = HelpLinks.DataHygiene)]
    [OutputType(typeof(HygieneRecordDelete), ParameterSetName = new[] { JobsSet })]
    [OutputType(typeof(HygieneWorkOrder), ParameterSetName = new[] { WorkOrderSet })]
    public sealed class NewHygieneRecordDeleteCommand : ConnectedCmdlet
    {
        private const string JobsSet = "RecordDeleteJobs";
        private const string WorkOrderSet = "WorkOrder";
        private const string Activity = "Submitting record deletes";

        private readonly List<RecordDeleteInput> _rows = new List<RecordDeleteInput>();

        /// <summary>The identity namespace, such as email, ECID or a custom namespace code.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(IdentityNamespaceCompleter))]
        public string? Namespace { get; set; }

        /// <summary>Identity values; several values without -Key are several customers.</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("IdentityValue")]
        public string[]? Value { get; set; }

        /// <summary>The customer's key: identities with the same key are deleted as one customer.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("UserKey")]
        public string? Key { get; set; }

        /// <summary>standard or custom (or another Privacy Service qualifier).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [PSDefaultValue(Help = "standard for the standard namespaces, custom otherwise")]
        [Alias("Type")]
        [ArgumentCompleter(typeof(IdentityTypeCompleter))]
        public string? IdentityType { get; set; }

        /// <summary>Use the work-order API for this dataset, or ALL for every dataset.</summary>
        [Parameter(Mandatory = true, ParameterSetName = WorkOrderSet)]
        [PlatformIdArgument]
        [ValidatePlatformId]
        [ArgumentCompleter(typeof(HygieneDatasetIdCompleter))]
        public string DatasetId { get; set; } = "";

        /// <summary>The work orders' display name.</summary>
        [Parameter(ParameterSetName = WorkOrderSet)]
        [PSDefaultValue(Help = "ProfileJobs record delete, with the date and time (UTC)")]
        [ValidateNotNullOrEmpty]
        public string? DisplayName { get; set; }

        /// <summary>The work orders' description.</summary>
        [Parameter(ParameterSetName = WorkOrderSet)]
        public string? Description { get; set; }

        /// <summary>Do not ask for confirmation (the command asks once for the whole batch by default). -WhatIf still wins.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>How many requests may be in flight at once; 1 submits one after another.</summary>
        [Parameter]
        [ValidateRange(1, 16)]
        public int ThrottleLimit { get; set; } = 4;

        protected override void OnProcessRecord()
        {
            if (Value == null || Value.Length == 0)
            {
                _rows.Add(new RecordDeleteInput { Key = Key, Namespace = Namespace, Type = IdentityType, Row = _rows.Count + 1 });
                return;
            }
            foreach (var value in Value)
            {
                _rows.Add(new RecordDeleteInput { Key = Key, Namespace = Namespace, Value = value, Type = IdentityType, Row = _rows.Count + 1 });
            }
        }

        protected override void OnEndProcessing()
        {
            if (_rows.Count == 0) return;
            var context = ResolveContext();
            var hygiene = PlatformSession.Of(context).Hygiene;
            var problems = new List<RecordDeleteProblem>();
            if (ParameterSetName == WorkOrderSet)
            {
                var plan = hygiene.PlanWorkOrders(DatasetId, DisplayName, Description, _rows, problems);
                WriteProblems(problems);
                if (plan.Orders.Count == 0 || !ShouldProceed(Force, plan.Target, "Delete the identities' records")) return;
                var listing = CompletionState.Current?.BeginListing(context, Listed.WorkOrders);
                Submit<HygieneWorkOrder>(plan.Orders.Count, plan.Describe, (observer, stopSending, abort) => hygiene.SubmitAsync(plan, ThrottleLimit, observer, stopSending, abort),
                    "work order", order => $"work order {order.WorkOrderId} ('{order.DisplayName}')", plan.NameOf, order => listing?.Add(order));
            }
            else
            {
                var plan = hygiene.PlanRecordDeletes(_rows, problems);
                WriteProblems(problems);
                if (plan.Users.Count == 0 || !ShouldProceed(Force, plan.Target, "Delete the customers' records")) return;
                var listing = CompletionState.Current?.BeginListing(context, Listed.RecordDeletes);
                Submit<IReadOnlyList<HygieneRecordDelete>>(plan.Requests.Count, plan.Describe, (observer, stopSending, abort) => hygiene.SubmitAsync(plan, ThrottleLimit, observer, stopSending, abort),
                    "request", jobs => $"record-delete jobs {string.Join(", ", jobs.Select(j => j.JobId))}", index => plan.KeysOf(index),
                    jobs => { foreach (var job in jobs) listing?.Add(job); });
            }
        }

        /// <summary>
        /// Runs a bulk submission: each answer is noted as accepted the moment it arrives (so a stop cannot lose it),
        /// and written in request order, so output and errors read the same whatever order the answers came in.
        /// </summary>
        private void Submit<T>(int count, Func<int, string> describe, Func<BulkObserver<T>, CancellationToken, CancellationToken, Task> run,
            string noun, Func<T, string> describeCreated, Func<int, object> targetOf, Action<T> remember)
            where T : class
        {
            var observer = new BulkObserver<T>
            {
                Answered = (index, outcome) =>
                {
                    var key = KeyOf(index);
                    if (outcome.Created != null) Unreported.Accepted(key, () => describeCreated(outcome.Created));
                    else if (!outcome.OutcomeKnown) Unreported.Unknown(key, describe(index));
                },
                InOrder = (index, outcome) => Post(() =>
                {
                    var created = WriteOutcome(outcome, KeyOf(index), targetOf(index), describeCreated);
                    if (created != null) remember(created);
                    ReportProgress(index + 1, count, $"{noun} {index + 1} of {count} answered");
                }),
            };
            Await((stopSending, abort) => run(observer, stopSending, abort));
        }

        private static string KeyOf(int index) => "submission " + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

        private void WriteProblems(IEnumerable<RecordDeleteProblem> problems)
        {
            foreach (var problem in problems)
            {
                WriteError(PlatformErrors.InvalidArgument(problem.Message, problem.ErrorId, problem.Target));
            }
        }

        private void ReportProgress(int done, int total, string status)
        {
            if (total < 2) return;
            WriteProgress(new ProgressRecord(2, Activity, status)
            {
                PercentComplete = done * 100 / total,
                RecordType = done == total ? ProgressRecordType.Completed : ProgressRecordType.Processing,
            });
        }
    }
}
