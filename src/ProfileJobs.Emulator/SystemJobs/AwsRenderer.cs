using System;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using ProfileJobs.Emulator.Gateway;
using ProfileJobs.Emulator.Infrastructure;

namespace ProfileJobs.Emulator.SystemJobs;

/// <summary>
/// Gen B, AWS (DOC-SJ-MC AWS tab, SPEC-PROF <c>ListAWSSystemJobs</c>): a bare JSON array of the newest 100 jobs,
/// no query parameters, <c>x-sandbox-id</c> header, no DELETE.
/// </summary>
internal sealed class AwsRenderer : ISystemJobRenderer
{
    public const int ListSize = 100;

    public EmulatorMode Mode => EmulatorMode.Aws;

    public SandboxHeader SandboxHeader => SandboxHeader.Id;

    public bool AllowsBatchWithoutDataset => false;

    public bool SupportsDelete => false;

    public string Status(JobPhase phase) => GenBcJobWriter.Status(phase);

    public void WriteJob(System.Text.Json.Utf8JsonWriter w, SystemJob job, DateTime now) => GenBcJobWriter.WriteJob(w, job, now);

    public Task WriteListAsync(HttpContext ctx, SystemJobPartition? partition, SandboxRef sandbox, DateTime now)
    {
        SystemJob[] page = partition?.Slice(0, ListSize, descending: true, out _) ?? Array.Empty<SystemJob>();
        return JsonResponse.WriteAsync(ctx, 200, JsonResponse.Json, (page, now), static (w, s) =>
        {
            w.WriteStartArray();
            foreach (SystemJob job in s.page)
            {
                GenBcJobWriter.WriteJob(w, job, s.now);
            }

            w.WriteEndArray();
        });
    }

    public Task WriteRecordBatchErrorAsync(HttpContext ctx, string datasetId) => GenBcJobWriter.WriteRecordBatchErrorAsync(ctx);
}
