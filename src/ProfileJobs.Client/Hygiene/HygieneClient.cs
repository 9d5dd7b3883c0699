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
        public CreationWindow Window { get; set; } = CreationWindow.None;
        public int PageSize { get; set; } = 100;
    }

    /// <summary>Filters for listing record-delete jobs.</summary>
    internal sealed class RecordDeleteQuery
    {
        public IReadOnlyList<string>? Status { get; set; }
        public CreationWindow Window { get; set; } = CreationWindow.None;
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

        /// <summary>The regulation under which record deletes (sent without one) are listed (docs/emulator.md, "Listing record deletes").</summary>
        private const string RecordDeleteRegulation = "hygiene";

        private static readonly string[] PrivacyDateFormats = { "MM/dd/yyyy hh:mm tt 'GMT'", "MM/dd/yyyy h:mm tt 'GMT'" };

        private readonly ExperiencePlatformContext _context;
        private readonly ApiTransport _transport;

        public HygieneClient(ExperiencePlatformContext context, ApiTransport transport)
        {
            _context = context;
            _transport = transport;
        }

        /// <summary>What a delete by record-delete jobs does, for the confirmation: the whole input when it is all read, else how it is streamed.</summary>
        public string DescribeRecordDeletes(RecordDeleteStream stream, bool inputComplete) =>
            inputComplete
                ? $"{Counts.Of(stream.UserCount, "customer")} with {Counts.Of(stream.IdentityCount, "identity", "identities")} in {Counts.Of(stream.RequestCount, "request")} to /data/core/privacy/jobs (org {_context.OrgId})"
                : $"the customers of the pipeline input, streamed in requests of {RecordDeletePlanner.MaxUsersPerRequest:N0} sent as they fill ({Counts.Of(stream.UsersRead, "customer")} read so far) to /data/core/privacy/jobs (org {_context.OrgId})";

        /// <summary>What a delete by work orders does, for the confirmation, as <see cref="DescribeRecordDeletes"/>.</summary>
        public string DescribeWorkOrders(WorkOrderStream stream, string datasetId, bool inputComplete) =>
            inputComplete
                ? $"{Counts.Of(stream.IdentityCount, "identity", "identities")} in {Counts.Of(stream.OrderCount, "work order")} for dataset {datasetId} (sandbox {_context.Sandbox}, org {_context.OrgId})"
                : $"the identities of the pipeline input, streamed in work orders of {RecordDeletePlanner.MaxIdentitiesPerWorkOrder:N0} sent as they fill ({Counts.Of(stream.IdentitiesRead, "identity", "identities")} read so far) for dataset {datasetId} (sandbox {_context.Sandbox}, org {_context.OrgId})";

        /// <summary>
        /// Sends the requests of <paramref name="queue"/> as they come, at most <paramref name="maxInFlight"/> at once;
        /// each gets one outcome (see <see cref="BulkSubmitter"/>): <paramref name="stopSending"/> starts no more,
        /// <paramref name="abort"/> abandons those on their way.
        /// </summary>
        public Task SubmitAsync(SubmissionQueue<RecordDeleteRequest> queue, int maxInFlight, BulkObserver<IReadOnlyList<HygieneRecordDelete>> observer, CancellationToken stopSending, CancellationToken abort) =>
            BulkSubmitter.RunAsync(queue, maxInFlight, (_, request, token) => SubmitRequestAsync(request, token), (_, request) => request.Describe(), observer, stopSending, abort);

        /// <summary>Sends the work orders of <paramref name="queue"/> as they come, as the record-delete overload does.</summary>
        public Task SubmitAsync(WorkOrderSubmission submission, SubmissionQueue<WorkOrderRequest> queue, int maxInFlight, BulkObserver<HygieneWorkOrder> observer, CancellationToken stopSending, CancellationToken abort) =>
            BulkSubmitter.RunAsync(queue, maxInFlight, (_, order, token) => SubmitWorkOrderAsync(submission, order, token), (_, order) => submission.Describe(order), observer, stopSending, abort);

        /// <summary>
        /// One request of at most 1,000 customers. Record-delete jobs cannot be looked up by their content, so after an
        /// ambiguous failure the outcome stays unknown; it is never sent again. An answer that names fewer customers
        /// than were sent is the jobs it names plus SubmissionOutcomeUnknown for the others.
        /// </summary>
        private async Task<SubmissionOutcome<IReadOnlyList<HygieneRecordDelete>>> SubmitRequestAsync(RecordDeleteRequest request, CancellationToken cancellationToken)
        {
            CreatedAnswer answer;
            try
            {
                answer = await PostRecordDeletesAsync(request.Users, cancellationToken).ConfigureAwait(false);
            }
            catch (PlatformApiException ex) when (SubmissionOutcome<HygieneRecordDelete>.IsAmbiguous(ex))
            {
                return SubmissionOutcome<IReadOnlyList<HygieneRecordDelete>>.Unknown(ex, request.Describe(),
                    "The platform may have accepted it before the failure: check the customers' record-delete jobs", request.Keys);
            }
            catch (PlatformApiException ex)
            {
                return SubmissionOutcome<IReadOnlyList<HygieneRecordDelete>>.Refused(ex, request.Describe(), request.Keys);
            }

            // An answer that cannot be read was still an answer to a request the platform took.
            if (answer.Failure != null)
            {
                return SubmissionOutcome<IReadOnlyList<HygieneRecordDelete>>.Unknown(answer.Failure, request.Describe(),
                    "The platform may have accepted it: check the customers' record-delete jobs", request.Keys);
            }
            var jobs = answer.Jobs!;
            var requestId = answer.RequestId;

            // Every customer sent must come back with a job: the answer is the only record of a job's id.
            var missing = Unacknowledged(request.Users, jobs);
            var report = $"{Sentence(request.Describe())} created {jobs.Count} record-delete jobs (request id {requestId}).";
            if (missing.Length == 0) return SubmissionOutcome<IReadOnlyList<HygieneRecordDelete>>.Succeeded(jobs, report);
            var shortfall = new PlatformApiException(PlatformErrorKind.InvalidResponse,
                $"The platform accepted {request.Describe()} but its answer has no job for {Counts.Of(missing.Length, "customer")} of them " +
                $"({Counts.List(missing)}): whether it created their record-delete jobs is unknown. Look for these customers' jobs " +
                "(Get-HygieneRecordDelete) before submitting them again.",
                requestId: requestId, errorId: ErrorIds.SubmissionOutcomeUnknown, target: missing);
            return SubmissionOutcome<IReadOnlyList<HygieneRecordDelete>>.PartlyAcknowledged(jobs, report, shortfall);
        }

        /// <summary>
        /// The keys of the customers sent that no job of the answer (with a job id) names, in the order sent. The answer
        /// normally lists the customers in that order, with the very key strings sent (<see cref="RecordDeleteWire"/>), so
        /// only the customers it does not name at their own place are looked up among all its keys.
        /// </summary>
        private static string[] Unacknowledged(IReadOnlyList<RecordDeleteUser> users, List<HygieneRecordDelete> jobs)
        {
            List<int>? elsewhere = null;
            for (var i = 0; i < users.Count; i++)
            {
                if (i < jobs.Count && jobs[i].JobId.Length > 0 && string.Equals(jobs[i].UserKey, users[i].Key, StringComparison.Ordinal)) continue;
                (elsewhere ??= new List<int>()).Add(i);
            }
            if (elsewhere == null) return Array.Empty<string>();
            var acknowledged = new HashSet<string>(jobs.Where(j => j.JobId.Length > 0).Select(j => j.UserKey), StringComparer.Ordinal);
            return elsewhere.Select(i => users[i].Key).Where(key => !acknowledged.Contains(key)).ToArray();
        }

        /// <summary>A create's answer as read: its jobs and request id, or why it could not be read (InvalidResponse).</summary>
        private readonly struct CreatedAnswer
        {
            public CreatedAnswer(List<HygieneRecordDelete>? jobs, string? requestId, PlatformApiException? failure)
            {
                Jobs = jobs;
                RequestId = requestId;
                Failure = failure;
            }

            public List<HygieneRecordDelete>? Jobs { get; }
            public string? RequestId { get; }
            public PlatformApiException? Failure { get; }
        }

        private async Task<CreatedAnswer> PostRecordDeletesAsync(IReadOnlyList<RecordDeleteUser> users, CancellationToken cancellationToken)
        {
            // Written straight into a pooled buffer, returned once the request is sent (retries included) and disposed;
            // the answer is read where it arrived, before its pooled buffer goes back.
            using var body = RecordDeleteWire.WriteRequest(_context.OrgId, users);
            var request = RequestMetadata.Create(HttpMethod.Post, PrivacyJobsPath, ApiOperation.SubmitRecordDeletes, body.Content);
            return await _transport.SendAsync(request, (answer, requestId) => ReadCreated(answer.Span, users, requestId), cancellationToken).ConfigureAwait(false);
        }

        /// <summary>The jobs of a create's answer; a body that is not their JSON (or JSON null) is InvalidResponse, as <see cref="Read{T}"/> makes it.</summary>
        private static CreatedAnswer ReadCreated(ReadOnlySpan<byte> body, IReadOnlyList<RecordDeleteUser> sent, string? exchangeRequestId)
        {
            try
            {
                var jobs = RecordDeleteWire.ReadCreated(body, sent, exchangeRequestId, out var requestId);
                return jobs != null
                    ? new CreatedAnswer(jobs, requestId ?? exchangeRequestId, null)
                    : new CreatedAnswer(null, null, new PlatformApiException(PlatformErrorKind.InvalidResponse, "The platform answered with an empty body.", requestId: exchangeRequestId));
            }
            catch (JsonException ex)
            {
                return new CreatedAnswer(null, null, new PlatformApiException(PlatformErrorKind.InvalidResponse, $"The platform answered with JSON that cannot be read: {ex.Message}", requestId: exchangeRequestId, inner: ex));
            }
        }

        /// <summary>At most this many pages of work orders are read to reconcile a work order whose answer was lost.</summary>
        public const int MaxReconcilePages = 100;

        /// <summary>
        /// One work order. It is never sent twice: after an ambiguous failure the sandbox's work orders are searched
        /// for its display name, which carries the submission's marker (<see cref="WorkOrderSubmission.Marker"/>), so only
        /// this very order can have it.
        /// </summary>
        private async Task<SubmissionOutcome<HygieneWorkOrder>> SubmitWorkOrderAsync(WorkOrderSubmission plan, WorkOrderRequest order, CancellationToken cancellationToken)
        {
            var displayName = plan.NameOf(order);
            var submission = plan.Describe(order);
            try
            {
                var created = await PostWorkOrderAsync(plan, order, cancellationToken).ConfigureAwait(false);
                return SubmissionOutcome<HygieneWorkOrder>.Succeeded(created,
                    $"Work order {order.Index + 1} is {created.WorkOrderId} with {order.Batch.IdentityCount} identities.");
            }
            catch (PlatformApiException ex) when (SubmissionOutcome<HygieneWorkOrder>.IsAmbiguous(ex))
            {
                try
                {
                    HygieneWorkOrder? found = null;
                    var pages = 0;
                    var complete = true;
                    await ListWorkOrdersAsync(new WorkOrderQuery { Search = plan.Marker }, page =>
                    {
                        found = page.FirstOrDefault(w => string.Equals(w.DisplayName, displayName, StringComparison.Ordinal));
                        if (found != null) return false;
                        if (++pages < MaxReconcilePages) return true;
                        complete = page.Count == 0;
                        return false;
                    }, cancellationToken).ConfigureAwait(false);
                    if (found != null) return SubmissionOutcome<HygieneWorkOrder>.FoundAfterLostAnswer(found, $"work order {found.WorkOrderId}", ex, submission);
                    return complete
                        ? SubmissionOutcome<HygieneWorkOrder>.NotCreated(ex, submission, "no work order has its display name", displayName)
                        : SubmissionOutcome<HygieneWorkOrder>.Unknown(ex, submission, $"Look with Get-HygieneRecordDelete -Search '{plan.Marker}'", displayName);
                }
                catch (PlatformApiException)
                {
                    return SubmissionOutcome<HygieneWorkOrder>.Unknown(ex, submission, $"Look with Get-HygieneRecordDelete -Search '{plan.Marker}'", displayName);
                }
            }
            catch (PlatformApiException ex)
            {
                return SubmissionOutcome<HygieneWorkOrder>.Refused(ex, submission, displayName);
            }
        }

        private async Task<HygieneWorkOrder> PostWorkOrderAsync(WorkOrderSubmission plan, WorkOrderRequest order, CancellationToken cancellationToken)
        {
            var body = new WorkOrderRequestBody
            {
                DisplayName = plan.NameOf(order),
                Description = plan.Description,
                DatasetId = plan.DatasetId,
                NamespacesIdentities = order.Batch.Namespaces.Select(n => new NamespaceIdentitiesBody
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
            return ToRecordDelete(job, jobId);
        }

        private static HygieneRecordDelete ToRecordDelete(PrivacyJobBody job, string jobId) =>
            new HygieneRecordDelete
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

        /// <summary>
        /// Lists the organization's record-delete jobs newest first, page by page (0-based <c>page</c>, <c>size</c>),
        /// handing each page to <paramref name="onPage"/>, which returns false to stop. The record deletes this module
        /// sends carry no regulation; the listing requires one and names them <see cref="RecordDeleteRegulation"/>.
        /// </summary>
        public async Task ListRecordDeletesAsync(RecordDeleteQuery query, Func<IReadOnlyList<HygieneRecordDelete>, bool> onPage, CancellationToken cancellationToken)
        {
            onPage = query.Window.Filter(onPage, job => job.CreatedAt, TimeSpan.FromMinutes(1));
            var guard = new PageGuard("the record-delete job list", "record-delete job");
            long listed = 0;
            for (var page = 0; ; page++)
            {
                var path = new StringBuilder(PrivacyJobsPath).Append("?regulation=").Append(RecordDeleteRegulation)
                    .Append("&page=").Append(page.ToString(CultureInfo.InvariantCulture))
                    .Append("&size=").Append(query.PageSize.ToString(CultureInfo.InvariantCulture));
                if (query.Status != null && query.Status.Count > 0) path.Append("&status=").Append(Uri.EscapeDataString(string.Join(",", query.Status)));
                AppendDates(path, query.Window);
                var request = RequestMetadata.Create(HttpMethod.Get, path.ToString(), ApiOperation.ListRecordDeletes);
                var response = await _transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
                var list = Read(response, ClientJsonContext.Default.PrivacyJobListBody);
                var jobs = list.JobDetails ?? new List<PrivacyJobBody>();
                if (jobs.Count > 0) guard.CheckContent(page, jobs[0].JobId, response.RequestId);
                if (!onPage(jobs.Select(job => ToRecordDelete(job, job.JobId ?? "")).ToList())) return;
                listed += jobs.Count;
                // aep-api.md 5.6: a short page is the last, as is reaching totalRecords.
                if (jobs.Count < query.PageSize || (list.TotalRecords.HasValue && listed >= list.TotalRecords.Value)) return;
                guard.CheckNext(page, null, response.RequestId);
            }
        }

        /// <summary>Renames a work order, or changes its description (<c>PUT /workorder/{id}</c>), and returns it as updated.</summary>
        public async Task<HygieneWorkOrder> UpdateWorkOrderAsync(string workOrderId, string? displayName, string? description, CancellationToken cancellationToken)
        {
            var body = new WorkOrderUpdateBody { DisplayName = displayName, Description = description };
            var request = RequestMetadata.Create(HttpMethod.Put, WorkOrderPath + "/" + Uri.EscapeDataString(workOrderId), ApiOperation.UpdateWorkOrder,
                ApiTransport.JsonContent(body, ClientJsonContext.Default.WorkOrderUpdateBody));
            var response = await _transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var order = ToWorkOrder(Read(response, ClientJsonContext.Default.WorkOrderBody));
            order.RequestId = response.RequestId;
            return order;
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
            onPage = query.Window.Filter(onPage, order => order.CreatedAt);
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
            AppendDates(text, query.Window);
            return text.ToString();
        }

        private static void AppendDates(StringBuilder text, CreationWindow window)
        {
            if (window.FromDate.HasValue) text.Append("&fromDate=").Append(window.FromDate.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            if (window.ToDate.HasValue) text.Append("&toDate=").Append(window.ToDate.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
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

        private static string Sentence(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text.Substring(1);

        private static DateTimeOffset? ParseIso(string? text) =>
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value) ? value : (DateTimeOffset?)null;

        private static DateTimeOffset? ParsePrivacyDate(string? text) =>
            DateTimeOffset.TryParseExact(text, PrivacyDateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
                ? value
                : ParseIso(text);
    }
}
