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

        /// <summary><see cref="State"/> as its name, for ConvertTo-Json (which writes an enum as a number unless -EnumsAsStrings).</summary>
        public string StateText => State.ToString();

        public bool IsFinal => State == JobState.Succeeded || State == JobState.Failed;

        public string? DatasetId { get; set; }
        public string? BatchId { get; set; }
        public long? RecordsProcessed { get; set; }
        public TimeSpan? TimeTaken { get; set; }

        /// <summary><see cref="TimeTaken"/> in seconds: one number in ConvertTo-Json and Export-Csv, where a TimeSpan is an object of 16 fields or d.hh:mm:ss text.</summary>
        public double? TimeTakenSeconds => TimeTaken?.TotalSeconds;
        public DateTimeOffset? CreatedAt { get; set; }
        public DateTimeOffset? UpdatedAt { get; set; }
        public string? OrgId { get; set; }
        public string? SandboxName { get; set; }
        public string? SandboxId { get; set; }

        /// <summary>Which contract generation the job was read from.</summary>
        public ApiGeneration ApiGeneration { get; set; }

        /// <summary><see cref="ApiGeneration"/> as its name, for ConvertTo-Json.</summary>
        public string ApiGenerationText => ApiGeneration.ToString();

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
