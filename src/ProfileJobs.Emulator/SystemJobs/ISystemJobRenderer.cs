using System;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using ProfileJobs.Emulator.Gateway;

namespace ProfileJobs.Emulator.SystemJobs;

/// <summary>
/// Everything that differs between the three contract generations (aep-api.md 5.3): record shape, status
/// vocabulary, list paging, sandbox header and a few error bodies. The routes themselves are shared.
/// </summary>
internal interface ISystemJobRenderer
{
    EmulatorMode Mode { get; }

    SandboxHeader SandboxHeader { get; }

    /// <summary>Gen A accepts <c>{"batchId"}</c> without a dataset id.</summary>
    bool AllowsBatchWithoutDataset { get; }

    /// <summary>Gen A supports <c>DELETE /system/jobs/{id}</c>.</summary>
    bool SupportsDelete { get; }

    string Status(JobPhase phase);

    void WriteJob(System.Text.Json.Utf8JsonWriter w, SystemJob job, DateTime now);

    Task WriteListAsync(HttpContext ctx, SystemJobPartition? partition, SandboxRef sandbox, DateTime now);

    Task WriteRecordBatchErrorAsync(HttpContext ctx, string datasetId);
}

/// <summary>Factory for the renderer of a mode.</summary>
internal static class SystemJobRenderers
{
    public static ISystemJobRenderer For(EmulatorOptions options) => options.Mode switch
    {
        EmulatorMode.Azure => new AzureRenderer(),
        EmulatorMode.Aws => new AwsRenderer(),
        _ => new UnifiedRenderer(options.Order),
    };
}
