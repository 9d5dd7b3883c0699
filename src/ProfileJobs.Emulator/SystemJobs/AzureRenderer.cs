using System;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using ProfileJobs.Emulator.Faults;
using ProfileJobs.Emulator.Gateway;
using ProfileJobs.Emulator.Infrastructure;

namespace ProfileJobs.Emulator.SystemJobs;

/// <summary>
/// Gen A, Azure legacy (DOC-SJ-A, DOC-SJ-MC Azure tab): <c>{_page:{count,next}, children}</c>, opaque
/// continuation tokens, <c>limit</c>/<c>start</c>/<c>page</c>/<c>sort</c>, newest first by default.
/// </summary>
internal sealed class AzureRenderer : ISystemJobRenderer
{
    private static readonly JsonEncodedText IdName = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText ImsOrgIdName = JsonEncodedText.Encode("imsOrgId");
    private static readonly JsonEncodedText DataSetIdName = JsonEncodedText.Encode("dataSetId");
    private static readonly JsonEncodedText DatasetIdName = JsonEncodedText.Encode("datasetId");
    private static readonly JsonEncodedText BatchIdName = JsonEncodedText.Encode("batchId");
    private static readonly JsonEncodedText JobTypeName = JsonEncodedText.Encode("jobType");
    private static readonly JsonEncodedText DeleteValue = JsonEncodedText.Encode("DELETE");
    private static readonly JsonEncodedText StatusName = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText MetricsName = JsonEncodedText.Encode("metrics");
    private static readonly JsonEncodedText CreateEpochName = JsonEncodedText.Encode("createEpoch");
    private static readonly JsonEncodedText UpdateEpochName = JsonEncodedText.Encode("updateEpoch");
    private static readonly JsonEncodedText[] StatusValues =
    {
        JsonEncodedText.Encode("NEW"),
        JsonEncodedText.Encode("PROCESSING"),
        JsonEncodedText.Encode("COMPLETED"),
        JsonEncodedText.Encode("ERROR"),
        JsonEncodedText.Encode("ERROR"),
    };

    public EmulatorMode Mode => EmulatorMode.Azure;

    public SandboxHeader SandboxHeader => SandboxHeader.Name;

    public bool AllowsBatchWithoutDataset => true;

    public bool SupportsDelete => true;

    public string Status(JobPhase phase) => StatusValues[(int)phase].ToString();

    public void WriteJob(Utf8JsonWriter w, SystemJob job, DateTime now)
    {
        JobObservation obs = job.Observe(now);
        w.WriteStartObject();
        w.WriteString(IdName, job.Id);
        w.WriteString(ImsOrgIdName, job.OrgId);
        if (job.BatchId == null)
        {
            w.WriteString(DataSetIdName, job.DatasetId);
        }
        else
        {
            if (job.DatasetId != null)
            {
                w.WriteString(DatasetIdName, job.DatasetId);
            }

            w.WriteString(BatchIdName, job.BatchId);
        }

        w.WriteString(JobTypeName, DeleteValue);
        w.WriteString(StatusName, StatusValues[(int)obs.Phase]);
        if (obs.Started)
        {
            // Gen A serialises metrics as a JSON-encoded string, not an object.
            Span<char> buf = stackalloc char[96];
            buf.TryWrite(CultureInfo.InvariantCulture, $"{{\"recordsProcessed\":{obs.RecordsProcessed},\"timeTakenInSec\":{obs.TimeTakenSec}}}", out int n);
            w.WriteString(MetricsName, buf.Slice(0, n));
        }

        w.WriteNumber(CreateEpochName, Timestamps.EpochSeconds(job.CreatedAt));
        w.WriteNumber(UpdateEpochName, Timestamps.EpochSeconds(obs.UpdatedAt));
        w.WriteEndObject();
    }

