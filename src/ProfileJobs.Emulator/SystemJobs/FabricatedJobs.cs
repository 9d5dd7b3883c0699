using System;
using ProfileJobs.Emulator.Gateway;
using ProfileJobs.Emulator.Infrastructure;

namespace ProfileJobs.Emulator.SystemJobs;

/// <summary>
/// Made-up system jobs for the pages of an endless or alternating list (fault injection). They are not stored: a GET
/// of their id answers 404. The same (page, index) always gives the same job.
/// </summary>
internal static class FabricatedJobs
{
    public static Func<long, int, SystemJob> Factory(string org, SandboxRef sandbox, DateTime now)
    {
        DateTime newest = Timestamps.TruncateToMicros(now);
        return (page, index) =>
        {
            string id = Ids.DeterministicUuid($"fabricated-system-job:{page}:{index}");
            DateTime created = newest.AddSeconds(-1 - index);
            return new SystemJob
            {
                Id = id,
                Type = SystemJobType.TruncateDataset,
                DatasetId = id.Replace("-", string.Empty, StringComparison.Ordinal).Substring(0, 24),
                OrgId = org,
                Sandbox = sandbox,
                CreatedAt = created,
                PinnedPhase = JobPhase.Success,
                PinnedUpdatedAt = created,
            };
        };
    }
}
