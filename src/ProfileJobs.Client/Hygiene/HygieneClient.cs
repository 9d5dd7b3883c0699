using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using ProfileJobs.Http;
using ProfileJobs.Json;
using ProfileJobs.Paging;
using ProfileJobs.Submissions;

namespace ProfileJobs.Hygiene
{
    /// <summary>Filters for listing work orders.</summary>
    internal sealed class WorkOrderQuery
    {
        public IReadOnlyList<string>? Status { get; set; }
        public string? Search { get; set; }
        public DateTime? FromDate { get; set; }
        public DateTime? ToDate { get; set; }
        public int PageSize { get; set; } = 100;
    }

    /// <summary>
    /// Data Hygiene record deletes: the record-delete jobs of <c>/data/core/privacy/jobs</c>, the work orders of
    /// <c>/data/core/hygiene/workorder</c>, and the organization's quotas. Bulk deletes are planned here (validated,
    /// split, named) and submitted here, with bounded concurrency and every outcome accounted for.
    /// </summary>
    internal sealed class HygieneClient
    {
        private const string PrivacyJobsPath = "data/core/privacy/jobs";
        private const string WorkOrderPath = "data/core/hygiene/workorder";
        private const string QuotaPath = "data/core/hygiene/quota";
        private static readonly string[] PrivacyDateFormats = { "MM/dd/yyyy hh:mm tt 'GMT'", "MM/dd/yyyy h:mm tt 'GMT'" };

        private readonly ExperiencePlatformContext _context;
        private readonly ApiTransport _transport;

        public HygieneClient(ExperiencePlatformContext context, ApiTransport transport)
        {
            _context = context;
            _transport = transport;
        }

        /// <summary>Groups and validates rows into customers for record-delete jobs; what cannot be sent goes to <paramref name="problems"/>.</summary>
        public RecordDeletePlan PlanRecordDeletes(IEnumerable<RecordDeleteInput> rows, List<RecordDeleteProblem> problems) =>
            new RecordDeletePlan(RecordDeletePlanner.PlanUsers(rows, problems), _context.OrgId);

        /// <summary>Validates rows and packs them into work orders for a dataset (or ALL).</summary>
        public WorkOrderPlan PlanWorkOrders(string datasetId, string? displayName, string? description, IEnumerable<RecordDeleteInput> rows, List<RecordDeleteProblem> problems) =>
            new WorkOrderPlan(datasetId, displayName, description, RecordDeletePlanner.PlanWorkOrders(rows, problems), _context.Sandbox, _context.OrgId);

        /// <summary>
        /// Sends the plan's requests, at most <paramref name="maxInFlight"/> at once; each gets one outcome (see
        /// <see cref="BulkSubmitter"/>): <paramref name="stopSending"/> starts no more, <paramref name="abort"/> abandons those on their way.
        /// </summary>
        public Task SubmitAsync(RecordDeletePlan plan, int maxInFlight, BulkObserver<IReadOnlyList<HygieneRecordDelete>> observer, CancellationToken stopSending, CancellationToken abort) =>
            BulkSubmitter.RunAsync(plan.Requests.Count, maxInFlight, (index, token) => SubmitRequestAsync(plan, index, token), plan.Describe, observer, stopSending, abort);

        /// <summary>Sends the plan's work orders, at most <paramref name="maxInFlight"/> at once, as the record-delete overload does.</summary>
        public Task SubmitAsync(WorkOrderPlan plan, int maxInFlight, BulkObserver<HygieneWorkOrder> observer, CancellationToken stopSending, CancellationToken abort) =>
            BulkSubmitter.RunAsync(plan.Orders.Count, maxInFlight, (index, token) => SubmitWorkOrderAsync(plan, index, token), plan.Describe, observer, stopSending, abort);

