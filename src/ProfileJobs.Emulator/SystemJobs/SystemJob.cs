using System;
using ProfileJobs.Emulator.Gateway;

namespace ProfileJobs.Emulator.SystemJobs;

/// <summary>Gen B/C <c>requestType</c> values (aep-api.md 1.1). Azure renders every kind as <c>jobType: "DELETE"</c>.</summary>
public enum SystemJobType
{
    TruncateDataset,
    DeleteEeBatch,
    BackfillTtl,
}

/// <summary>Mode-neutral lifecycle phase; each renderer maps it to its status vocabulary.</summary>
public enum JobPhase
{
    New,
    InProgress,
    Success,
    Error,
    Failed,
}

/// <summary>The state of a job at one instant.</summary>
public readonly record struct JobObservation(JobPhase Phase, DateTime UpdatedAt, long RecordsProcessed, long TimeTakenSec)
{
    public bool IsFinal => Phase >= JobPhase.Success;

    public bool Started => Phase != JobPhase.New;
}

/// <summary>
/// A Profile system job. Immutable except for <see cref="Deleted"/>; the status is computed lazily from the creation
/// time and the step length, so no background timers are needed.
/// </summary>
public sealed class SystemJob
{
    private volatile bool _deleted;

    public required string Id { get; init; }

    public required SystemJobType Type { get; init; }

    public string? DatasetId { get; init; }

    public string? BatchId { get; init; }

    public required string OrgId { get; init; }

    public required SandboxRef Sandbox { get; init; }

    /// <summary>UTC, truncated to microseconds.</summary>
    public required DateTime CreatedAt { get; init; }

    /// <summary>Length of the NEW and IN-PROGRESS phases in milliseconds; 0 = final immediately.</summary>
    public int StepMs { get; init; }

    /// <summary>Final phase reached after processing: Success, Error or Failed.</summary>
    public JobPhase Outcome { get; init; } = JobPhase.Success;

    /// <summary>Seeded jobs keep a fixed phase forever.</summary>
    public JobPhase? PinnedPhase { get; init; }

    public DateTime PinnedUpdatedAt { get; init; }

    public long RecordsTotal { get; init; }

    public bool Seeded { get; init; }

    public bool Deleted => _deleted;

    /// <summary>Key used to detect duplicate active requests: one per dataset (truncate) or batch.</summary>
    public string TargetKey => BatchId != null ? "b:" + BatchId : "d:" + DatasetId;

    internal void MarkDeleted() => _deleted = true;

    public JobObservation Observe(DateTime now)
    {
        if (PinnedPhase is JobPhase pinned)
        {
            long taken = (long)Math.Max(0, (PinnedUpdatedAt - CreatedAt).TotalSeconds);
            return pinned switch
            {
                JobPhase.New => new JobObservation(pinned, CreatedAt, 0, 0),
                JobPhase.InProgress => new JobObservation(pinned, PinnedUpdatedAt, RecordsTotal / 3, taken),
                JobPhase.Success => new JobObservation(pinned, PinnedUpdatedAt, RecordsTotal, taken),
                _ => new JobObservation(pinned, PinnedUpdatedAt, RecordsTotal / 2, taken),
            };
        }

        long stepTicks = StepMs * TimeSpan.TicksPerMillisecond;
        long elapsed = now.Ticks - CreatedAt.Ticks;
        if (stepTicks > 0 && elapsed < stepTicks)
        {
            return new JobObservation(JobPhase.New, CreatedAt, 0, 0);
        }

        if (stepTicks > 0 && elapsed < 2 * stepTicks)
        {
            long inPhase = elapsed - stepTicks;
            long processed = RecordsTotal * inPhase / stepTicks;
            return new JobObservation(JobPhase.InProgress, CreatedAt.AddTicks(stepTicks), processed, inPhase / TimeSpan.TicksPerSecond);
        }

        long finalTaken = (StepMs + 999) / 1000;
        long finalProcessed = Outcome == JobPhase.Success ? RecordsTotal : RecordsTotal / 2;
        return new JobObservation(Outcome, CreatedAt.AddTicks(2 * stepTicks), finalProcessed, finalTaken);
    }
}
