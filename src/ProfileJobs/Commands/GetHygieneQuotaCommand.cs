using System.Management.Automation;
using ProfileJobs.CommandSupport;
using ProfileJobs.Connection;

namespace ProfileJobs.Commands
{
    /// <summary>
    /// <para type="synopsis">Gets the organization's Data Hygiene quotas.</para>
    /// <para type="description">Reads /data/core/hygiene/quota: how many identities may still be deleted today and this month,
    /// and the dataset-expiration quota.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "HygieneQuota", HelpUri = HelpLinks.DataHygiene)]
    [OutputType(typeof(HygieneQuota))]
    public sealed class GetHygieneQuotaCommand : ConnectedCmdlet
    {
        /// <summary>Only this quota. Without it, every quota of the organization.</summary>
        [Parameter(Position = 0)]
        [ValidateSet("dailyConsumerDeleteIdentitiesQuota", "monthlyConsumerDeleteIdentitiesQuota", "datasetExpirationQuota")]
        public string? QuotaType { get; set; }

        protected override void OnEndProcessing()
        {
            var context = ResolveContext();
            try
            {
                foreach (var quota in Await(token => PlatformSession.Of(context).Hygiene.GetQuotaAsync(QuotaType, token))) WriteObject(quota);
            }
            catch (PlatformApiException ex)
            {
                WriteApiError(ex, QuotaType ?? context.OrgId);
            }
        }
    }
}
