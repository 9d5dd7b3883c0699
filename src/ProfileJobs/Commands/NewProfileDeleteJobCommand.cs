using System;
using System.Collections.Generic;
using System.Management.Automation;
using ProfileJobs.Completion;
using ProfileJobs.Infrastructure;

namespace ProfileJobs.Commands
{
    /// <summary>
    /// <para type="synopsis">Deletes a dataset's, or one batch's, data from the Real-Time Customer Profile store.</para>
    /// <para type="description">Creates a profile system job (delete request). The delete is irreversible: the command asks
    /// for confirmation unless -Force or -Confirm:$false is given. With -Wait it waits until the jobs finish.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "ProfileDeleteJob", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, HelpUri = HelpLinks.ProfileSystemJobs)]
    [OutputType(typeof(ProfileSystemJob))]
    public sealed class NewProfileDeleteJobCommand : ConnectedCmdlet
    {
        private readonly List<ProfileSystemJob> _created = new List<ProfileSystemJob>();
        private ExperiencePlatformContext? _context;

        /// <summary>The dataset whose profile data is deleted (or whose batch is, with -BatchId).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidatePlatformId]
        [ArgumentCompleter(typeof(ProfileDatasetIdCompleter))]
        public string DatasetId { get; set; } = "";

        /// <summary>Delete only this batch of the dataset. Only time-series datasets allow batch deletes.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidatePlatformId]
        [ArgumentCompleter(typeof(ProfileBatchIdCompleter))]
        public string? BatchId { get; set; }

        /// <summary>Do not ask for confirmation (the command asks by default, since a delete cannot be undone). -WhatIf still wins.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Wait until the created jobs finish, showing progress.</summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        /// <summary>With -Wait: seconds to wait at most; -1 means no limit.</summary>
        [Parameter]
        [ValidateRange(-1, int.MaxValue)]
        public int Timeout { get; set; } = -1;

        /// <summary>With -Wait: seconds between status checks, 0.1 to 3600.</summary>
        [Parameter]
        [ValidateRange(0.1, 3600)]
        public double PollingInterval { get; set; } = 5;

        protected override void ProcessRecord()
        {
            _context ??= ResolveContext();
            var context = _context;
            var target = BatchId == null
                ? $"dataset {DatasetId} (sandbox {context.Sandbox}, org {context.OrgId})"
                : $"batch {BatchId} of dataset {DatasetId} (sandbox {context.Sandbox}, org {context.OrgId})";
            var action = BatchId == null ? "Delete all profile data of the dataset" : "Delete the batch's profile data";
            if (!ShouldProceed(Force, target, action)) return;

            var datasetId = DatasetId;
            var batchId = BatchId;
            SubmissionOutcome<ProfileSystemJob> outcome;
            try
            {
                outcome = Await(token => context.Session.SystemJobs.CreateAsync(datasetId, batchId, token));
            }
            catch (PlatformApiException ex)
            {
                WriteCreateError(context, ex, datasetId, batchId, target);
                return;
            }

            var job = outcome.Created;
            if (job == null)
            {
                var failure = outcome.Failure!;
                var message = outcome.OutcomeKnown
                    ? $"The delete request for {target} failed and no job was created (the job list has none for it): {failure.Message} Running the command again is safe."
                    : $"The delete request for {target} failed, and whether the platform created a job could not be checked: {failure.Message} Look with Get-ProfileSystemJob before running the command again.";
                WriteApiError(Rewrap(failure, message), batchId ?? datasetId, outcome.OutcomeKnown ? "SubmissionFailed" : "SubmissionOutcomeUnknown");
                return;
            }
            if (outcome.Failure != null)
            {
                WriteWarning($"The answer to the delete request for {target} was lost ({outcome.Failure.Message}), but the platform did create job {job.Id}; the request was not sent again.");
            }

            WriteVerbose($"Created profile system job {job.Id} for {target}.");
            if (Wait) _created.Add(job);
            else WriteObject(job);
        }

        private void WriteCreateError(ExperiencePlatformContext context, PlatformApiException ex, string datasetId, string? batchId, string target)
        {
            var text = (ex.ErrorCode ?? "") + " " + ex.Message;
            if (ex.Kind == PlatformErrorKind.InvalidRequest &&
                (text.IndexOf("UPAPI-036002", StringComparison.OrdinalIgnoreCase) >= 0 ||
                 text.IndexOf("Batch can only be specified", StringComparison.OrdinalIgnoreCase) >= 0))
            {
                WriteApiError(Rewrap(ex,
                    $"Batch {batchId} cannot be deleted on its own: dataset {datasetId} is a record dataset, and batches can only be deleted from time-series datasets. Delete the whole dataset instead. ({ex.Message})"),
                    batchId ?? datasetId, "BatchRequiresTimeSeriesDataset");
                return;
            }
            if (ex.Kind == PlatformErrorKind.Conflict)
            {
                ProfileSystemJob? running = null;
                try
                {
                    running = Await(token => context.Session.SystemJobs.FindJobAsync(datasetId, batchId, j => !j.IsFinal, token));
                }
                catch (PlatformApiException)
                {
                    // The conflict itself is what matters; naming the running job is a courtesy.
                }
                var which = running != null ? $"job {running.Id} (status {running.Status})" : "a job the list did not show";
                WriteApiError(Rewrap(ex, $"A delete request for {target} already exists: {which}. No second one was created. ({ex.Message})"),
                    (object?)running ?? batchId ?? datasetId, "DeleteRequestExists");
                return;
            }
            WriteApiError(ex, batchId ?? datasetId);
        }

        private static PlatformApiException Rewrap(PlatformApiException ex, string message) =>
            new PlatformApiException(ex.Kind, message, ex.StatusCode, ex.ErrorCode, ex.RequestId, ex.ResponseBody, ex);

        protected override void EndProcessing()
        {
            if (!Wait || _created.Count == 0) return;
            JobWaiter.Wait(this, Waitables.SystemJobs(_context!), _created, TimeSpan.FromSeconds(PollingInterval), JobWaiter.TimeoutFromSeconds(Timeout));
        }
    }
}
