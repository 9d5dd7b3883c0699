using System;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ProfileJobs.Emulator.Gateway;
using ProfileJobs.Emulator.Infrastructure;

namespace ProfileJobs.Emulator.SystemJobs;

/// <summary>
/// <c>/data/core/ups/system/jobs</c> routes (aep-api.md 5.3). Gateway checks have already run; these handlers check
/// the sandbox header and delegate shapes and paging to the mode's <see cref="ISystemJobRenderer"/>.
/// </summary>
internal static class SystemJobEndpoints
{
    public const string Root = "/data/core/ups/system/jobs";

    public static void Map(IEndpointRouteBuilder app, EmulatorState state)
    {
        app.MapGet(Root, (RequestDelegate)(ctx => ListAsync(ctx, state)));
        app.MapPost(Root, (RequestDelegate)(ctx => CreateAsync(ctx, state)));
        app.MapGet(Root + "/{id}", (RequestDelegate)(ctx => GetAsync(ctx, state)));
        app.MapDelete(Root + "/{id}", (RequestDelegate)(ctx => DeleteAsync(ctx, state)));

        // Other methods get a 405 problem body instead of the catch-all 404.
        string itemAllow = state.SystemJobRenderer.SupportsDelete ? "GET, DELETE" : "GET";
        app.MapMethods(Root, new[] { "PUT", "PATCH", "DELETE" }, (RequestDelegate)(ctx => MethodNotAllowed(ctx, "GET, POST")));
        app.MapMethods(Root + "/{id}", new[] { "PUT", "PATCH", "POST" }, (RequestDelegate)(ctx => MethodNotAllowed(ctx, itemAllow)));
    }

    private static Task MethodNotAllowed(HttpContext ctx, string allow)
    {
        ctx.Response.Headers.Allow = allow;
        return Problems.WriteAsync(
            ctx, 405, Problems.MethodNotAllowed, "Method Not Allowed", $"{ctx.Request.Method} is not supported on {ctx.Request.Path}; allowed: {allow}.");
    }

    private static Task ListAsync(HttpContext ctx, EmulatorState state)
    {
        ISystemJobRenderer r = state.SystemJobRenderer;
        if (!TrySandbox(ctx, state, out SandboxRef sandbox, out Task? error))
        {
            return error!;
        }

        SystemJobPartition? partition = state.SystemJobs.Partition(CallerIdentity.Get(ctx).OrgId, sandbox.Key);
        return r.WriteListAsync(ctx, partition, sandbox, state.UtcNow);
    }

    private static async Task CreateAsync(HttpContext ctx, EmulatorState state)
    {
        ISystemJobRenderer r = state.SystemJobRenderer;
        if (!TrySandbox(ctx, state, out SandboxRef sandbox, out Task? error))
        {
            await error!.ConfigureAwait(false);
            return;
        }

        ReadOnlyMemory<byte> body = await RequestBodies.ReadAllAsync(ctx.Request).ConfigureAwait(false);
        if (!CreatePayload.TryParse(body, r.AllowsBatchWithoutDataset, out CreatePayload payload, out string problem))
        {
            await Problems.WriteAsync(ctx, 400, Problems.InvalidPayload, "Invalid system job payload", problem).ConfigureAwait(false);
            return;
        }

        string? datasetForChecks = payload.DatasetId ?? state.Datasets.DatasetOfBatch(payload.BatchId!);
        if (payload.BatchId != null && datasetForChecks != null && state.Datasets.IsRecord(datasetForChecks))
        {
            await r.WriteRecordBatchErrorAsync(ctx, datasetForChecks).ConfigureAwait(false);
            return;
        }

        DateTime now = state.UtcNow;
        var job = new SystemJob
        {
            Id = Ids.Uuid(),
            Type = payload.BatchId != null ? SystemJobType.DeleteEeBatch : SystemJobType.TruncateDataset,
            DatasetId = payload.DatasetId,
            BatchId = payload.BatchId,
            OrgId = CallerIdentity.Get(ctx).OrgId,
            Sandbox = sandbox,
            CreatedAt = Timestamps.TruncateToMicros(now),
            StepMs = state.Options.JobStepMs,
            Outcome = state.Datasets.IsFailing(datasetForChecks) ? JobPhase.Failed : JobPhase.Success,
            RecordsTotal = Random.Shared.Next(1, 100_000),
        };

        SystemJob? existing = state.SystemJobs.TryAdd(job, now);
        if (existing != null)
        {
            string target = payload.BatchId != null ? $"batch '{payload.BatchId}'" : $"dataset '{payload.DatasetId}'";
            string status = r.Status(existing.Observe(now).Phase);
            await Problems.WriteAsync(
                ctx,
                422,
                Problems.DuplicateRequest,
                "Delete request already exists",
                $"A delete request for {target} already exists and is not finished (id {existing.Id}, status {status}).",
                includeRequestId: true).ConfigureAwait(false);
            return;
        }

        await WriteJobAsync(ctx, state, job, now).ConfigureAwait(false);
    }

    private static Task GetAsync(HttpContext ctx, EmulatorState state)
    {
        if (!TrySandbox(ctx, state, out SandboxRef sandbox, out Task? error))
        {
            return error!;
        }

        string id = (string)ctx.Request.RouteValues["id"]!;
        SystemJob? job = state.SystemJobs.Find(CallerIdentity.Get(ctx).OrgId, sandbox, id);
        return job == null ? NotFound(ctx, id, sandbox) : WriteJobAsync(ctx, state, job, state.UtcNow);
    }

    private static Task DeleteAsync(HttpContext ctx, EmulatorState state)
    {
        ISystemJobRenderer r = state.SystemJobRenderer;
        if (!r.SupportsDelete)
        {
            ctx.Response.Headers.Allow = "GET";
            return Problems.WriteAsync(
                ctx,
                405,
                Problems.MethodNotAllowed,
                "Method Not Allowed",
                $"DELETE on system jobs is only available in the Azure (Gen A) API; this emulator runs in {EmulatorOptions.ModeName(r.Mode)} mode.");
        }

        if (!TrySandbox(ctx, state, out SandboxRef sandbox, out Task? error))
        {
            return error!;
        }

        string id = (string)ctx.Request.RouteValues["id"]!;
        return state.SystemJobs.Remove(CallerIdentity.Get(ctx).OrgId, sandbox, id)
            ? JsonResponse.WriteEmptyAsync(ctx, 200)
            : NotFound(ctx, id, sandbox);
    }

    private static Task WriteJobAsync(HttpContext ctx, EmulatorState state, SystemJob job, DateTime now) =>
        JsonResponse.WriteAsync(ctx, 200, JsonResponse.Json, (state.SystemJobRenderer, job, now), static (w, s) =>
            s.SystemJobRenderer.WriteJob(w, s.job, s.now));

    private static Task NotFound(HttpContext ctx, string id, SandboxRef sandbox) =>
        Problems.WriteAsync(ctx, 404, Problems.JobNotFound, "System job not found", $"No system job '{id}' exists in sandbox '{sandbox.Name}'.");

    private static bool TrySandbox(HttpContext ctx, EmulatorState state, out SandboxRef sandbox, out Task? error)
    {
        SandboxRef? resolved = SandboxResolver.Resolve(ctx, state.Options, state.SystemJobRenderer.SandboxHeader, out error);
        sandbox = resolved.GetValueOrDefault();
        return resolved.HasValue;
    }
}
