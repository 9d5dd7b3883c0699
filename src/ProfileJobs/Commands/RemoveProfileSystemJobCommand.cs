using System;
using System.Management.Automation;
using ProfileJobs.Completion;
using ProfileJobs.CommandSupport;
using ProfileJobs.Connection;

namespace ProfileJobs.Commands
{
    /// <summary>
    /// <para type="synopsis">Removes profile system jobs (delete requests).</para>
    /// <para type="description">Deletes the job record itself, on instances whose API has DELETE /system/jobs/{id}
    /// (the Azure generation). Elsewhere it reports that the operation is not supported and sends nothing.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "ProfileSystemJob", DefaultParameterSetName = IdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, HelpUri = HelpLinks.ProfileSystemJobs)]
    [OutputType(typeof(ProfileSystemJob))]
    public sealed class RemoveProfileSystemJobCommand : ConnectedCmdlet
    {
        private const string IdSet = "Id";
        private const string InputObjectSet = "InputObject";

        /// <summary>Ids of the jobs to remove.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("JobId", "RequestId")]
        [PlatformIdArgument]
        [ValidatePlatformId]
        [ArgumentCompleter(typeof(ProfileSystemJobIdCompleter))]
        public string[] Id { get; set; } = Array.Empty<string>();

        /// <summary>Jobs from Get-ProfileSystemJob, by value from the pipeline: they are not read again before the confirmation.</summary>
        [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public ProfileSystemJob[] InputObject { get; set; } = Array.Empty<ProfileSystemJob>();

        /// <summary>Do not ask for confirmation (the command asks by default). -WhatIf still wins.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Write each removed job (as it was before removal) to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void OnProcessRecord()
        {
            var context = ResolveContext();
            if (ParameterSetName == InputObjectSet)
            {
                foreach (var job in InputObject) Remove(context, job.Id, job);
            }
            else
            {
                foreach (var id in Id) Remove(context, id, null);
            }
        }

        private void Remove(ExperiencePlatformContext context, string id, ProfileSystemJob? known)
        {
            var problem = ValidatePlatformIdAttribute.Problem(id);
            if (problem != null)
            {
                WriteError(PlatformErrors.InvalidArgument(problem, "InvalidJobId", id));
                return;
            }

            var systemJobs = PlatformSession.Of(context).SystemJobs;
            try
            {
                // Resolve the target first: an unknown id or an instance without DELETE fails before any prompt.
                var job = Await(token => systemJobs.PrepareRemoveAsync(id, known, token));
                var description = $"job {job.Id} ({job.Type} of dataset {job.DatasetId}{(job.BatchId != null ? ", batch " + job.BatchId : "")}, status {job.Status})";
                if (!ShouldProceed(Force, description, "Remove profile system job")) return;

                Await(token => systemJobs.RemoveAsync(job, token));
                WriteVerbose($"Removed profile system job {id}.");
                if (PassThru) WriteObject(job);
            }
            catch (PlatformApiException ex) when (ex.ErrorId == ErrorIds.RemoveNotSupported && WhatIfRequested)
            {
                // -WhatIf asks what would happen, and nothing going wrong is part of that answer: no error.
                var generation = Await(token => systemJobs.ResolveGenerationAsync(token));
                var whatIf = $"Remove-ProfileSystemJob would not remove job {id}, and would send nothing: this instance speaks the {generation} generation of the Profile API, which has no DELETE /system/jobs/{{id}} (only the Azure generation has).";
                ShouldProcess(whatIf, whatIf, "Remove profile system job");
            }
            catch (PlatformApiException ex)
            {
                WriteApiError(ex, id);
            }
        }
    }
}
