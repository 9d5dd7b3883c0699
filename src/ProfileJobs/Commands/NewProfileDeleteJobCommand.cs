using System;
using System.Collections.Generic;
using System.Management.Automation;
using ProfileJobs.CommandSupport;
using ProfileJobs.Completion;
using ProfileJobs.Connection;

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
        private const string DatasetDelete = "TRUNCATE_DATASET";
        private const string BatchDelete = "DELETE_EE_BATCH";

        private readonly List<ProfileSystemJob> _created = new List<ProfileSystemJob>();
        private ExperiencePlatformContext? _context;

        /// <summary>The dataset whose profile data is deleted (or whose batch is, with -BatchId).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [PlatformIdArgument]
        [ValidatePlatformId]
        [ArgumentCompleter(typeof(ProfileDatasetIdCompleter))]
        public string DatasetId { get; set; } = "";

        /// <summary>Delete only this batch of the dataset. Only time-series datasets allow batch deletes. Empty or
        /// null (an empty CSV cell, a dataset delete job piped in) means the whole dataset.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [PlatformIdArgument]
        [ArgumentCompleter(typeof(ProfileBatchIdCompleter))]
        public string? BatchId { get; set; }

        /// <summary>The kind of delete: TRUNCATE_DATASET (the dataset) or DELETE_EE_BATCH (a batch, which needs -BatchId).
        /// Bound from piped jobs and CSV rows, so that a job of another type (BACKFILL_TTL) is refused instead of
        /// becoming a dataset delete. Without it, -BatchId decides.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Type { get; set; }

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

        protected override void OnProcessRecord()
        {
            // Resolved once: a context disconnected while the pipeline runs fails each remaining item instead.
            _context ??= ResolveContext();
            var systemJobs = PlatformSession.Of(_context).SystemJobs;
            var datasetId = DatasetId;
            var batchId = string.IsNullOrEmpty(BatchId) ? null : BatchId;
            var shownBatchId = PlatformIdArgumentAttribute.NotAnId.Is(BatchId ?? "", out var notAnId) ? $"[{notAnId}]" : BatchId;
            var row = $"DatasetId '{datasetId}', BatchId '{shownBatchId}'" + (string.IsNullOrEmpty(Type) ? "" : $", Type '{Type}'");
            var batchProblem = batchId == null ? null : ValidatePlatformIdAttribute.Problem(batchId);
            if (batchProblem != null)
            {
                WriteError(PlatformErrors.InvalidArgument($"Nothing was sent for {row}: the batch id is not valid. {batchProblem}", "InvalidBatchId", BatchId));
                return;
            }
            var typeProblem = DeleteTypeProblem(Type, batchId);
            if (typeProblem != null)
            {
                WriteError(PlatformErrors.InvalidArgument($"Nothing was sent for {row}: {typeProblem.Value.Message}", typeProblem.Value.ErrorId, Type));
                return;
            }
            var target = systemJobs.DescribeTarget(datasetId, batchId);
            var action = batchId == null ? "Delete all profile data of the dataset" : "Delete the batch's profile data";
            if (!ShouldProceed(Force, target, action)) return;

            // Unknown from the moment the POST goes out, not before: a stop during the lookups before it sent nothing.
            string? sending = null;
            var outcome = Await(token => systemJobs.CreateAsync(datasetId, batchId, token, () => sending = Unreported.Sending($"the delete request for {target}")));
            if (sending != null) Unreported.Resolved(sending);
            var job = WriteOutcome(outcome, outcome.Created?.Id ?? sending ?? target, batchId ?? datasetId, j => $"job {j.Id} ({target})", hold: Wait);
            if (Wait && job != null) _created.Add(job);
        }

        /// <summary>Whether a job type (of a piped job or CSV row) and the batch id agree on what to delete.</summary>
        private static (string ErrorId, string Message)? DeleteTypeProblem(string? type, string? batchId)
        {
            if (string.IsNullOrEmpty(type)) return null;
            if (string.Equals(type, DatasetDelete, StringComparison.OrdinalIgnoreCase))
            {
                return batchId == null ? null : ("InvalidBatchId", $"a {DatasetDelete} job deletes a whole dataset and has no batch id; leave BatchId empty, or use Type {BatchDelete}.");
            }
            if (string.Equals(type, BatchDelete, StringComparison.OrdinalIgnoreCase))
            {
                return batchId != null ? null : ("InvalidBatchId", $"a {BatchDelete} job deletes one batch, and the batch id is empty; it is not turned into a delete of the whole dataset.");
            }
            return ("UnsupportedJobType", $"New-ProfileDeleteJob creates {DatasetDelete} and {BatchDelete} jobs only; a {type} job cannot be created again with it.");
        }

        protected override void OnEndProcessing()
        {
            if (!Wait || _created.Count == 0) return;
            JobWaiter.Wait(this, Waitables.SystemJobs(_context!), _created, TimeSpan.FromSeconds(PollingInterval), JobWaiter.TimeoutFromSeconds(Timeout));
        }
    }
}