        /// <summary>
        /// One request of at most 1,000 customers. Record-delete jobs cannot be looked up by their content, so after an
        /// ambiguous failure the outcome stays unknown; it is never sent again.
        /// </summary>
        private async Task<SubmissionOutcome<IReadOnlyList<HygieneRecordDelete>>> SubmitRequestAsync(RecordDeletePlan plan, int index, CancellationToken cancellationToken)
        {
            try
            {
                var jobs = await PostRecordDeletesAsync(plan.Requests[index], cancellationToken).ConfigureAwait(false);
                return SubmissionOutcome<IReadOnlyList<HygieneRecordDelete>>.Succeeded(jobs,
                    $"Request {index + 1} of {plan.Requests.Count} created {jobs.Count} record-delete jobs (request id {jobs.FirstOrDefault()?.RequestId}).");
            }
            catch (PlatformApiException ex) when (SubmissionOutcome<HygieneRecordDelete>.IsAmbiguous(ex))
            {
                return SubmissionOutcome<IReadOnlyList<HygieneRecordDelete>>.Unknown(ex, plan.Describe(index),
                    "The platform may have accepted it before the failure: check the customers' record-delete jobs", plan.KeysOf(index));
            }
            catch (PlatformApiException ex)
            {
                return SubmissionOutcome<IReadOnlyList<HygieneRecordDelete>>.Refused(ex, plan.Describe(index), plan.KeysOf(index));
            }
        }

        private async Task<IReadOnlyList<HygieneRecordDelete>> PostRecordDeletesAsync(IReadOnlyList<RecordDeleteUser> users, CancellationToken cancellationToken)
        {
            var body = new PrivacyJobRequestBody
            {
                CompanyContexts = { new CompanyContextBody { Value = _context.OrgId } },
                Users = users.Select(u => new PrivacyUserBody
                {
                    Key = u.Key,
                    Action = new List<string> { "delete" },
                    UserIds = u.Identities.Select(i => new PrivacyIdentityBody { Namespace = i.Namespace, Value = i.Value, Type = i.Type }).ToList(),
                }).ToList(),
            };
            var request = RequestMetadata.Create(HttpMethod.Post, PrivacyJobsPath, ApiOperation.SubmitRecordDeletes,
                ApiTransport.JsonContent(body, ClientJsonContext.Default.PrivacyJobRequestBody));
            var response = await _transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var created = Read(response, ClientJsonContext.Default.PrivacyJobCreatedBody);
            return (created.Jobs ?? new List<PrivacyCreatedJobBody>()).Select(job => new HygieneRecordDelete
            {
                JobId = job.JobId ?? "",
                UserKey = job.Customer?.User?.Key ?? "",
                Action = job.Customer?.User?.Action?.FirstOrDefault(),
                Identities = ToIdentities(job.Customer?.User?.UserIds),
                RequestId = created.RequestId ?? response.RequestId,
            }).ToList();
        }

        /// <summary>
        /// One work order. It is never sent twice: after an ambiguous failure the sandbox's work orders are searched
        /// for its display name, which is unique to it within the submission.
        /// </summary>
        private async Task<SubmissionOutcome<HygieneWorkOrder>> SubmitWorkOrderAsync(WorkOrderPlan plan, int index, CancellationToken cancellationToken)
        {
            var displayName = plan.NameOf(index);
            var submission = plan.Describe(index);
            var sentAfter = DateTimeOffset.UtcNow - TimeSpan.FromMinutes(5);
            try
            {
                var order = await PostWorkOrderAsync(plan, index, cancellationToken).ConfigureAwait(false);
                return SubmissionOutcome<HygieneWorkOrder>.Succeeded(order,
                    $"Work order {index + 1} of {plan.Orders.Count} is {order.WorkOrderId} with {plan.Orders[index].IdentityCount} identities.");
            }
            catch (PlatformApiException ex) when (SubmissionOutcome<HygieneWorkOrder>.IsAmbiguous(ex))
            {
                try
                {
                    HygieneWorkOrder? found = null;
                    await ListWorkOrdersAsync(new WorkOrderQuery { Search = displayName }, page =>
                    {
                        found = page.FirstOrDefault(w => string.Equals(w.DisplayName, displayName, StringComparison.Ordinal) &&
                                                         (w.CreatedAt == null || w.CreatedAt >= sentAfter));
                        return found == null;
                    }, cancellationToken).ConfigureAwait(false);
                    return found != null
                        ? SubmissionOutcome<HygieneWorkOrder>.FoundAfterLostAnswer(found, $"work order {found.WorkOrderId}", ex, submission)
                        : SubmissionOutcome<HygieneWorkOrder>.NotCreated(ex, submission, "no work order has its display name", displayName);
                }
                catch (PlatformApiException)
                {
                    return SubmissionOutcome<HygieneWorkOrder>.Unknown(ex, submission, $"Look with Get-HygieneRecordDelete -Search '{displayName}'", displayName);
                }
            }
            catch (PlatformApiException ex)
            {
                return SubmissionOutcome<HygieneWorkOrder>.Refused(ex, submission, displayName);
            }
        }

