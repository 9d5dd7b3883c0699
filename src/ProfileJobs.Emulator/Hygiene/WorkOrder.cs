using System;
using System.Collections.Generic;
using ProfileJobs.Emulator.Gateway;

namespace ProfileJobs.Emulator.Hygiene;

/// <summary>The identities of one namespace in a work order, in the order sent.</summary>
public sealed record NamespaceIdentities(string Namespace, IReadOnlyList<string> Ids);

/// <summary>Work-order status flow (SPEC-HYG): received → validated → submitted → ingested → completed | failed.</summary>
public enum WorkOrderPhase
{
    Received,
    Validated,
    Submitted,
    Ingested,
    Completed,
    Failed,
}

/// <summary>The state of a work order at one instant; <see cref="PhaseAt"/> is when the current phase began.</summary>
public readonly record struct WorkOrderObservation(WorkOrderPhase Phase, DateTime PhaseAt)
{
    public string Status => WorkOrder.StatusName(Phase);
}

/// <summary>
/// A Data Hygiene record-delete work order (aep-api.md 1.2, 5.4). Each phase lasts <see cref="StepMs"/>; the final
/// phase starts at 4×StepMs. Only the display name and description change after creation (PUT).
/// </summary>
public sealed class WorkOrder
{
    public static readonly string[] TargetServices = { "profile", "datalake", "identity" };

    public required string WorkorderId { get; init; }

    public required string BundleId { get; init; }

    public required string OrgId { get; init; }

    public required SandboxRef Sandbox { get; init; }

    public required string DatasetId { get; init; }

    public required string DatasetName { get; init; }

    public required string CreatedBy { get; init; }

    public required DateTime CreatedAt { get; init; }

    public int StepMs { get; init; }

    public required IReadOnlyList<NamespaceIdentities> Identities { get; init; }

    /// <summary>Number of identities (all namespaces), reported as <c>operationCount</c>.</summary>
    public required int OperationCount { get; init; }

    /// <summary>An identity on the <c>--fail-identity</c> list; the work order ends <c>failed</c>.</summary>
    public string? FailingValue { get; init; }

    public string DisplayName { get; internal set; } = string.Empty;

    public string? Description { get; internal set; }

    /// <summary>Time of the last PUT, if any.</summary>
    public DateTime? EditedAt { get; internal set; }

    public static string StatusName(WorkOrderPhase phase) => phase switch
    {
        WorkOrderPhase.Received => "received",
        WorkOrderPhase.Validated => "validated",
        WorkOrderPhase.Submitted => "submitted",
        WorkOrderPhase.Ingested => "ingested",
        WorkOrderPhase.Completed => "completed",
        _ => "failed",
    };

    public DateTime PhaseStart(int step) => CreatedAt.AddTicks(step * (long)StepMs * TimeSpan.TicksPerMillisecond);

    public WorkOrderObservation Observe(DateTime now)
    {
        long step = StepMs * TimeSpan.TicksPerMillisecond;
        long elapsed = now.Ticks - CreatedAt.Ticks;
        int index = step <= 0 ? 4 : (int)Math.Clamp(elapsed / step, 0, 4);
        WorkOrderPhase phase = index < 4 ? (WorkOrderPhase)index : FailingValue != null ? WorkOrderPhase.Failed : WorkOrderPhase.Completed;
        return new WorkOrderObservation(phase, PhaseStart(index));
    }

    /// <summary><c>updatedAt</c>: the later of the last status change and the last edit.</summary>
    public DateTime UpdatedAt(WorkOrderObservation obs) =>
        EditedAt is DateTime edited && edited > obs.PhaseAt ? edited : obs.PhaseAt;
}
