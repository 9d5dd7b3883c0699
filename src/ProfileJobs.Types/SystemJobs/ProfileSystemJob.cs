using System;

namespace ProfileJobs
{
    /// <summary>The cloud-independent state of a profile system job, for scripts to test.</summary>
    public enum JobState
    {
        Unknown,
        Pending,
        Running,
        Succeeded,
        Failed,
    }

    /// <summary>
    /// A profile system job (delete request), normalised across the Azure, AWS and unified generations
    /// of <c>/data/core/ups/system/jobs</c>.
    /// </summary>
    public sealed class ProfileSystemJob
    {
        public string Id { get; set; } = "";

        /// <summary>TRUNCATE_DATASET, DELETE_EE_BATCH or BACKFILL_TTL (Azure's generic DELETE is mapped by target).</summary>
        public string Type { get; set; } = "";

        /// <summary>The status exactly as the API reported it.</summary>
        public string Status { get; set; } = "";

        public JobState State => JobStates.FromStatus(Status);

        public bool IsFinal => State == JobState.Succeeded || State == JobState.Failed;

        public string? DatasetId { get; set; }
        public string? BatchId { get; set; }
        public long? RecordsProcessed { get; set; }
        public TimeSpan? TimeTaken { get; set; }
        public DateTimeOffset? CreatedAt { get; set; }
        public DateTimeOffset? UpdatedAt { get; set; }
        public string? OrgId { get; set; }
        public string? SandboxName { get; set; }
        public string? SandboxId { get; set; }

        /// <summary>Which contract generation the job was read from.</summary>
        public ApiGeneration ApiGeneration { get; set; }

        public override string ToString() => Id;
    }

    public static class JobStates
    {
        public static JobState FromStatus(string? status)
        {
            switch ((status ?? "").Trim().ToUpperInvariant())
            {
                case "NEW":
                    return JobState.Pending;
                case "PROCESSING":
                case "IN-PROGRESS":
                case "IN_PROGRESS":
                    return JobState.Running;
                case "COMPLETED":
                case "SUCCESS":
                    return JobState.Succeeded;
                case "ERROR":
                case "FAILED":
                    return JobState.Failed;
                default:
                    return JobState.Unknown;
            }
        }
    }
}
