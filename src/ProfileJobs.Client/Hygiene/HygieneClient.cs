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

namespace ProfileJobs.Hygiene
{
    /// <summary>Filters for listing work orders.</summary>
    public sealed class WorkOrderQuery
    {
        public IReadOnlyList<string>? Status { get; set; }
        public string? Search { get; set; }
        public DateTime? FromDate { get; set; }
        public DateTime? ToDate { get; set; }
        public int PageSize { get; set; } = 100;
    }

    /// <summary>
    /// Data Hygiene record deletes: the record-delete jobs of <c>/data/core/privacy/jobs</c>, the work orders of
    /// <c>/data/core/hygiene/workorder</c>, and the organization's quotas.
    /// </summary>
    internal sealed class HygieneClient
    {
        private const string PrivacyJobsPath = "data/core/privacy/jobs";
        private const string WorkOrderPath = "data/core/hygiene/workorder";
        private const string QuotaPath = "data/core/hygiene/quota";
        private static readonly string[] PrivacyDateFormats = { "MM/dd/yyyy hh:mm tt 'GMT'", "MM/dd/yyyy h:mm tt 'GMT'" };

        private readonly ExperiencePlatformContext _context;
        private readonly PlatformHttp _http;

        public HygieneClient(ExperiencePlatformContext context, PlatformHttp http)
        {
            _context = context;
            _http = http;
        }

        /// <summary>Submits one request of at most 1,000 users; returns one job per user as the API created them.</summary>
        public async Task<IReadOnlyList<HygieneRecordDelete>> SubmitRecordDeletesAsync(IReadOnlyList<RecordDeleteUser> users, CancellationToken cancellationToken)
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
            using var request = new HttpRequestMessage(HttpMethod.Post, PrivacyJobsPath)
            {
                Content = PlatformHttp.JsonContent(body, ClientJsonContext.Default.PrivacyJobRequestBody),
            };
            var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
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
        /// Submits one work order. It is never sent twice: after an ambiguous failure the sandbox's work orders are
        /// searched for its display name, which should therefore be unique.
        /// </summary>
        public async Task<SubmissionOutcome<HygieneWorkOrder>> SubmitWorkOrderAsync(string datasetId, string displayName, string? description, WorkOrderBatch batch, CancellationToken cancellationToken)
        {
            var sentAfter = DateTimeOffset.UtcNow - TimeSpan.FromMinutes(5);
            try
            {
                return SubmissionOutcome<HygieneWorkOrder>.Succeeded(await PostWorkOrderAsync(datasetId, displayName, description, batch, cancellationToken).ConfigureAwait(false));
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
                    return found != null ? SubmissionOutcome<HygieneWorkOrder>.FoundAfter(found, ex) : SubmissionOutcome<HygieneWorkOrder>.NotCreated(ex);
                }
                catch (PlatformApiException)
                {
                    return SubmissionOutcome<HygieneWorkOrder>.Unknown(ex);
                }
            }
        }

        private async Task<HygieneWorkOrder> PostWorkOrderAsync(string datasetId, string displayName, string? description, WorkOrderBatch batch, CancellationToken cancellationToken)
        {
            var body = new WorkOrderRequestBody
            {
                DisplayName = displayName,
                Description = description,
                DatasetId = datasetId,
                NamespacesIdentities = batch.Namespaces.Select(n => new NamespaceIdentitiesBody
                {
                    Namespace = new NamespaceCodeBody { Code = n.Key },
                    Ids = n.Value,
                }).ToList(),
            };
            using var request = new HttpRequestMessage(HttpMethod.Post, WorkOrderPath)
            {
                Content = PlatformHttp.JsonContent(body, ClientJsonContext.Default.WorkOrderRequestBody),
            };
            PlatformHttp.AddSandbox(request, _context);
            var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var workOrder = ToWorkOrder(Read(response, ClientJsonContext.Default.WorkOrderBody));
            workOrder.RequestId = response.RequestId;
            return workOrder;
        }

        public async Task<HygieneRecordDelete> GetRecordDeleteAsync(string jobId, CancellationToken cancellationToken)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, PrivacyJobsPath + "/" + Uri.EscapeDataString(jobId));
            var job = Read(await _http.SendAsync(request, cancellationToken).ConfigureAwait(false), ClientJsonContext.Default.PrivacyJobBody);
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
            using var request = new HttpRequestMessage(HttpMethod.Get, WorkOrderPath + "/" + Uri.EscapeDataString(workOrderId));
            PlatformHttp.AddSandbox(request, _context);
            return ToWorkOrder(Read(await _http.SendAsync(request, cancellationToken).ConfigureAwait(false), ClientJsonContext.Default.WorkOrderBody));
        }

        /// <summary>
        /// Lists work orders page by page (0-based <c>page</c>), following <c>_links.next</c> to the end, handing each
        /// page to <paramref name="onPage"/>, which returns false to stop.
        /// </summary>
        public async Task ListWorkOrdersAsync(WorkOrderQuery query, Func<IReadOnlyList<HygieneWorkOrder>, bool> onPage, CancellationToken cancellationToken)
        {
            for (var page = 0; ; page++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, WorkOrderPath + ListQuery(query, page));
                PlatformHttp.AddSandbox(request, _context);
                var list = Read(await _http.SendAsync(request, cancellationToken).ConfigureAwait(false), ClientJsonContext.Default.WorkOrderListBody);
                var results = list.Results ?? new List<WorkOrderBody>();
                if (!onPage(results.Select(ToWorkOrder).ToList())) return;
                if (results.Count == 0 || string.IsNullOrEmpty(list.Links?.Next?.Href)) return;
            }
        }

        public async Task<IReadOnlyList<HygieneQuota>> GetQuotaAsync(string? quotaType, CancellationToken cancellationToken)
        {
            var path = QuotaPath + (string.IsNullOrEmpty(quotaType) ? "" : "?quotaType=" + Uri.EscapeDataString(quotaType!));
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            var list = Read(await _http.SendAsync(request, cancellationToken).ConfigureAwait(false), ClientJsonContext.Default.QuotaListBody);
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

        private static T Read<T>(PlatformResponse response, JsonTypeInfo<T> type) where T : class
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
