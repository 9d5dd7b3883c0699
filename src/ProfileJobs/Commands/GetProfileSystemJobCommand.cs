using System;
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
    /// its page arrives, or gets jobs by id. Works with the Azure, AWS and unified generations of the API.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "ProfileSystemJob", DefaultParameterSetName = ListSet, HelpUri = HelpLinks.ProfileSystemJobs)]
    [OutputType(typeof(ProfileSystemJob))]
    public sealed class GetProfileSystemJobCommand : ListingCmdlet
    {
        private const string IdSet = "Id";

        /// <summary>Ids of the jobs to get; jobs and other objects from the pipeline bind by their Id (or JobId, RequestId) property.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("JobId", "RequestId")]
        [PlatformIdArgument(typeof(ProfileSystemJob))]
        [ValidatePlatformId]
        [ArgumentCompleter(typeof(ProfileSystemJobIdCompleter))]
        public string[] Id { get; set; } = Array.Empty<string>();

        /// <summary>Only jobs with one of these statuses (as the API says them) or states (Pending, Running, Succeeded, Failed),
        /// in any case. Failed is both the state and the API status FAILED: it matches FAILED and ERROR jobs.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateSet("NEW", "PROCESSING", "IN-PROGRESS", "COMPLETED", "SUCCESS", "ERROR", "Pending", "Running", "Succeeded", "Failed", IgnoreCase = true)]
        public string[]? Status { get; set; }

        /// <summary>How many jobs to request per page, 1 to 1000. AWS instances always return one page of up to 100.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateRange(1, 1000)]
        public int PageSize { get; set; } = SystemJobsClient.DefaultPageSize;

        protected override void OnProcessRecord()
        {
            var context = ResolveContext();
            if (ParameterSetName == IdSet) GetById(context);
            else List(context);
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
            // The jobs written are recorded for -Id completion (ProfileSystemJobIdCompleter).
            var listing = CompletionState.Current?.BeginListing(context, Listed.SystemJobs);
            var output = new PagedOutput<ProfileSystemJob>(this, PagingParameters, Matches)
            {
                OnWrite = jobs =>
                {
                    foreach (var job in jobs) listing?.Add(job);
                },
            };
            try
            {
                Await(token => PlatformSession.Of(context).SystemJobs.ListAsync(PageSize, output.AcceptPage, token));
            }
            catch (PlatformApiException ex)
            {
                WriteApiError(ex, context.Sandbox);
                output.WriteTotalCount(listingComplete: false);
                return;
            }
            output.WriteTotalCount(listingComplete: true);
        }

        private bool Matches(ProfileSystemJob job) =>
            Status == null || Status.Any(s =>
                string.Equals(s, job.Status, StringComparison.OrdinalIgnoreCase) ||
                string.Equals(s, job.State.ToString(), StringComparison.OrdinalIgnoreCase));
    }
}