        private async Task<HygieneWorkOrder> PostWorkOrderAsync(WorkOrderPlan plan, int index, CancellationToken cancellationToken)
        {
            var body = new WorkOrderRequestBody
            {
                DisplayName = plan.NameOf(index),
                Description = plan.Description,
                DatasetId = plan.DatasetId,
                NamespacesIdentities = plan.Orders[index].Namespaces.Select(n => new NamespaceIdentitiesBody
                {
                    Namespace = new NamespaceCodeBody { Code = n.Key },
                    Ids = n.Value,
                }).ToList(),
            };
            var request = RequestMetadata.Create(HttpMethod.Post, WorkOrderPath, ApiOperation.SubmitWorkOrder,
                ApiTransport.JsonContent(body, ClientJsonContext.Default.WorkOrderRequestBody));
            var response = await _transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var workOrder = ToWorkOrder(Read(response, ClientJsonContext.Default.WorkOrderBody));
            workOrder.RequestId = response.RequestId;
            return workOrder;
        }

        public async Task<HygieneRecordDelete> GetRecordDeleteAsync(string jobId, CancellationToken cancellationToken)
        {
            var request = RequestMetadata.Create(HttpMethod.Get, PrivacyJobsPath + "/" + Uri.EscapeDataString(jobId), ApiOperation.GetRecordDelete);
            var job = Read(await _transport.SendAsync(request, cancellationToken).ConfigureAwait(false), ClientJsonContext.Default.PrivacyJobBody);
            return new HygieneRecordDelete
            {
                JobId = job.JobId ?? jobId,
                UserKey = job.UserKey ?? "",
                RequestId = job.RequestId,
                Status = job.Status ?? "",
                Action = job.Action,
                SubmittedBy = job.SubmittedBy,
                CreatedAt = ParsePrivacyDate(job.CreatedDate),
                UpdatedAt = ParsePrivacyDate(job.LastModifiedDate),
                Identities = ToIdentities(job.UserIds),
                ProductStatus = (job.ProductResponses ?? new List<ProductResponseBody>()).Select(p => new HygieneProductStatus
                {
                    Product = p.Product ?? "",
                    Status = p.StatusResponse?.Status ?? "",
                    Message = p.StatusResponse?.Message,
                    UpdatedAt = ParsePrivacyDate(p.ProcessedDate),
                }).ToList(),
            };
        }

        public async Task<HygieneWorkOrder> GetWorkOrderAsync(string workOrderId, CancellationToken cancellationToken)
        {
            var request = RequestMetadata.Create(HttpMethod.Get, WorkOrderPath + "/" + Uri.EscapeDataString(workOrderId), ApiOperation.GetWorkOrder);
            return ToWorkOrder(Read(await _transport.SendAsync(request, cancellationToken).ConfigureAwait(false), ClientJsonContext.Default.WorkOrderBody));
        }

        /// <summary>
        /// Lists work orders page by page (0-based <c>page</c>), following <c>_links.next</c> to the end, handing each
        /// page to <paramref name="onPage"/>, which returns false to stop. A repeated page or next link, or more than
        /// <paramref name="maxPages"/> pages, ends the listing with InvalidResponse (<see cref="PageGuard"/>).
        /// </summary>
        public async Task ListWorkOrdersAsync(WorkOrderQuery query, Func<IReadOnlyList<HygieneWorkOrder>, bool> onPage, CancellationToken cancellationToken,
            int maxPages = PageGuard.DefaultMaxPages)
        {
            var guard = new PageGuard("the work-order list", "work order", maxPages);
            for (var page = 0; ; page++)
            {
                var request = RequestMetadata.Create(HttpMethod.Get, WorkOrderPath + ListQuery(query, page), ApiOperation.ListWorkOrders);
                var response = await _transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
                var list = Read(response, ClientJsonContext.Default.WorkOrderListBody);
                var results = list.Results ?? new List<WorkOrderBody>();
                if (results.Count > 0) guard.CheckContent(page, results[0].WorkOrderId, response.RequestId);
                if (!onPage(results.Select(ToWorkOrder).ToList())) return;
                var next = list.Links?.Next?.Href;
                if (results.Count == 0 || string.IsNullOrEmpty(next)) return;
                guard.CheckNext(page, next, response.RequestId);
            }
        }

