using System;
using System.Collections.Generic;

namespace ProfileJobs.Emulator.Privacy;

/// <summary>One identity of a privacy user, as accepted and echoed back.</summary>
public sealed record PrivacyIdentity(string Namespace, string Value, string Type, int? NamespaceId, bool IsDeletedClientSide);

/// <summary>Privacy job status categories (DOC-PJ).</summary>
public enum PrivacyPhase
{
    Submitted,
    Processing,
    Complete,
    Error,
}

/// <summary>The state of a privacy job at one instant.</summary>
public readonly record struct PrivacyObservation(PrivacyPhase Phase, DateTime LastModified)
{
    public bool IsFinal => Phase >= PrivacyPhase.Complete;

    public string Status => Phase switch
    {
        PrivacyPhase.Submitted => "submitted",
        PrivacyPhase.Processing => "processing",
        PrivacyPhase.Complete => "complete",
        _ => "error",
    };
}

/// <summary>
/// One privacy job: a (user, action) pair of a <c>POST /data/core/privacy/jobs</c> request. Immutable; the status is
/// computed from the creation time and the step length (submitted until MS, processing until 2×MS, then final).
/// </summary>
public sealed class PrivacyJob
{
    public required string JobId { get; init; }

    /// <summary>The request id shared by every job of one POST, <c>&lt;17 digits&gt;RX-&lt;3 digits&gt;</c>.</summary>
    public required string RequestId { get; init; }

    public required string OrgId { get; init; }

    /// <summary>The user's <c>key</c>; null when the request did not send one.</summary>
    public string? UserKey { get; init; }

    /// <summary><c>access</c> or <c>delete</c>.</summary>
    public required string Action { get; init; }

    /// <summary>Lower-case regulation; null for a hygiene-beta record delete.</summary>
    public string? Regulation { get; init; }

    /// <summary>Products: the request's <c>include</c>, or the fixed hygiene-beta list.</summary>
    public required IReadOnlyList<string> Products { get; init; }

    public required IReadOnlyList<PrivacyIdentity> UserIds { get; init; }

    public required string SubmittedBy { get; init; }

    public required DateTime CreatedAt { get; init; }

    public int StepMs { get; init; }

    /// <summary>The identity value on the <c>--fail-identity</c> list, if any: the job ends <c>error</c>.</summary>
    public string? FailingValue { get; init; }

    public bool IsHygieneBeta => Regulation == null;

    /// <summary>The regulation the job is listed under (<c>hygiene</c> for hygiene-beta deletes).</summary>
    public string ListRegulation => Regulation ?? PrivacyCatalog.HygieneRegulation;

    public DateTime FinalAt => CreatedAt.AddTicks(2L * StepMs * TimeSpan.TicksPerMillisecond);

    public PrivacyObservation Observe(DateTime now)
    {
        long step = StepMs * TimeSpan.TicksPerMillisecond;
        long elapsed = now.Ticks - CreatedAt.Ticks;
        if (step > 0 && elapsed < step)
        {
            return new PrivacyObservation(PrivacyPhase.Submitted, CreatedAt);
        }

        if (step > 0 && elapsed < 2 * step)
        {
            return new PrivacyObservation(PrivacyPhase.Processing, CreatedAt.AddTicks(step));
        }

        return new PrivacyObservation(FailingValue != null ? PrivacyPhase.Error : PrivacyPhase.Complete, FinalAt);
    }
}
