using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using ProfileJobs.Hygiene;
using ProfileJobs.Completion;
using ProfileJobs.Infrastructure;

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

        protected override void ProcessRecord()
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

        protected override void EndProcessing()
        {
            if (_rows.Count == 0) return;
            var context = ResolveContext();
            var problems = new List<RecordDeleteProblem>();
            if (ParameterSetName == WorkOrderSet) SubmitWorkOrders(context, RecordDeletePlanner.PlanWorkOrders(_rows, problems), problems);
            else SubmitRecordDeleteJobs(context, RecordDeletePlanner.PlanUsers(_rows, problems), problems);
        }

        private void SubmitRecordDeleteJobs(ExperiencePlatformContext context, List<RecordDeleteUser> users, List<RecordDeleteProblem> problems)
        {
            WriteProblems(problems);
            if (users.Count == 0) return;
            var requests = RecordDeletePlanner.Chunk(users, RecordDeletePlanner.MaxUsersPerRequest).ToList();
            var identities = users.Sum(u => u.Identities.Count);
            var target = $"{Count(users.Count, "customer")} with {Count(identities, "identity", "identities")} in {Count(requests.Count, "request")} to /data/core/privacy/jobs (org {context.OrgId})";
            if (!ShouldProceed(Force, target, "Delete the customers' records")) return;

            var listing = CompletionState.Current?.BeginListing(context, Listed.RecordDeletes);
            SubmitConcurrently(requests,
                (batch, index, token) => context.Session.Hygiene.SubmitRecordDeletesAsync(batch, token),
                (index, jobs) =>
                {
                    WriteVerbose($"Request {index + 1} of {requests.Count} created {jobs.Count} record-delete jobs (request id {jobs.FirstOrDefault()?.RequestId}).");
                    foreach (var job in jobs)
                    {
                        listing?.Add(job);
                        WriteObject(job);
                    }
                },
                // Record-delete jobs cannot be looked up by their content, so an ambiguous failure stays unknown.
                (index, ex) => WriteSubmissionError(ex, index, requests.Count,
                    $"{Count(requests[index].Count, "customer")} ({KeyList(requests[index].Select(u => u.Key))})",
                    requests[index].Select(u => u.Key).ToArray(), outcomeKnown: !SubmissionOutcome<HygieneRecordDelete>.IsAmbiguous(ex)),
                "request");
        }

        private void SubmitWorkOrders(ExperiencePlatformContext context, List<WorkOrderBatch> orders, List<RecordDeleteProblem> problems)
        {
            WriteProblems(problems);
            if (orders.Count == 0) return;
            var identities = orders.Sum(o => o.IdentityCount);
            var target = $"{Count(identities, "identity", "identities")} in {Count(orders.Count, "work order")} for dataset {DatasetId} (sandbox {context.Sandbox}, org {context.OrgId})";
            if (!ShouldProceed(Force, target, "Delete the identities' records")) return;
            var listing = CompletionState.Current?.BeginListing(context, Listed.WorkOrders);

            var displayName = DisplayName ?? $"ProfileJobs record delete {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss}Z";
            string NameOf(int index) => orders.Count == 1 ? displayName : $"{displayName} ({index + 1} of {orders.Count})";
            string Carried(int index) =>
                $"{orders[index].IdentityCount} identities ({string.Join(", ", orders[index].Namespaces.Select(n => $"{n.Value.Count} {n.Key}"))})";

            SubmitConcurrently(orders,
                (order, index, token) => context.Session.Hygiene.SubmitWorkOrderAsync(DatasetId, NameOf(index), Description, order, token),
                (index, outcome) =>
                {
                    if (outcome.Created == null)
                    {
                        WriteSubmissionError(outcome.Failure!, index, orders.Count, Carried(index), NameOf(index), outcome.OutcomeKnown);
                        return;
                    }
                    if (outcome.Failure != null)
                    {
                        WriteWarning($"The answer to work order {index + 1} of {orders.Count} ('{NameOf(index)}') was lost ({outcome.Failure.Message}), but the platform did create it as {outcome.Created.WorkOrderId}; it was not sent again.");
                    }
                    WriteVerbose($"Work order {index + 1} of {orders.Count} is {outcome.Created.WorkOrderId} with {orders[index].IdentityCount} identities.");
                    listing?.Add(outcome.Created);
                    WriteObject(outcome.Created);
                },
                (index, ex) => WriteSubmissionError(ex, index, orders.Count, Carried(index), NameOf(index), outcomeKnown: true),
                "work order");
        }

        /// <summary>
        /// Sends the requests with at most -ThrottleLimit in flight, and handles each one's result on the pipeline
        /// thread in request order, so output and errors read the same whatever order the answers came in.
        /// </summary>
        private void SubmitConcurrently<TItem, TResult>(IReadOnlyList<TItem> items, Func<TItem, int, CancellationToken, Task<TResult>> submit,
            Action<int, TResult> onResult, Action<int, PlatformApiException> onError, string noun)
            where TResult : class
        {
            Await(async token =>
            {
                using var gate = new SemaphoreSlim(ThrottleLimit);
                var submissions = items.Select(async (item, index) =>
                {
                    await gate.WaitAsync(token).ConfigureAwait(false);
                    try
                    {
                        return (Result: await submit(item, index, token).ConfigureAwait(false), Error: (PlatformApiException?)null);
                    }
                    catch (PlatformApiException ex)
                    {
                        return (Result: (TResult?)null, Error: ex);
                    }
                    finally
                    {
                        gate.Release();
                    }
                }).ToArray();

                for (var i = 0; i < submissions.Length; i++)
                {
                    var (result, error) = await submissions[i].ConfigureAwait(false);
                    // Let each answer go once it is handed on, so a million results are never held at once.
                    submissions[i] = null!;
                    var index = i;
                    Post(() =>
                    {
                        if (error != null) onError(index, error);
                        else onResult(index, result!);
                        ReportProgress(index + 1, items.Count, $"{noun} {index + 1} of {items.Count} answered");
                    });
                }
                return true;
            });
        }

        private void WriteProblems(IEnumerable<RecordDeleteProblem> problems)
        {
            foreach (var problem in problems)
            {
                WriteError(PlatformErrors.InvalidArgument(problem.Message, problem.ErrorId, problem.Target));
            }
        }

        /// <summary>Says exactly what the failed request carried, and whether it is known not to have been applied.</summary>
        private void WriteSubmissionError(PlatformApiException ex, int index, int total, string carried, object target, bool outcomeKnown)
        {
            var outcome = outcomeKnown
                ? "it was not applied"
                : "its outcome is unknown: the platform may have accepted it before the failure. Check before submitting it again";
            var wrapped = new PlatformApiException(ex.Kind,
                $"Request {index + 1} of {total} with {carried} failed, and {outcome}. {ex.Message}",
                ex.StatusCode, ex.ErrorCode, ex.RequestId, ex.ResponseBody, ex);
            WriteApiError(wrapped, target, outcomeKnown ? "SubmissionFailed" : "SubmissionOutcomeUnknown");
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

        private static string Count(long n, string singular, string? plural = null) => $"{n:N0} {(n == 1 ? singular : plural ?? singular + "s")}";

        private static string KeyList(IEnumerable<string> keys)
        {
            var list = keys.ToList();
            return list.Count <= 5 ? string.Join(", ", list) : string.Join(", ", list.Take(5)) + $" and {list.Count - 5} more";
        }
    }
}
