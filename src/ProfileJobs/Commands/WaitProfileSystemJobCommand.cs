using System;
using System.Collections.Generic;
using System.Management.Automation;
using ProfileJobs.Completion;
using ProfileJobs.CommandSupport;
using ProfileJobs.Connection;

namespace ProfileJobs.Commands
{
    /// <summary>
    /// <para type="synopsis">Waits until profile system jobs reach a final state.</para>
    /// <para type="description">Polls the jobs, showing progress, until each has succeeded or failed, or until the timeout.
    /// Writes every job in its last known state; a failed job, or one still running at the timeout, also gets an error.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Wait, "ProfileSystemJob", HelpUri = HelpLinks.ProfileSystemJobs)]
    [OutputType(typeof(ProfileSystemJob))]
    public sealed class WaitProfileSystemJobCommand : ConnectedCmdlet
    {
        private readonly List<string> _ids = new List<string>();

        /// <summary>Ids of the jobs to wait for; jobs from the pipeline bind by their Id.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("JobId", "RequestId")]
        [PlatformIdArgument(typeof(ProfileSystemJob))]
        [ValidatePlatformId]
        [ArgumentCompleter(typeof(ProfileSystemJobIdCompleter))]
        public string[] Id { get; set; } = Array.Empty<string>();

        /// <summary>Seconds to wait at most; -1 means no limit. Jobs still running then get a WaitTimeout error.</summary>
        [Parameter]
        [ValidateRange(-1, int.MaxValue)]
        public int Timeout { get; set; } = -1;

        /// <summary>Seconds between status checks, 0.1 to 3600.</summary>
        [Parameter]
        [ValidateRange(0.1, 3600)]
        public double PollingInterval { get; set; } = 5;

        protected override void OnProcessRecord()
        {
            foreach (var id in Id)
            {
                if (!_ids.Contains(id)) _ids.Add(id);
            }
        }

        protected override void OnEndProcessing()
        {
            var context = ResolveContext();
            var jobs = new List<ProfileSystemJob>();
            foreach (var id in _ids)
            {
                try
                {
                    jobs.Add(Await(token => PlatformSession.Of(context).SystemJobs.GetAsync(id, token)));
                }
                catch (PlatformApiException ex)
                {
                    WriteApiError(ex, id);
                }
            }
            JobWaiter.Wait(this, Waitables.SystemJobs(context), jobs, TimeSpan.FromSeconds(PollingInterval), JobWaiter.TimeoutFromSeconds(Timeout));
        }
    }
}
