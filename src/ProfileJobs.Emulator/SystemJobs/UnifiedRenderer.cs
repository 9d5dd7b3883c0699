using System;
using System.Globalization;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using ProfileJobs.Emulator.Faults;
using ProfileJobs.Emulator.Gateway;
using ProfileJobs.Emulator.Infrastructure;

namespace ProfileJobs.Emulator.SystemJobs;

/// <summary>
/// Gen C, unified (DOC-SJ-U1/U2): <c>{_page:{pageSize,start:"k",totalCount,next:k+1}, children}</c> with
/// <c>start</c> = 0-based page and <c>limit</c> = page size; ascending by creation (or descending, by option).
/// </summary>
internal sealed class UnifiedRenderer : ISystemJobRenderer
{
    private readonly bool _descending;

    public UnifiedRenderer(ListOrder order)
    {
        _descending = order == ListOrder.Descending;
    }

    public EmulatorMode Mode => EmulatorMode.Unified;

    public SandboxHeader SandboxHeader => SandboxHeader.Name;

    public bool AllowsBatchWithoutDataset => false;

    public bool SupportsDelete => false;

    public string Status(JobPhase phase) => GenBcJobWriter.Status(phase);

    public void WriteJob(System.Text.Json.Utf8JsonWriter w, SystemJob job, DateTime now) => GenBcJobWriter.WriteJob(w, job, now);

    public Task WriteListAsync(HttpContext ctx, SystemJobPartition? partition, SandboxRef sandbox, DateTime now)
    {
        int? parsedLimit = ListQuery.Limit(ctx, out Task? error);
        if (parsedLimit is not int limit)
        {
            return error!;
        }

        long start = 0;
        string? rawStart = ListQuery.Get(ctx, "start");
        if (rawStart != null && !ListQuery.TryNonNegative(rawStart, out start))
        {
            return ListQuery.Invalid(ctx, $"start must be a 0-based page number, got '{rawStart}'");
        }

        FaultRule? paging = FaultPaging.Rule(ctx);
        limit = FaultPaging.EffectiveSize(paging, limit);
        int total = 0;
        SystemJob[] page;
        bool hasNext;
        long claimedTotal;
        long next = start + 1;
        if (FaultPaging.Synthesizes(paging))
        {
            SystemJob[] head = partition?.Slice(0, FaultPaging.HeadSize(limit), _descending, out total) ?? Array.Empty<SystemJob>();
            SynthesizedPage<SystemJob> made = FaultPaging.Synthesize(paging!, start, limit, head, total, FabricatedJobs.Factory(CallerIdentity.Get(ctx).OrgId, sandbox, now));
            (page, limit, next, claimedTotal, hasNext) = (made.Items.ToArray(), made.Size, made.NextPage, made.ClaimedTotal, true);
        }
        else
        {
            page = partition?.Slice(start * limit, limit, _descending, out total) ?? Array.Empty<SystemJob>();
            hasNext = (start + 1) * limit < total;
            claimedTotal = total;
        }

        return JsonResponse.WriteAsync(ctx, 200, JsonResponse.Json, (page, now, limit, start, claimedTotal, hasNext, next), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteStartObject("_page");
            w.WriteNumber("pageSize", s.limit);
            w.WriteString("start", s.start.ToString(CultureInfo.InvariantCulture));
            w.WriteNumber("totalCount", s.claimedTotal);
            if (s.hasNext)
            {
                w.WriteNumber("next", s.next);
            }

            w.WriteEndObject();
            w.WriteStartArray("children");
            foreach (SystemJob job in s.page)
            {
                GenBcJobWriter.WriteJob(w, job, s.now);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    public Task WriteRecordBatchErrorAsync(HttpContext ctx, string datasetId) => GenBcJobWriter.WriteRecordBatchErrorAsync(ctx);
}
