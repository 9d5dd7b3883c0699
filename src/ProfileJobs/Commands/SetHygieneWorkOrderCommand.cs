using System;
using System.Collections.Generic;
using System.Management.Automation;
using ProfileJobs.CommandSupport;
using ProfileJobs.Completion;
using ProfileJobs.Connection;

namespace ProfileJobs.Commands
{
    /// <summary>
    /// <para type="synopsis">Renames a Data Hygiene work order, or changes its description.</para>
    /// <para type="description">Sends PUT /data/core/hygiene/workorder/{id} with the new display name and/or description;
    /// what the work order deletes is not changed. Work orders from Get-HygieneRecordDelete or New-HygieneRecordDelete
    /// bind by their WorkOrderId. With -PassThru, writes each work order as the API returns it after the change.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "HygieneWorkOrder", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.DataHygiene)]
    [OutputType(typeof(HygieneWorkOrder))]
    public sealed class SetHygieneWorkOrderCommand : ConnectedCmdlet
    {
        /// <summary>Ids of the work orders to change; work orders from the pipeline bind by their WorkOrderId.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [PlatformIdArgument(typeof(HygieneWorkOrder))]
        [ValidatePlatformId]
        [ArgumentCompleter(typeof(WorkOrderIdCompleter))]
        public string[] WorkOrderId { get; set; } = Array.Empty<string>();

        /// <summary>The new display name.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? DisplayName { get; set; }

        /// <summary>The new description; an empty string clears it.</summary>
        [Parameter]
        [AllowEmptyString]
        public string? Description { get; set; }

        /// <summary>Write each changed work order to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void OnProcessRecord()
        {
            if (DisplayName == null && Description == null)
            {
                ThrowTerminatingError(PlatformErrors.InvalidArgument(
                    "Give -DisplayName, -Description or both: there is nothing else to change on a work order. Nothing was sent.", "NothingToChange", null));
            }

            var context = ResolveContext();
            var hygiene = PlatformSession.Of(context).Hygiene;
            foreach (var id in WorkOrderId)
            {
                if (!ShouldProcess($"work order {id} (sandbox {context.Sandbox})", $"Set {Describe()}")) continue;
                try
                {
                    var order = Await(token => hygiene.UpdateWorkOrderAsync(id, DisplayName, Description, token));
                    WriteVerbose($"Work order {order.WorkOrderId} is now named '{order.DisplayName}'.");
                    if (PassThru) WriteObject(order);
                }
                catch (PlatformApiException ex)
                {
                    WriteApiError(ex, id);
                }
            }
        }

        private string Describe()
        {
            var changes = new List<string>(2);
            if (DisplayName != null) changes.Add($"display name to '{DisplayName}'");
            if (Description != null) changes.Add($"description to '{Description}'");
            return string.Join(" and ", changes);
        }
    }
}
