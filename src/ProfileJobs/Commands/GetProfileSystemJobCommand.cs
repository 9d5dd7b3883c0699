using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ProfileJobs.Completion;
using ProfileJobs.CommandSupport;
using ProfileJobs.Connection;
using ProfileJobs.SystemJobs;

namespace ProfileJobs.Commands
{
    /// <summary>
    /// <para type="synopsis">Gets profile system jobs (delete requests).</para>
    /// <para type="description">Lists every system job of the sandbox, following pages to the end and writing each job as
    /// its page arrives, or gets jobs by id. Works with the Azure, AWS and unified generations of the API, which list in
    /// different orders: Azure and AWS newest first, the unified generation oldest first (its documentation has said both;
    /// the order is the API's, the command does not sort). AWS instances return only the newest 100 jobs, and the command
    /// warns when a listing reaches that limit. -Newest writes the newest jobs, newest first, on every generation.
    /// -Status, -DatasetId and -Type are applied by the command to the jobs the API returns (no generation of the API
    /// filters the list), so the whole listing is read unless -First or -Newest can stop it early.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "ProfileSystemJob", DefaultParameterSetName = ListSet, HelpUri = HelpLinks.ProfileSystemJobs)]
    [OutputType(typeof(ProfileSystemJob))]
    public sealed class GetProfileSystemJobCommand : ListingCmdlet
    {
        private const string IdSet = "Id";
        private const string NewestSet = "Newest";

        /// <summary>Ids of the jobs to get; jobs and other objects from the pipeline bind by their Id (or JobId, RequestId) property.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("JobId", "RequestId")]
        [PlatformIdArgument(typeof(ProfileSystemJob))]
        [ValidatePlatformId]
        [ArgumentCompleter(typeof(ProfileSystemJobIdCompleter))]
        public string[] Id { get; set; } = Array.Empty<string>();

        /// <summary>Writes only this many jobs, the newest (by CreatedAt) that match the filters, newest first. On Azure and
        /// AWS, which list newest first, the listing stops once it has them; on the unified generation, which lists oldest
        /// first, every page is read, keeping only this many jobs in memory.</summary>
        [Parameter(Mandatory = true, ParameterSetName = NewestSet)]
        [ValidateRange(1, 100000)]
        public int Newest { get; set; }

        /// <summary>Only jobs with one of these statuses (as the API says them) or states (Pending, Running, Succeeded, Failed),
        /// in any case. Failed is both the state and the API status FAILED: it matches FAILED and ERROR jobs.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [Parameter(ParameterSetName = NewestSet)]
        [ValidateSet("NEW", "PROCESSING", "IN-PROGRESS", "COMPLETED", "SUCCESS", "ERROR", "Pending", "Running", "Succeeded", "Failed", IgnoreCase = true)]
        public string[]? Status { get; set; }

        /// <summary>Only jobs that delete one of these datasets (or a batch of one), in any case. Filtered by the command.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [Parameter(ParameterSetName = NewestSet)]
        [ValidateNotNullOrEmpty]
        public string[]? DatasetId { get; set; }

        /// <summary>Only jobs of these types: TRUNCATE_DATASET (a dataset delete), DELETE_EE_BATCH (a batch delete) or
        /// BACKFILL_TTL (made by the platform). Azure's jobs are typed by what they delete. Filtered by the command.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [Parameter(ParameterSetName = NewestSet)]
        [ValidateSet("TRUNCATE_DATASET", "DELETE_EE_BATCH", "BACKFILL_TTL", IgnoreCase = true)]
        public string[]? Type { get; set; }

        /// <summary>How many jobs to request per page, 1 to 1000. AWS instances always return one page of up to 100.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [Parameter(ParameterSetName = NewestSet)]
        [ValidateRange(1, 1000)]
        public int PageSize { get; set; } = SystemJobsClient.DefaultPageSize;

        protected override void OnProcessRecord()
        {
            var context = ResolveContext();
            switch (ParameterSetName)
            {
                case IdSet:
                    GetById(context);
                    break;
                case NewestSet:
                    ListNewest(context);
                    break;
                default:
                    List(context);
                    break;
            }
        }

        private void GetById(ExperiencePlatformContext context)
        {
            foreach (var id in Id)
            {
                try
                {
                    WriteObject(Await(token => PlatformSession.Of(context).SystemJobs.GetAsync(id, token)));
                }
                catch (PlatformApiException ex)
                {
                    WriteApiError(ex, id);
                }
            }
        }

        private void List(ExperiencePlatformContext context)
        {
            var output = NewOutput(context);
            var listed = 0;
            var capped = false;
            try
            {
                Await(token => PlatformSession.Of(context).SystemJobs.ListAsync(PageSize, page =>
                {
                    listed += page.Count;
                    capped = HitsAwsLimit(page.FirstOrDefault()?.ApiGeneration, listed);
                    return output.AcceptPage(page);
                }, token));
            }
            catch (PlatformApiException ex)
            {
                WriteApiError(ex, context.Sandbox);
                output.WriteTotalCount(listingComplete: false);
                return;
            }
            if (capped && (output.Written < First || IncludeTotalCount)) WarnAwsLimit();
            output.WriteTotalCount(listingComplete: true, lowerBound: capped);
        }

        private void ListNewest(ExperiencePlatformContext context)
        {
            var newest = new NewestJobs(Newest, Matches);
            try
            {
                Await(token => PlatformSession.Of(context).SystemJobs.ListAsync(PageSize, newest.AcceptPage, token));
            }
            catch (PlatformApiException ex)
            {
                // Nothing is written: what was read so far need not hold the newest jobs.
                WriteApiError(ex, context.Sandbox);
                return;
            }
            if (newest.Jobs.Count < Newest && HitsAwsLimit(newest.Generation, newest.Listed)) WarnAwsLimit();
            var listing = CompletionState.Current?.BeginListing(context, Listed.SystemJobs);
            foreach (var job in newest.Jobs)
            {
                listing?.Add(job);
                WriteObject(job);
            }
        }

        /// <summary>Writes jobs as they are accepted; the jobs written are recorded for -Id completion (ProfileSystemJobIdCompleter).</summary>
        private PagedOutput<ProfileSystemJob> NewOutput(ExperiencePlatformContext context)
        {
            var listing = CompletionState.Current?.BeginListing(context, Listed.SystemJobs);
            return new PagedOutput<ProfileSystemJob>(this, PagingParameters, Status == null && DatasetId == null && Type == null ? null : Matches)
            {
                OnWrite = jobs => listing?.Add(jobs),
            };
        }

        private static bool HitsAwsLimit(ApiGeneration? generation, int listed) =>
            generation == ApiGeneration.Aws && listed >= SystemJobsClient.AwsListLimit;

        private void WarnAwsLimit() =>
            WriteWarning($"This AWS instance lists only its newest {SystemJobsClient.AwsListLimit} system jobs, and the listing reached that limit: older jobs, if there are any, are not in it (read them by -Id). A total count is at least this many.");

        private bool Matches(ProfileSystemJob job) =>
            (Status == null || Status.Any(s =>
                string.Equals(s, job.Status, StringComparison.OrdinalIgnoreCase) ||
                string.Equals(s, job.State.ToString(), StringComparison.OrdinalIgnoreCase))) &&
            (DatasetId == null || DatasetId.Contains(job.DatasetId, StringComparer.OrdinalIgnoreCase)) &&
            (Type == null || Type.Contains(job.Type, StringComparer.OrdinalIgnoreCase));
    }
}
