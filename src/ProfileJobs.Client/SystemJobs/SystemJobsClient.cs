using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using ProfileJobs.Http;
using ProfileJobs.Json;
using ProfileJobs.Submissions;

namespace ProfileJobs.SystemJobs
{
    /// <summary>
    /// <c>/data/core/ups/system/jobs</c> in all three generations: list (every page, as it arrives), get, create, remove.
    /// </summary>
    internal sealed class SystemJobsClient
    {
        public const int DefaultPageSize = 100;
        private const string JobsPath = "data/core/ups/system/jobs";

        private readonly ExperiencePlatformContext _context;
        private readonly ApiTransport _transport;
        private readonly ApiGenerationResolver _generations;

        public SystemJobsClient(ExperiencePlatformContext context, ApiTransport transport, ApiGenerationResolver generations)
        {
            _context = context;
            _transport = transport;
            _generations = generations;
        }

        /// <summary>What a delete of this dataset (or batch) targets, for confirmations and messages.</summary>
        public string DescribeTarget(string datasetId, string? batchId) =>
            (batchId == null ? $"dataset {datasetId}" : $"batch {batchId} of dataset {datasetId}") +
            $" (sandbox {_context.Sandbox}, org {_context.OrgId})";

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
                var parsed = await ReadPageAsync(page, pageSize, cancellationToken).ConfigureAwait(false);
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
            var response = await SendAsync(HttpMethod.Get, JobPath(id), ApiOperation.GetSystemJob, null, cancellationToken).ConfigureAwait(false);
            var job = ReadJob(response);
            if (job.ApiGeneration == ApiGeneration.Auto) job.ApiGeneration = await DetectGenerationAsync(cancellationToken).ConfigureAwait(false);
            return job;
        }

