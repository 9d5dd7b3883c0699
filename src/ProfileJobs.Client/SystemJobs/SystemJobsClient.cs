using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using ProfileJobs.Http;
using ProfileJobs.Json;
using ProfileJobs.Paging;
using ProfileJobs.Submissions;

namespace ProfileJobs.SystemJobs
{
    /// <summary>
    /// <c>/data/core/ups/system/jobs</c> in all three generations: list (every page, as it arrives), get, create, remove.
    /// </summary>
    internal sealed class SystemJobsClient
    {
        public const int DefaultPageSize = 100;

        /// <summary>AWS instances answer with one list of at most this many jobs, the newest, and no way to page further.</summary>
        public const int AwsListLimit = 100;

        /// <summary>At most this many pages are read to reconcile a create (or name the job it conflicts with).</summary>
        public const int MaxReconcilePages = 100;

        /// <summary>A server clock known to within this needs no pre-send snapshot (a round trip, once a job was created).</summary>
        private static readonly TimeSpan PreciseClock = TimeSpan.FromMilliseconds(500);

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
        /// returns false to stop early: no further pages are requested. A repeated page or next cursor, or more than
        /// <paramref name="maxPages"/> pages, ends the listing with InvalidResponse (<see cref="PageGuard"/>).
        /// </summary>
        public async Task ListAsync(int pageSize, Func<IReadOnlyList<ProfileSystemJob>, bool> onPage, CancellationToken cancellationToken,
            int maxPages = PageGuard.DefaultMaxPages)
        {
            var guard = new PageGuard("the job list", "job", maxPages);
            var reader = new SystemJobReader();
            long listed = 0;
            var firstPageSize = 0;
            for (var page = 0; ; page++)
            {
                var (parsed, requestId) = await ReadPageAsync(page, pageSize, reader, cancellationToken).ConfigureAwait(false);
                if (parsed.Jobs.Count > 0) guard.CheckContent(page, parsed.FirstItemId, requestId);
                if (page == 0) firstPageSize = parsed.Jobs.Count;
                listed += parsed.Jobs.Count;

                if (!onPage(parsed.Jobs)) return;

                if (!parsed.HasNextPage(listed, firstPageSize)) return;
                guard.CheckNext(page, parsed.NextCursor, requestId);
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
        /// failure: the job list is searched for the job it would have created instead, and a job found there is taken
        /// for it only when it provably did not exist before the POST was sent (see <see cref="ReconcileAsync"/>).
        /// <paramref name="sending"/> is called once, just before the POST goes out: a stop before that (during the
        /// generation probe or the pre-send snapshot) sent nothing.
        /// </summary>
        public async Task<SubmissionOutcome<ProfileSystemJob>> CreateAsync(string datasetId, string? batchId, CancellationToken cancellationToken, Action? sending = null)
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
            var before = await SnapshotIfNeededAsync(datasetId, batchId, cancellationToken).ConfigureAwait(false);
            var clock = _transport.Clock;
            var sentAt = clock.Now;
            cancellationToken.ThrowIfCancellationRequested();
            sending?.Invoke();
            try
            {
                var response = await SendAsync(HttpMethod.Post, JobsPath, ApiOperation.CreateSystemJob, content, cancellationToken).ConfigureAwait(false);
                var job = ReadJob(response);
                if (job.CreatedAt is { } createdAt) clock.Observe(createdAt, ServerClock.ResolutionOf(createdAt), sentAt);
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
                return await ReconcileAsync(ex, datasetId, batchId, submission, before, sentAt, cancellationToken).ConfigureAwait(false);
            }
            catch (PlatformApiException ex)
            {
                return SubmissionOutcome<ProfileSystemJob>.Refused(ex);
            }
        }

        /// <summary>
        /// After a create's answer was lost: the dataset's jobs that may be the one it created are those the server
        /// stamped too late to have existed before it was sent (<see cref="ServerClock"/>) and that the pre-send
        /// snapshot, if one was taken, did not hold. One such job is taken for it only if those two tests can tell an
        /// earlier job from it (a complete snapshot, or a clock known to within <see cref="PreciseClock"/>); none, in
        /// a complete listing, means it was not created; anything else is unknown.
        /// </summary>
        private async Task<SubmissionOutcome<ProfileSystemJob>> ReconcileAsync(PlatformApiException lost, string datasetId, string? batchId, string submission,
            JobSnapshot? before, DateTimeOffset sentAt, CancellationToken cancellationToken)
        {
            var clock = _transport.Clock;
            var separable = before?.Complete == true || clock.Uncertainty <= PreciseClock;
            JobSnapshot after;
            try
            {
                after = await ListDatasetJobsAsync(datasetId, batchId, cancellationToken).ConfigureAwait(false);
            }
            catch (PlatformApiException)
            {
                return SubmissionOutcome<ProfileSystemJob>.Unknown(lost, submission, "Look with Get-ProfileSystemJob");
            }
            var candidates = after.Jobs
                .Where(j => !(j.CreatedAt is { } createdAt && clock.SurelyBefore(createdAt, sentAt)) && before?.Ids.Contains(j.Id) != true)
                .ToList();
            if (candidates.Count == 0)
            {
                return after.Complete
                    ? SubmissionOutcome<ProfileSystemJob>.NotCreated(lost, submission, "the job list has none for it")
                    : SubmissionOutcome<ProfileSystemJob>.Unknown(lost, submission, $"The job list was read only up to {MaxReconcilePages} pages; look with Get-ProfileSystemJob");
            }
            if (candidates.Count == 1 && separable)
            {
                return SubmissionOutcome<ProfileSystemJob>.FoundAfterLostAnswer(candidates[0], $"job {candidates[0].Id}", lost, submission);
            }
            var jobs = string.Join(", ", candidates.Select(j => $"{j.Id} (created {j.CreatedAt?.ToString("u", CultureInfo.InvariantCulture) ?? "at an unknown time"})"));
            return SubmissionOutcome<ProfileSystemJob>.Unknown(lost, submission,
                $"The job list has {jobs}, which may or may not be this request's job: look with Get-ProfileSystemJob");
        }

        /// <summary>
        /// The ids of the dataset's (and batch's) jobs before a create is sent, when the server's clock is not known
        /// well enough to tell them from the new one later: before a session's first create (the clock is then known
        /// only from Date headers, to a second), and before every create where jobs are stamped to the second (Azure).
        /// It costs one bounded listing of all jobs (the API has no dataset filter), and keeps only that dataset's ids.
        /// A failed snapshot is no reason not to send: without it, a lost answer is reconciled as unknown instead.
        /// </summary>
        private async Task<JobSnapshot?> SnapshotIfNeededAsync(string datasetId, string? batchId, CancellationToken cancellationToken)
        {
            if (_transport.Clock.Uncertainty <= PreciseClock) return null;
            try
            {
                return await ListDatasetJobsAsync(datasetId, batchId, cancellationToken).ConfigureAwait(false);
            }
            catch (PlatformApiException)
            {
                return null;
            }
        }

        /// <summary>The dataset's (and batch's) jobs, from at most <see cref="MaxReconcilePages"/> pages of the job list.</summary>
        private async Task<JobSnapshot> ListDatasetJobsAsync(string datasetId, string? batchId, CancellationToken cancellationToken)
        {
            var jobs = new List<ProfileSystemJob>();
            var pages = 0;
            var complete = true;
            await ListAsync(DefaultPageSize, page =>
            {
                jobs.AddRange(page.Where(job => string.Equals(job.DatasetId, datasetId, StringComparison.Ordinal) &&
                                                string.Equals(job.BatchId, batchId, StringComparison.Ordinal)));
                if (++pages < MaxReconcilePages) return true;
                complete = page.Count < DefaultPageSize;
                return false;
            }, cancellationToken).ConfigureAwait(false);
            return new JobSnapshot(jobs, complete);
        }

        /// <summary>The newest job for this dataset (and batch) that satisfies <paramref name="match"/>, from a bounded listing.</summary>
        public async Task<ProfileSystemJob?> FindJobAsync(string datasetId, string? batchId, Func<ProfileSystemJob, bool> match, CancellationToken cancellationToken)
        {
            var listed = await ListDatasetJobsAsync(datasetId, batchId, cancellationToken).ConfigureAwait(false);
            return listed.Jobs.Where(match).OrderByDescending(j => j.CreatedAt ?? DateTimeOffset.MinValue).FirstOrDefault();
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
            _generations.ResolveAsync(token => ReadPageAsync(0, 1, SystemJobReader.Plain, token), cancellationToken);

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

        private async Task<(SystemJobPage Page, string? RequestId)> ReadPageAsync(int page, int pageSize, SystemJobReader reader, CancellationToken cancellationToken)
        {
            var query = string.Format(CultureInfo.InvariantCulture, "?start={0}&limit={1}", page, pageSize);
            var response = await SendAsync(HttpMethod.Get, JobsPath + query, ApiOperation.ListSystemJobs, null, cancellationToken).ConfigureAwait(false);
            return (SystemJobPage.Parse(response.Body, _generations, response.RequestId, _context, reader), response.RequestId);
        }

        /// <summary>One job's answer, read straight from its bytes (<see cref="SystemJobReader"/>) or, when the reader leaves it, by the serializer.</summary>
        private ProfileSystemJob ReadJob(ApiResponse response)
        {
            if (SystemJobReader.Plain.TryReadJob(response.Body, out var fields))
            {
                if ((fields.Id ?? fields.RequestId) == null) throw NoJobId(response);
                return SystemJobMapper.ToJob(in fields, _generations.OfJob(fields.Id != null, fields.RequestId != null), _context);
            }
            SystemJobBody? body;
            try
            {
                body = JsonSerializer.Deserialize(response.Body, ClientJsonContext.Default.SystemJobBody);
            }
            catch (JsonException ex)
            {
                throw new PlatformApiException(PlatformErrorKind.InvalidResponse, $"The platform answered with a job that is not valid JSON: {ex.Message}", requestId: response.RequestId, inner: ex);
            }
            if (body == null || (body.Id ?? body.RequestId) == null) throw NoJobId(response);
            return SystemJobMapper.ToJob(body, _generations.OfJob(body), _context);
        }

        private static PlatformApiException NoJobId(ApiResponse response) =>
            new PlatformApiException(PlatformErrorKind.InvalidResponse, "The platform answered without a job id.", requestId: response.RequestId);

        private Task<ApiResponse> SendAsync(HttpMethod method, string path, ApiOperation operation, HttpContent? content, CancellationToken cancellationToken) =>
            _transport.SendAsync(RequestMetadata.Create(method, path, operation, content), cancellationToken);

        private sealed class JobSnapshot
        {
            public JobSnapshot(List<ProfileSystemJob> jobs, bool complete)
            {
                Jobs = jobs;
                Complete = complete;
                Ids = new HashSet<string>(jobs.Select(j => j.Id), StringComparer.Ordinal);
            }

            public List<ProfileSystemJob> Jobs { get; }
            public HashSet<string> Ids { get; }

            /// <summary>False when the bound on pages stopped the listing before its end.</summary>
            public bool Complete { get; }
        }

        private static string JobPath(string id) => JobsPath + "/" + Uri.EscapeDataString(id);
    }
}
