using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using ProfileJobs.Http;
using ProfileJobs.Json;

namespace ProfileJobs.SystemJobs
{
    /// <summary>
    /// <c>/data/core/ups/system/jobs</c> in all three generations: list (every page, as it arrives), get, create, delete.
    /// </summary>
    internal sealed class SystemJobsClient
    {
        public const int DefaultPageSize = 100;
        private const string JobsPath = "data/core/ups/system/jobs";

        private readonly ExperiencePlatformContext _context;
        private readonly PlatformHttp _http;

        public SystemJobsClient(ExperiencePlatformContext context, PlatformHttp http)
        {
            _context = context;
            _http = http;
        }

        /// <summary>
        /// Reads every job, page by page, handing each page to <paramref name="onPage"/> as it arrives (one hand-off
        /// per page, not per job, keeps the cost of crossing to the pipeline thread low). <paramref name="onPage"/>
        /// returns false to stop early: no further pages are requested.
        /// </summary>
        public async Task ListAsync(int pageSize, Func<IReadOnlyList<ProfileSystemJob>, bool> onPage, CancellationToken cancellationToken)
        {
            string? previousFirstId = null;
            for (var page = 0; ; page++)
            {
                var query = string.Format(CultureInfo.InvariantCulture, "?start={0}&limit={1}", page, pageSize);
                var response = await SendAsync(HttpMethod.Get, JobsPath + query, null, cancellationToken).ConfigureAwait(false);
                var parsed = ParsePage(response.Body);
                _context.RecordDetectedGeneration(parsed.Generation);

                if (parsed.Jobs.Count > 0)
                {
                    var firstId = parsed.Jobs[0].RequestId ?? parsed.Jobs[0].Id;
                    if (page > 0 && firstId == previousFirstId)
                    {
                        throw new PlatformApiException(PlatformErrorKind.InvalidResponse,
                            $"The platform returned page {page} of the job list with the same jobs as page {page - 1}; it does not seem to honour paging, so the listing stopped here.");
                    }
                    previousFirstId = firstId;
                }

                var jobs = new List<ProfileSystemJob>(parsed.Jobs.Count);
                foreach (var body in parsed.Jobs) jobs.Add(SystemJobMapper.ToJob(body, parsed.Generation, _context));
                if (!onPage(jobs)) return;

                if (!parsed.HasNextPage(page, pageSize)) return;
            }
        }

        public async Task<ProfileSystemJob> GetAsync(string id, CancellationToken cancellationToken)
        {
            var response = await SendAsync(HttpMethod.Get, JobPath(id), null, cancellationToken).ConfigureAwait(false);
            return ReadJob(response);
        }

        /// <summary>
        /// Creates a delete request for a dataset, or for one batch of it. The POST is never repeated after an ambiguous
        /// failure: the job list is searched for the job it would have created instead.
        /// </summary>
        public async Task<SubmissionOutcome<ProfileSystemJob>> CreateAsync(string datasetId, string? batchId, CancellationToken cancellationToken)
        {
            var generation = await ResolveGenerationAsync(cancellationToken).ConfigureAwait(false);
            // Azure's original contract spells dataSetId for dataset deletes; batch deletes and later generations use datasetId.
            var content = generation == ApiGeneration.Azure && batchId == null
                ? PlatformHttp.JsonContent(new CreateDatasetDeleteAzureBody { DataSetId = datasetId }, ClientJsonContext.Default.CreateDatasetDeleteAzureBody)
                : PlatformHttp.JsonContent(new CreateJobBody { DatasetId = datasetId, BatchId = batchId }, ClientJsonContext.Default.CreateJobBody);
            // Allow for the platform's clock being behind ours when matching jobs created by this request.
            var sentAfter = DateTimeOffset.UtcNow - TimeSpan.FromMinutes(5);
            try
            {
                var response = await SendAsync(HttpMethod.Post, JobsPath, content, cancellationToken).ConfigureAwait(false);
                return SubmissionOutcome<ProfileSystemJob>.Succeeded(ReadJob(response));
            }
            catch (PlatformApiException ex) when (SubmissionOutcome<ProfileSystemJob>.IsAmbiguous(ex))
            {
                ProfileSystemJob? found;
                try
                {
                    found = await FindJobAsync(datasetId, batchId, j => j.CreatedAt == null || j.CreatedAt >= sentAfter, cancellationToken).ConfigureAwait(false);
                }
                catch (PlatformApiException)
                {
                    return SubmissionOutcome<ProfileSystemJob>.Unknown(ex);
                }
                return found != null ? SubmissionOutcome<ProfileSystemJob>.FoundAfter(found, ex) : SubmissionOutcome<ProfileSystemJob>.NotCreated(ex);
            }
        }

        /// <summary>The newest job for this dataset (and batch) that satisfies <paramref name="match"/>, from a full listing.</summary>
        public async Task<ProfileSystemJob?> FindJobAsync(string datasetId, string? batchId, Func<ProfileSystemJob, bool> match, CancellationToken cancellationToken)
        {
            ProfileSystemJob? newest = null;
            await ListAsync(DefaultPageSize, page =>
            {
                foreach (var job in page)
                {
                    if (string.Equals(job.DatasetId, datasetId, StringComparison.Ordinal) &&
                        string.Equals(job.BatchId, batchId, StringComparison.Ordinal) && match(job) &&
                        (newest == null || (job.CreatedAt ?? DateTimeOffset.MinValue) > (newest.CreatedAt ?? DateTimeOffset.MinValue)))
                    {
                        newest = job;
                    }
                }
                return true;
            }, cancellationToken).ConfigureAwait(false);
            return newest;
        }