    public Task WriteListAsync(HttpContext ctx, SystemJobPartition? partition, SandboxRef sandbox, DateTime now)
    {
        string? rawLimit = ListQuery.Get(ctx, "limit");
        int? parsedLimit = ListQuery.Limit(ctx, out Task? error);
        if (parsedLimit is not int limit)
        {
            return error!;
        }

        // page wins over start when both are present; either may carry a continuation token.
        string? rawPage = ListQuery.Get(ctx, "page") ?? ListQuery.Get(ctx, "start");
        long pageIndex = 0;
        long? tokenOffset = null;
        if (rawPage != null && !ListQuery.TryNonNegative(rawPage, out pageIndex))
        {
            if (!ContinuationToken.TryParse(rawPage, out long offsetFromToken, out int tokenLimit))
            {
                return ListQuery.Invalid(ctx, $"page/start must be a 0-based page number or a _page.next token, got '{rawPage}'");
            }

            tokenOffset = offsetFromToken;
            if (rawLimit == null)
            {
                limit = tokenLimit;
            }
        }

        FaultRule? paging = FaultPaging.Rule(ctx);
        limit = FaultPaging.EffectiveSize(paging, limit);
        long offset = tokenOffset ?? pageIndex * limit;
        bool firstPage = offset == 0;

        Comparison<SystemJob>? sort = null;
        string? rawSort = ListQuery.Get(ctx, "sort");
        if (rawSort != null)
        {
            sort = ParseSort(rawSort, now);
            if (sort == null)
            {
                return ListQuery.Invalid(ctx, $"sort must be <field>:asc|desc with field one of id, imsOrgId, dataSetId, batchId, jobType, status, createEpoch, updateEpoch; got '{rawSort}'");
            }
        }

        SystemJob[] page;
        int total = 0;
        string? next;
        if (FaultPaging.Synthesizes(paging))
        {
            SystemJob[] head = partition?.Slice(0, FaultPaging.HeadSize(limit), descending: true, out total) ?? Array.Empty<SystemJob>();
            SynthesizedPage<SystemJob> made = FaultPaging.Synthesize(
                paging!, offset / limit, limit, head, total, FabricatedJobs.Factory(CallerIdentity.Get(ctx).OrgId, sandbox, now));
            page = made.Items.ToArray();
            next = ContinuationToken.Create(made.NextPage * made.Size, made.Size);
        }
        else
        {
            if (sort != null && firstPage && partition != null)
            {
                // sort is documented not to work across pages, so it is honoured on the first page only.
                SystemJob[] all = partition.SnapshotLive();
                Array.Sort(all, sort);
                total = all.Length;
                page = all.AsSpan(0, Math.Min(limit, total)).ToArray();
            }
            else if (partition != null)
            {
                page = partition.Slice(offset, limit, descending: true, out total);
            }
            else
            {
                page = Array.Empty<SystemJob>();
                total = 0;
            }

            long nextOffset = offset + page.Length;
            next = page.Length > 0 && nextOffset < total ? ContinuationToken.Create(nextOffset, limit) : null;
        }

        return JsonResponse.WriteAsync(ctx, 200, JsonResponse.Json, (this, page, now, next), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteStartObject("_page");
            w.WriteNumber("count", s.page.Length);
            if (s.next != null)
            {
                w.WriteString("next", s.next);
            }

            w.WriteEndObject();
            w.WriteStartArray("children");
            foreach (SystemJob job in s.page)
            {
                s.Item1.WriteJob(w, job, s.now);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    public Task WriteRecordBatchErrorAsync(HttpContext ctx, string datasetId) =>
        JsonResponse.WriteAsync(ctx, 400, JsonResponse.Json, (RequestIds.Get(ctx), datasetId), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("requestId", s.Item1);
            w.WriteStartObject("errors");
            w.WriteStartArray("400");
            w.WriteStartObject();
            w.WriteString("code", "500");
            w.WriteString("message", $"Batch can only be specified for EE type '{s.datasetId}'");
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        });

    private Comparison<SystemJob>? ParseSort(string raw, DateTime now)
    {
        int colon = raw.IndexOf(':');
        string field = (colon < 0 ? raw : raw.Substring(0, colon)).Trim();
        string dir = colon < 0 ? "asc" : raw.Substring(colon + 1).Trim().ToLowerInvariant();
        int sign = dir switch
        {
            "asc" => 1,
            "desc" => -1,
            _ => 0,
        };
        if (sign == 0)
        {
            return null;
        }

        Comparison<SystemJob>? key = field switch
        {
            "id" => static (a, b) => string.CompareOrdinal(a.Id, b.Id),
            "imsOrgId" => static (a, b) => string.CompareOrdinal(a.OrgId, b.OrgId),
            "dataSetId" or "datasetId" => static (a, b) => string.CompareOrdinal(a.DatasetId, b.DatasetId),
            "batchId" => static (a, b) => string.CompareOrdinal(a.BatchId, b.BatchId),
            "jobType" => static (a, b) => 0,
            "status" => (a, b) => string.CompareOrdinal(Status(a.Observe(now).Phase), Status(b.Observe(now).Phase)),
            "createEpoch" => static (a, b) => Timestamps.EpochSeconds(a.CreatedAt).CompareTo(Timestamps.EpochSeconds(b.CreatedAt)),
            "updateEpoch" => (a, b) => Timestamps.EpochSeconds(a.Observe(now).UpdatedAt).CompareTo(Timestamps.EpochSeconds(b.Observe(now).UpdatedAt)),
            _ => null,
        };
        if (key == null)
        {
            return null;
        }

        // Ties: newest first, as the unsorted list.
        return (a, b) =>
        {
            int c = sign * key(a, b);
            return c != 0 ? c : SystemJobPartition.CreationOrder(b, a);
        };
    }

    /// <summary>
    /// Opaque <c>_page.next</c> value shaped like a base64 Cosmos DB continuation token (aep-api.md 1.1); it encodes
    /// the offset of the next item (TRC) and the page size (FPC).
    /// </summary>
    internal static class ContinuationToken
    {
        public static string Create(long nextOffset, int limit)
        {
            long nextPage = nextOffset / Math.Max(1, limit);
            string raw = string.Create(CultureInfo.InvariantCulture, $"+RID:~EmuSysJobs{nextOffset:x8}==#RT:{nextPage}#TRC:{nextOffset}#ISV:2#IEO:65567#QCF:8#FPC:{limit}");
            return Convert.ToBase64String(Encoding.UTF8.GetBytes(raw));
        }

        public static bool TryParse(string token, out long offset, out int limit)
        {
            offset = 0;
            limit = ListQuery.DefaultLimit;
            string text;
            try
            {
                // A '+' sent unencoded in a query string arrives as a space.
                text = Encoding.UTF8.GetString(Convert.FromBase64String(token.Trim().Replace(' ', '+')));
            }
            catch (FormatException)
            {
                return false;
            }

            if (!text.StartsWith("+RID:", StringComparison.Ordinal))
            {
                return false;
            }

            bool haveOffset = false;
            foreach (string part in text.Split('#'))
            {
                if (part.StartsWith("TRC:", StringComparison.Ordinal) && long.TryParse(part.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out long trc))
                {
                    offset = trc;
                    haveOffset = true;
                }
                else if (part.StartsWith("FPC:", StringComparison.Ordinal) && int.TryParse(part.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out int fpc) && fpc > 0)
                {
                    limit = fpc;
                }
            }

            return haveOffset;
        }
    }
}
