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
        private readonly List<ProfileSystemJob> _created = new List<ProfileSystemJob>();
        private ExperiencePlatformContext? _context;

        /// <summary>The dataset whose profile data is deleted (or whose batch is, with -BatchId).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [PlatformIdArgument]
        [ValidatePlatformId]
        [ArgumentCompleter(typeof(ProfileDatasetIdCompleter))]
        public string DatasetId { get; set; } = "";

        /// <summary>Delete only this batch of the dataset. Only time-series datasets allow batch deletes.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [PlatformIdArgument]
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

        protected override void OnProcessRecord()
        {
            // Resolved once: a context disconnected while the pipeline runs fails each remaining item instead.
            _context ??= ResolveContext();
            var systemJobs = PlatformSession.Of(_context).SystemJobs;
            var datasetId = DatasetId;
            var batchId = BatchId;
            var target = systemJobs.DescribeTarget(datasetId, batchId);
            var action = batchId == null ? "Delete all profile data of the dataset" : "Delete the batch's profile data";
            if (!ShouldProceed(Force, target, action)) return;

            var sending = Unreported.Sending($"the delete request for {target}");
            var outcome = Await(token => systemJobs.CreateAsync(datasetId, batchId, token));
            Unreported.Resolved(sending);
            var job = WriteOutcome(outcome, outcome.Created?.Id ?? sending, batchId ?? datasetId, j => $"job {j.Id} ({target})", hold: Wait);
            if (Wait && job != null) _created.Add(job);
        }

        protected override void OnEndProcessing()
        {
            if (!Wait || _created.Count == 0) return;
            JobWaiter.Wait(this, Waitables.SystemJobs(_context!), _created, TimeSpan.FromSeconds(PollingInterval), JobWaiter.TimeoutFromSeconds(Timeout));
        }
    }
}