        /// <summary>Fails, without sending a DELETE, where the instance's generation has no DELETE for system jobs.</summary>
        public async Task RequireDeleteSupportAsync(string id, CancellationToken cancellationToken)
        {
            var generation = await ResolveGenerationAsync(cancellationToken).ConfigureAwait(false);
            if (generation != ApiGeneration.Azure)
            {
                throw new PlatformApiException(PlatformErrorKind.NotSupported,
                    $"Removing a system job is not supported on this instance: only the Azure generation of the Profile API has DELETE /system/jobs/{{id}}, and this sandbox speaks the {generation} generation. Job '{id}' was not changed.");
            }
        }

        public async Task DeleteAsync(string id, CancellationToken cancellationToken)
        {
            await RequireDeleteSupportAsync(id, cancellationToken).ConfigureAwait(false);
            try
            {
                await SendAsync(HttpMethod.Delete, JobPath(id), null, cancellationToken).ConfigureAwait(false);
            }
            catch (PlatformApiException ex) when (ex.StatusCode == HttpStatusCode.MethodNotAllowed)
            {
                throw new PlatformApiException(PlatformErrorKind.NotSupported,
                    $"Removing a system job is not supported on this instance (the platform answered 405 Method Not Allowed). Job '{id}' was not changed.",
                    ex.StatusCode, ex.ErrorCode, ex.RequestId, ex.ResponseBody, ex);
            }
        }

        /// <summary>The generation to speak: configured, implied, detected earlier, or probed with a one-job list request.</summary>
        public async Task<ApiGeneration> ResolveGenerationAsync(CancellationToken cancellationToken)
        {
            if (_context.ApiGeneration != ApiGeneration.Auto) return _context.ApiGeneration;
            var response = await SendAsync(HttpMethod.Get, JobsPath + "?start=0&limit=1", null, cancellationToken).ConfigureAwait(false);
            _context.RecordDetectedGeneration(ParsePage(response.Body).Generation);
            return _context.ApiGeneration == ApiGeneration.Auto ? ApiGeneration.Unified : _context.ApiGeneration;
        }

        private ProfileSystemJob ReadJob(PlatformResponse response)
        {
            SystemJobBody? body;
            try
            {
                body = JsonSerializer.Deserialize(response.Body, ClientJsonContext.Default.SystemJobBody);
            }
            catch (JsonException ex)
            {
                throw new PlatformApiException(PlatformErrorKind.InvalidResponse, $"The platform answered with a job that is not valid JSON: {ex.Message}", requestId: response.RequestId, inner: ex);
            }
            if (body == null || (body.Id ?? body.RequestId) == null)
            {
                throw new PlatformApiException(PlatformErrorKind.InvalidResponse, "The platform answered without a job id.", requestId: response.RequestId);
            }
            var generation = SystemJobMapper.ShapeOf(body, _context);
            _context.RecordDetectedGeneration(generation == ApiGeneration.Azure ? generation : ApiGeneration.Auto);
            return SystemJobMapper.ToJob(body, generation, _context);
        }

        private Task<PlatformResponse> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
        {
            var request = new HttpRequestMessage(method, path) { Content = content };
            PlatformHttp.AddSandbox(request, _context);
            return SendAndDisposeAsync(request, cancellationToken);
        }

        private async Task<PlatformResponse> SendAndDisposeAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            using (request)
            {
                return await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
        }

        private static string JobPath(string id) => JobsPath + "/" + Uri.EscapeDataString(id);

        private static ParsedPage ParsePage(byte[] body)
        {
            try
            {
                if (JsonBodies.FirstToken(body) == '[')
                {
                    return new ParsedPage(ApiGeneration.Aws,
                        JsonSerializer.Deserialize(body, ClientJsonContext.Default.ListSystemJobBody) ?? new List<SystemJobBody>(), null);
                }
                var page = JsonSerializer.Deserialize(body, ClientJsonContext.Default.SystemJobPageBody);
                if (page == null) throw new PlatformApiException(PlatformErrorKind.InvalidResponse, "The platform answered the job list with an empty body.");
                var generation = page.Page?.TotalCount != null || page.Page?.Next.ValueKind == JsonValueKind.Number
                    ? ApiGeneration.Unified
                    : ApiGeneration.Azure;
                return new ParsedPage(generation, page.Children ?? new List<SystemJobBody>(), page.Page);
            }
            catch (JsonException ex)
            {
                throw new PlatformApiException(PlatformErrorKind.InvalidResponse, $"The platform answered the job list with JSON that cannot be read: {ex.Message}", inner: ex);
            }
        }

        private sealed class ParsedPage
        {
            public ParsedPage(ApiGeneration generation, List<SystemJobBody> jobs, PageInfoBody? info)
            {
                Generation = generation;
                Jobs = jobs;
                Info = info;
            }

            public ApiGeneration Generation { get; }
            public List<SystemJobBody> Jobs { get; }
            private PageInfoBody? Info { get; }

            /// <summary>The stop rules of each generation (aep-api.md 5.6), applied together with "a short page is the last".</summary>
            public bool HasNextPage(int page, int requestedPageSize)
            {
                if (Generation == ApiGeneration.Aws || Info == null || Jobs.Count == 0) return false;
                var pageSize = Info.PageSize ?? requestedPageSize;
                if (Jobs.Count < pageSize) return false;
                var next = Info.Next;
                if (next.ValueKind == JsonValueKind.Undefined || next.ValueKind == JsonValueKind.Null) return false;
                if (next.ValueKind == JsonValueKind.String && string.IsNullOrEmpty(next.GetString())) return false;
                if (Info.TotalCount.HasValue && (long)(page + 1) * pageSize >= Info.TotalCount.Value) return false;
                return true;
            }
        }
    }
}