        /// <summary>
        /// The generation of a job whose shape does not tell (AWS and unified jobs look alike), from the one-job listing
        /// probe, once per connection. The job itself was read: a failed probe leaves its generation Auto, not the read failed.
        /// </summary>
        private async Task<ApiGeneration> DetectGenerationAsync(CancellationToken cancellationToken)
        {
            try
            {
                return await ResolveGenerationAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (PlatformApiException)
            {
                return ApiGeneration.Auto;
            }
        }

        /// <summary>
        /// Creates a delete request for a dataset, or for one batch of it. The POST is never repeated after an ambiguous
        /// failure: the job list is searched for the job it would have created instead.
        /// </summary>
        public async Task<SubmissionOutcome<ProfileSystemJob>> CreateAsync(string datasetId, string? batchId, CancellationToken cancellationToken)
        {
            var target = DescribeTarget(datasetId, batchId);
            var submission = $"the delete request for {target}";
            ApiGeneration generation;
            try
            {
                generation = await ResolveGenerationAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (PlatformApiException ex)
            {
                return SubmissionOutcome<ProfileSystemJob>.Refused(ex); // nothing was sent yet
            }
            // Azure's original contract spells dataSetId for dataset deletes; batch deletes and later generations use datasetId.
            var content = generation == ApiGeneration.Azure && batchId == null
                ? ApiTransport.JsonContent(new CreateDatasetDeleteAzureBody { DataSetId = datasetId }, ClientJsonContext.Default.CreateDatasetDeleteAzureBody)
                : ApiTransport.JsonContent(new CreateJobBody { DatasetId = datasetId, BatchId = batchId }, ClientJsonContext.Default.CreateJobBody);
            // Allow for the platform's clock being behind ours when matching jobs created by this request.
            var sentAfter = DateTimeOffset.UtcNow - TimeSpan.FromMinutes(5);
            try
            {
                var response = await SendAsync(HttpMethod.Post, JobsPath, ApiOperation.CreateSystemJob, content, cancellationToken).ConfigureAwait(false);
                var job = ReadJob(response);
                return SubmissionOutcome<ProfileSystemJob>.Succeeded(job, $"Created profile system job {job.Id} for {target}.");
            }
            catch (PlatformApiException ex) when (ex.ErrorId == ErrorIds.BatchRequiresTimeSeriesDataset)
            {
                return SubmissionOutcome<ProfileSystemJob>.Refused(ex.Refine(
                    $"Batch {batchId} cannot be deleted on its own: dataset {datasetId} is a record dataset, and batches can only be deleted from time-series datasets. Delete the whole dataset instead. ({ex.Message})"));
            }
            catch (PlatformApiException ex) when (ex.ErrorId == ErrorIds.DeleteRequestExists)
            {
                var running = await FindRunningAsync(datasetId, batchId, cancellationToken).ConfigureAwait(false);
                var which = running != null ? $"job {running.Id} (status {running.Status})" : "a job the list did not show";
                return SubmissionOutcome<ProfileSystemJob>.Refused(ex.Refine(
                    $"A delete request for {target} already exists: {which}. No second one was created. ({ex.Message})", target: running));
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
                    return SubmissionOutcome<ProfileSystemJob>.Unknown(ex, submission, "Look with Get-ProfileSystemJob");
                }
                return found != null
                    ? SubmissionOutcome<ProfileSystemJob>.FoundAfterLostAnswer(found, $"job {found.Id}", ex, submission)
                    : SubmissionOutcome<ProfileSystemJob>.NotCreated(ex, submission, "the job list has none for it");
            }
            catch (PlatformApiException ex)
            {
                return SubmissionOutcome<ProfileSystemJob>.Refused(ex);
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

        /// <summary>
        /// Everything a remove needs before its confirmation, checked once: that the instance's generation has a DELETE
        /// for system jobs (otherwise RemoveNotSupported, nothing sent), and the job itself (read unless given).
        /// </summary>
        public async Task<ProfileSystemJob> PrepareRemoveAsync(string id, ProfileSystemJob? known, CancellationToken cancellationToken)
        {
            var generation = await ResolveGenerationAsync(cancellationToken).ConfigureAwait(false);
            if (generation != ApiGeneration.Azure)
            {
                throw new PlatformApiException(PlatformErrorKind.NotSupported,
                    $"Removing a system job is not supported on this instance: only the Azure generation of the Profile API has DELETE /system/jobs/{{id}}, and this sandbox speaks the {generation} generation. Job '{id}' was not changed.",
                    errorId: ErrorIds.RemoveNotSupported);
            }
            return known ?? await GetAsync(id, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Sends the DELETE of a job <see cref="PrepareRemoveAsync"/> returned.</summary>
        public Task RemoveAsync(ProfileSystemJob job, CancellationToken cancellationToken) =>
            SendAsync(HttpMethod.Delete, JobPath(job.Id), ApiOperation.DeleteSystemJob, null, cancellationToken);

        /// <summary>The generation to speak: configured, implied, detected earlier, or probed with a one-job list request.</summary>
        public Task<ApiGeneration> ResolveGenerationAsync(CancellationToken cancellationToken) =>
            _generations.ResolveAsync(token => ReadPageAsync(0, 1, token), cancellationToken);

        private async Task<ProfileSystemJob?> FindRunningAsync(string datasetId, string? batchId, CancellationToken cancellationToken)
        {
            try
            {
                return await FindJobAsync(datasetId, batchId, j => !j.IsFinal, cancellationToken).ConfigureAwait(false);
            }
            catch (PlatformApiException)
            {
                // The conflict itself is what matters; naming the running job is a courtesy.
                return null;
            }
        }

        private async Task<SystemJobPage> ReadPageAsync(int page, int pageSize, CancellationToken cancellationToken)
        {
            var query = string.Format(CultureInfo.InvariantCulture, "?start={0}&limit={1}", page, pageSize);
            var response = await SendAsync(HttpMethod.Get, JobsPath + query, ApiOperation.ListSystemJobs, null, cancellationToken).ConfigureAwait(false);
            return SystemJobPage.Parse(response.Body, _generations, response.RequestId);
        }

        private ProfileSystemJob ReadJob(ApiResponse response)
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
            return SystemJobMapper.ToJob(body, _generations.OfJob(body), _context);
        }

        private Task<ApiResponse> SendAsync(HttpMethod method, string path, ApiOperation operation, HttpContent? content, CancellationToken cancellationToken) =>
            _transport.SendAsync(RequestMetadata.Create(method, path, operation, content), cancellationToken);

        private static string JobPath(string id) => JobsPath + "/" + Uri.EscapeDataString(id);
    }
}