        public async Task<IReadOnlyList<HygieneQuota>> GetQuotaAsync(string? quotaType, CancellationToken cancellationToken)
        {
            var path = QuotaPath + (string.IsNullOrEmpty(quotaType) ? "" : "?quotaType=" + Uri.EscapeDataString(quotaType!));
            var request = RequestMetadata.Create(HttpMethod.Get, path, ApiOperation.GetQuota);
            var list = Read(await _transport.SendAsync(request, cancellationToken).ConfigureAwait(false), ClientJsonContext.Default.QuotaListBody);
            return (list.Quotas ?? new List<QuotaBody>()).Select(q => new HygieneQuota
            {
                Name = q.Name ?? "",
                Description = q.Description,
                Consumed = q.Consumed ?? 0,
                Quota = q.Quota ?? 0,
            }).ToList();
        }

        private static string ListQuery(WorkOrderQuery query, int page)
        {
            var text = new StringBuilder();
            text.Append("?page=").Append(page.ToString(CultureInfo.InvariantCulture))
                .Append("&limit=").Append(query.PageSize.ToString(CultureInfo.InvariantCulture));
            if (query.Status != null && query.Status.Count > 0) text.Append("&status=").Append(Uri.EscapeDataString(string.Join(",", query.Status)));
            if (!string.IsNullOrEmpty(query.Search)) text.Append("&search=").Append(Uri.EscapeDataString(query.Search!));
            if (query.FromDate.HasValue) text.Append("&fromDate=").Append(query.FromDate.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            if (query.ToDate.HasValue) text.Append("&toDate=").Append(query.ToDate.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            return text.ToString();
        }

        private HygieneWorkOrder ToWorkOrder(WorkOrderBody body) => new HygieneWorkOrder
        {
            WorkOrderId = body.WorkOrderId ?? "",
            BundleId = body.BundleId,
            Status = body.Status ?? "",
            DatasetId = body.DatasetId,
            DatasetName = body.DatasetName,
            DisplayName = body.DisplayName,
            Description = body.Description,
            Action = body.Action,
            IdentityCount = body.OperationCount ?? 0,
            TargetServices = body.TargetServices ?? new List<string>(),
            CreatedBy = body.CreatedBy,
            CreatedAt = ParseIso(body.CreatedAt),
            UpdatedAt = ParseIso(body.UpdatedAt),
            OrgId = body.OrgId ?? _context.OrgId,
            SandboxName = body.SandboxName ?? _context.SandboxName,
            ProductStatus = (body.ProductStatusDetails ?? new List<ProductStatusDetailBody>()).Select(p => new HygieneProductStatus
            {
                Product = p.ProductName ?? "",
                Status = p.ProductStatus ?? "",
                UpdatedAt = ParseIso(p.CreatedAt),
            }).ToList(),
        };

        private static IReadOnlyList<HygieneIdentity> ToIdentities(List<PrivacyIdentityBody>? ids) =>
            (ids ?? new List<PrivacyIdentityBody>()).Select(i => new HygieneIdentity
            {
                Namespace = i.Namespace ?? "",
                Value = i.Value ?? "",
                Type = i.Type ?? "",
                NamespaceId = i.NamespaceId,
            }).ToList();

        private static T Read<T>(ApiResponse response, JsonTypeInfo<T> type) where T : class
        {
            try
            {
                return JsonSerializer.Deserialize(response.Body, type)
                       ?? throw new PlatformApiException(PlatformErrorKind.InvalidResponse, "The platform answered with an empty body.", requestId: response.RequestId);
            }
            catch (JsonException ex)
            {
                throw new PlatformApiException(PlatformErrorKind.InvalidResponse, $"The platform answered with JSON that cannot be read: {ex.Message}", requestId: response.RequestId, inner: ex);
            }
        }

        private static DateTimeOffset? ParseIso(string? text) =>
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value) ? value : (DateTimeOffset?)null;

        private static DateTimeOffset? ParsePrivacyDate(string? text) =>
            DateTimeOffset.TryParseExact(text, PrivacyDateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
                ? value
                : ParseIso(text);
    }
}
