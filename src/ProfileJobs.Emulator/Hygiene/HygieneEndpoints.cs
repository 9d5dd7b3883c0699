using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Primitives;
using ProfileJobs.Emulator.Datasets;
using ProfileJobs.Emulator.Faults;
using ProfileJobs.Emulator.Gateway;
using ProfileJobs.Emulator.Infrastructure;
using ProfileJobs.Emulator.Privacy;

namespace ProfileJobs.Emulator.Hygiene;

/// <summary>
/// Data Hygiene record deletes, <c>/data/core/hygiene/workorder</c>, and <c>/quota</c> (aep-api.md 1.2, 5.4).
/// Work orders need <c>x-sandbox-name</c> and are partitioned by (org, sandbox); quotas are per org.
/// </summary>
public static class HygieneEndpoints
{
    public const string Root = "/data/core/hygiene";
    public const string WorkOrders = Root + "/workorder";
    public const string Quota = Root + "/quota";

    private const int DefaultLimit = 25;
    private const int MaxLimit = 100;

    /// <summary>Fixed dataset-expiration quota reported by <c>/quota</c> (TTL is not emulated).</summary>
    private const long DatasetExpirationQuota = 75;

    private static readonly string[] StatusNames = { "received", "validated", "submitted", "ingested", "completed", "failed" };

    private static readonly string[] OrderFields =
    {
        "createdAt", "updatedAt", "displayName", "description", "datasetId", "datasetName", "status", "workorderId",
        "operationCount", "createdBy",
    };

    public static void Map(IEndpointRouteBuilder app, EmulatorState state)
    {
        app.MapPost(WorkOrders, (RequestDelegate)(ctx => CreateAsync(ctx, state)));
        app.MapGet(WorkOrders, (RequestDelegate)(ctx => ListAsync(ctx, state)));
        app.MapGet(WorkOrders + "/{id}", (RequestDelegate)(ctx => GetAsync(ctx, state)));
        app.MapPut(WorkOrders + "/{id}", (RequestDelegate)(ctx => UpdateAsync(ctx, state)));
        app.MapGet(Quota, (RequestDelegate)(ctx => QuotaAsync(ctx, state)));
        app.MapMethods(WorkOrders, new[] { "PUT", "PATCH", "DELETE" }, (RequestDelegate)(ctx => PrivacyEndpoints.MethodNotAllowed(ctx, "GET, POST")));
        app.MapMethods(WorkOrders + "/{id}", new[] { "POST", "PATCH", "DELETE" }, (RequestDelegate)(ctx => PrivacyEndpoints.MethodNotAllowed(ctx, "GET, PUT")));
        app.MapMethods(Quota, new[] { "POST", "PUT", "PATCH", "DELETE" }, (RequestDelegate)(ctx => PrivacyEndpoints.MethodNotAllowed(ctx, "GET")));
    }

    private static Task BadRequest(HttpContext ctx, string message) => Problems.WriteGatewayAsync(ctx, 400, "400001", message);

    private static async Task CreateAsync(HttpContext ctx, EmulatorState state)
    {
        SandboxRef? sandbox = SandboxResolver.Resolve(ctx, state.Options, SandboxHeader.Name, out Task? sandboxError);
        if (sandbox == null)
        {
            await sandboxError!.ConfigureAwait(false);
            return;
        }

        ReadOnlyMemory<byte> body = await RequestBodies.ReadAllAsync(ctx.Request).ConfigureAwait(false);
        WorkOrderCreate? request = WorkOrderRequests.ParseCreate(body, out string error);
        if (request == null)
        {
            await BadRequest(ctx, error).ConfigureAwait(false);
            return;
        }

        string datasetName = request.DatasetId;
        if (request.DatasetId != "ALL")
        {
            DatasetInfo? dataset = state.Datasets.Find(request.DatasetId);
            if (dataset is { HasIdentity: false })
            {
                await BadRequest(ctx, $"Dataset '{request.DatasetId}' has no primary identity or identityMap; record deletes cannot target it.").ConfigureAwait(false);
                return;
            }

            datasetName = dataset?.Name ?? request.DatasetId;
        }

        string? failing = null;
        if (state.FailIdentities.Count > 0)
        {
            failing = request.Identities.SelectMany(g => g.Ids).FirstOrDefault(state.FailIdentities.Contains);
        }

        CallerIdentity caller = CallerIdentity.Get(ctx);
        string user = caller.ClientId + "@techacct.adobe.com";
        DateTime now = Timestamps.TruncateToMicros(state.UtcNow);
        var order = new WorkOrder
        {
            WorkorderId = "DI-" + Ids.Uuid(),
            BundleId = "BN-" + Ids.Uuid(),
            OrgId = caller.OrgId,
            Sandbox = sandbox.Value,
            DatasetId = request.DatasetId,
            DatasetName = datasetName,
            CreatedBy = $"{user} <{user}> {caller.ClientId}@AdobeID",
            CreatedAt = now,
            StepMs = state.Options.JobStepMs,
            Identities = request.Identities,
            OperationCount = request.IdentityCount,
            FailingValue = failing,
            DisplayName = request.DisplayName,
            Description = request.Description,
        };

        QuotaViolation? violation = state.WorkOrders.TryAdd(order, now, state.Options.DailyIdentityQuota, state.Options.MonthlyIdentityQuota);
        if (violation != null)
        {
            await WriteQuotaExceededAsync(ctx, violation).ConfigureAwait(false);
            return;
        }

        await JsonResponse.WriteAsync(ctx, 200, JsonResponse.Json, (order, now), static (w, s) =>
            WriteWorkOrder(w, s.order, s.order.Observe(s.now), details: false)).ConfigureAwait(false);
    }

    private static Task WriteQuotaExceededAsync(HttpContext ctx, QuotaViolation v)
    {
        string period = v.QuotaName == WorkOrderStore.DailyQuotaName ? "today (GMT)" : "this month (GMT)";
        string detail = $"The work order has {v.Requested} identities, but {v.QuotaName} allows only {Math.Max(0, v.Quota - v.Consumed)} more {period} " +
                        $"({v.Consumed} of {v.Quota} consumed). Nothing was counted.";
        string requestId = RequestIds.Get(ctx);
        return JsonResponse.WriteAsync(ctx, 400, JsonResponse.ProblemJson, (v, detail, requestId), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("type", Problems.QuotaExceeded);
            w.WriteString("title", "Identity delete quota exceeded");
            w.WriteNumber("status", 400);
            w.WriteString("detail", s.detail);
            w.WriteString("quotaName", s.v.QuotaName);
            w.WriteNumber("quota", s.v.Quota);
            w.WriteNumber("consumed", s.v.Consumed);
            w.WriteNumber("requested", s.v.Requested);
            w.WriteString("requestId", s.requestId);
            w.WriteEndObject();
        });
    }

    private static Task GetAsync(HttpContext ctx, EmulatorState state)
    {
        if (!TryFind(ctx, state, out WorkOrder? order, out Task? error))
        {
            return error!;
        }

        return JsonResponse.WriteAsync(ctx, 200, JsonResponse.Json, (order!, state.UtcNow), static (w, s) =>
            WriteWorkOrder(w, s.Item1, s.Item1.Observe(s.UtcNow), details: true));
    }

    private static async Task UpdateAsync(HttpContext ctx, EmulatorState state)
    {
        if (!TryFind(ctx, state, out WorkOrder? order, out Task? error))
        {
            await error!.ConfigureAwait(false);
            return;
        }

        ReadOnlyMemory<byte> body = await RequestBodies.ReadAllAsync(ctx.Request).ConfigureAwait(false);
        WorkOrderEdit? edit = WorkOrderRequests.ParseEdit(body, out string message);
        if (edit == null)
        {
            await BadRequest(ctx, message).ConfigureAwait(false);
            return;
        }

        DateTime now = Timestamps.TruncateToMicros(state.UtcNow);
        state.WorkOrders.Update(order!, edit.DisplayName, edit.Description, now);
        await JsonResponse.WriteAsync(ctx, 200, JsonResponse.Json, (order!, now), static (w, s) =>
            WriteWorkOrder(w, s.Item1, s.Item1.Observe(s.now), details: true)).ConfigureAwait(false);
    }

    private static bool TryFind(HttpContext ctx, EmulatorState state, out WorkOrder? order, out Task? error)
    {
        order = null;
        SandboxRef? sandbox = SandboxResolver.Resolve(ctx, state.Options, SandboxHeader.Name, out error);
        if (sandbox == null)
        {
            return false;
        }

        string id = (string)ctx.Request.RouteValues["id"]!;
        order = state.WorkOrders.Find(CallerIdentity.Get(ctx).OrgId, sandbox.Value.Key, id);
        if (order == null)
        {
            error = Problems.WriteGatewayAsync(ctx, 404, "404003", $"Work order '{id}' was not found in sandbox '{sandbox.Value.Name}'.");
            return false;
        }

        return true;
    }

    private static Task ListAsync(HttpContext ctx, EmulatorState state)
    {
        SandboxRef? sandbox = SandboxResolver.Resolve(ctx, state.Options, SandboxHeader.Name, out Task? sandboxError);
        if (sandbox == null)
        {
            return sandboxError!;
        }

        IQueryCollection q = ctx.Request.Query;
        DateTime now = state.UtcNow;
        string? error = null;

        int page = 0;
        string? pageRaw = Get(q, "page");
        if (pageRaw != null && (!int.TryParse(pageRaw, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page < 0))
        {
            return BadRequest(ctx, $"page must be a non-negative integer (0-based), got '{pageRaw}'.");
        }

        int limit = DefaultLimit;
        string? limitRaw = Get(q, "limit");
        if (limitRaw != null && (!int.TryParse(limitRaw, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > MaxLimit))
        {
            return BadRequest(ctx, $"limit must be an integer between 1 and {MaxLimit}, got '{limitRaw}'.");
        }

        HashSet<string>? statuses = null;
        string? statusRaw = Get(q, "status");
        if (statusRaw != null)
        {
            statuses = new HashSet<string>(StringComparer.Ordinal);
            foreach (string s in statusRaw.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (Array.IndexOf(StatusNames, s) < 0)
                {
                    return BadRequest(ctx, $"status '{s}' is not one of {string.Join(", ", StatusNames)} (case-sensitive).");
                }

                statuses.Add(s);
            }
        }

        string? type = Get(q, "type") ?? Get(q, "action");
        if (type != null && type != "identity-delete")
        {
            return BadRequest(ctx, $"type '{type}' is not supported; the emulator only holds identity-delete work orders.");
        }

        DateTime? from = null;
        DateTime? to = null;
        string? fromRaw = Get(q, "fromDate");
        string? toRaw = Get(q, "toDate");
        if ((fromRaw == null) != (toRaw == null))
        {
            return BadRequest(ctx, "fromDate and toDate must be given together.");
        }

        if (fromRaw != null)
        {
            if (!TryDate(fromRaw, endOfDay: false, out DateTime f) || !TryDate(toRaw!, endOfDay: true, out DateTime t))
            {
                return BadRequest(ctx, "fromDate and toDate must be dates (YYYY-MM-DD) or ISO-8601 UTC timestamps.");
            }

            if (t < f)
            {
                return BadRequest(ctx, "toDate is before fromDate.");
            }

            (from, to) = (f, t);
        }

        DateTime? filterDay = null;
        string? filterRaw = Get(q, "filterDate");
        if (filterRaw != null)
        {
            if (!TryDate(filterRaw, endOfDay: false, out DateTime d))
            {
                return BadRequest(ctx, "filterDate must be a date (YYYY-MM-DD).");
            }

            filterDay = d.Date;
        }

        Comparison<(WorkOrder Order, WorkOrderObservation Obs)>? order = null;
        string? orderRaw = Get(q, "orderBy");
        if (orderRaw != null)
        {
            order = ParseOrder(orderRaw, out error);
            if (order == null)
            {
                return BadRequest(ctx, error!);
            }
        }

        string? search = Get(q, "search");
        string? displayName = Get(q, "displayName");
        string? description = Get(q, "description");
        string? author = Get(q, "author") ?? Get(q, "createdBy");
        string? datasetId = Get(q, "datasetId");
        string? datasetName = Get(q, "datasetName");
        string? workorderId = Get(q, "workorderId");

        var matches = new List<(WorkOrder Order, WorkOrderObservation Obs)>();
        foreach (WorkOrder wo in state.WorkOrders.Select(CallerIdentity.Get(ctx).OrgId, sandbox.Value.Key))
        {
            WorkOrderObservation obs = wo.Observe(now);
            if ((statuses != null && !statuses.Contains(obs.Status)) ||
                (from != null && (wo.CreatedAt < from || wo.CreatedAt > to)) ||
                (filterDay != null && wo.CreatedAt.Date != filterDay && wo.UpdatedAt(obs).Date != filterDay) ||
                (displayName != null && !Contains(wo.DisplayName, displayName)) ||
                (description != null && !Contains(wo.Description, description)) ||
                (author != null && !Contains(wo.CreatedBy, author)) ||
                (datasetId != null && !string.Equals(wo.DatasetId, datasetId, StringComparison.Ordinal)) ||
                (datasetName != null && !Contains(wo.DatasetName, datasetName)) ||
                (workorderId != null && !string.Equals(wo.WorkorderId, workorderId, StringComparison.OrdinalIgnoreCase) &&
                 !string.Equals(wo.BundleId, workorderId, StringComparison.OrdinalIgnoreCase)) ||
                (search != null && !(Contains(wo.WorkorderId, search) || Contains(wo.DisplayName, search) || Contains(wo.Description, search) ||
                                     Contains(wo.DatasetId, search) || Contains(wo.DatasetName, search) || Contains(wo.CreatedBy, search))))
            {
                continue;
            }

            matches.Add((wo, obs));
        }

        if (order != null)
        {
            // Stable sort: ties keep creation order.
            var indexed = matches.Select(static (m, i) => (Item: m, Index: i)).ToList();
            indexed.Sort((a, b) =>
            {
                int c = order(a.Item, b.Item);
                return c != 0 ? c : a.Index.CompareTo(b.Index);
            });
            matches = indexed.ConvertAll(static x => x.Item);
        }

        string baseUrl = ctx.Request.Scheme + "://" + ctx.Request.Host.Value + WorkOrders;
        string nextQuery = baseUrl + "?" + QueryWithout(ctx.Request, "page", "limit");
        int requestedLimit = limit;
        FaultRule? paging = FaultPaging.Rule(ctx);
        limit = FaultPaging.EffectiveSize(paging, limit);
        long claimedTotal = matches.Count;
        string? next;
        int skip;
        int take;
        if (FaultPaging.Synthesizes(paging))
        {
            var head = matches.GetRange(0, Math.Min(matches.Count, FaultPaging.HeadSize(limit)));
            CallerIdentity caller = CallerIdentity.Get(ctx);
            SandboxRef partition = sandbox.Value;
            SynthesizedPage<(WorkOrder Order, WorkOrderObservation Obs)> made = FaultPaging.Synthesize(
                paging!, page, limit, head, matches.Count, (p, i) => Fabricate(caller, partition, now, p, i));
            (matches, skip, take, claimedTotal) = (made.Items, 0, made.Items.Count, made.ClaimedTotal);
            next = nextQuery + $"page={made.NextPage}&limit={requestedLimit}";
        }
        else
        {
            long start = (long)page * limit;
            skip = (int)Math.Min(start, matches.Count);
            take = Math.Min(limit, matches.Count - skip);
            bool more = skip + take < matches.Count && start < matches.Count;
            next = more ? nextQuery + $"page={page + 1}&limit={requestedLimit}" : null;
        }

        return JsonResponse.WriteAsync(ctx, 200, JsonResponse.Json, (matches, skip, take, next, baseUrl, claimedTotal), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteStartArray("results");
            for (int i = s.skip; i < s.skip + s.take; i++)
            {
                WriteWorkOrder(w, s.matches[i].Order, s.matches[i].Obs, details: false);
            }

            w.WriteEndArray();
            w.WriteNumber("total", s.claimedTotal);
            w.WriteNumber("count", s.take);
            w.WriteStartObject("_links");
            if (s.next != null)
            {
                w.WriteStartObject("next");
                w.WriteString("href", s.next);
                w.WriteBoolean("templated", false);
                w.WriteEndObject();
            }

            w.WriteStartObject("page");
            w.WriteString("href", s.baseUrl + "?limit={limit}&page={page}");
            w.WriteBoolean("templated", true);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    /// <summary>A made-up work order for the pages of an endless or alternating list (fault injection); never stored.</summary>
    private static (WorkOrder, WorkOrderObservation) Fabricate(CallerIdentity caller, SandboxRef sandbox, DateTime now, long page, int index)
    {
        string id = Ids.DeterministicUuid($"fabricated-workorder:{page}:{index}");
        var order = new WorkOrder
        {
            WorkorderId = "DI-" + id,
            BundleId = "BN-" + Ids.DeterministicUuid($"fabricated-bundle:{page}:{index}"),
            OrgId = caller.OrgId,
            Sandbox = sandbox,
            DatasetId = "ALL",
            DatasetName = "ALL",
            CreatedBy = caller.ClientId + "@techacct.adobe.com",
            CreatedAt = Timestamps.TruncateToMicros(now).AddSeconds(-1 - index),
            Identities = Array.Empty<NamespaceIdentities>(),
            OperationCount = 1,
            DisplayName = $"fabricated page {page} item {index}",
        };
        return (order, order.Observe(now));
    }

    private static Comparison<(WorkOrder Order, WorkOrderObservation Obs)>? ParseOrder(string raw, out string? error)
    {
        error = null;

        // A literal '+' arrives as a space when not percent-encoded.
        string spec = raw.Trim();
        bool descending = false;
        if (raw.StartsWith(' ') || spec.StartsWith('+'))
        {
            spec = spec.TrimStart('+');
        }
        else if (spec.StartsWith('-'))
        {
            descending = true;
            spec = spec.Substring(1);
        }

        string? field = OrderFields.FirstOrDefault(f => string.Equals(f, spec, StringComparison.OrdinalIgnoreCase)) ??
                        (string.Equals(spec, "id", StringComparison.OrdinalIgnoreCase) ? "workorderId" : null);
        if (field == null)
        {
            error = $"orderBy '{raw}' is not supported; use [+|-] followed by one of {string.Join(", ", OrderFields)}.";
            return null;
        }

        Comparison<(WorkOrder Order, WorkOrderObservation Obs)> asc = field switch
        {
            "createdAt" => static (a, b) => a.Order.CreatedAt.CompareTo(b.Order.CreatedAt),
            "updatedAt" => static (a, b) => a.Order.UpdatedAt(a.Obs).CompareTo(b.Order.UpdatedAt(b.Obs)),
            "displayName" => static (a, b) => string.Compare(a.Order.DisplayName, b.Order.DisplayName, StringComparison.OrdinalIgnoreCase),
            "description" => static (a, b) => string.Compare(a.Order.Description, b.Order.Description, StringComparison.OrdinalIgnoreCase),
            "datasetId" => static (a, b) => string.CompareOrdinal(a.Order.DatasetId, b.Order.DatasetId),
            "datasetName" => static (a, b) => string.Compare(a.Order.DatasetName, b.Order.DatasetName, StringComparison.OrdinalIgnoreCase),
            "status" => static (a, b) => string.CompareOrdinal(a.Obs.Status, b.Obs.Status),
            "workorderId" => static (a, b) => string.CompareOrdinal(a.Order.WorkorderId, b.Order.WorkorderId),
            "operationCount" => static (a, b) => a.Order.OperationCount.CompareTo(b.Order.OperationCount),
            _ => static (a, b) => string.CompareOrdinal(a.Order.CreatedBy, b.Order.CreatedBy),
        };
        return descending ? (a, b) => asc(b, a) : asc;
    }

    private static Task QuotaAsync(HttpContext ctx, EmulatorState state)
    {
        string? quotaType = Get(ctx.Request.Query, "quotaType");
        string[] names = { WorkOrderStore.DailyQuotaName, WorkOrderStore.MonthlyQuotaName, WorkOrderStore.DatasetExpirationQuotaName };
        if (quotaType != null && Array.IndexOf(names, quotaType) < 0)
        {
            return BadRequest(ctx, $"quotaType '{quotaType}' is not one of {string.Join(", ", names)}.");
        }

        (long daily, long monthly) = state.WorkOrders.Consumed(CallerIdentity.Get(ctx).OrgId, state.UtcNow);
        EmulatorOptions o = state.Options;
        var quotas = new (string Name, string Description, long Consumed, long Quota)[]
        {
            (WorkOrderStore.DailyQuotaName, "Identities submitted in record delete work orders of the organization today (GMT).", daily, o.DailyIdentityQuota),
            (WorkOrderStore.MonthlyQuotaName, "Identities submitted in record delete work orders of the organization this calendar month (GMT).", monthly, o.MonthlyIdentityQuota),
            (WorkOrderStore.DatasetExpirationQuotaName, "Dataset expirations active at the same time in the organization (not emulated; always 0 consumed).", 0, DatasetExpirationQuota),
        };

        return JsonResponse.WriteAsync(ctx, 200, JsonResponse.Json, (quotas, quotaType), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteStartArray("quotas");
            foreach (var quota in s.quotas)
            {
                if (s.quotaType != null && s.quotaType != quota.Name)
                {
                    continue;
                }

                w.WriteStartObject();
                w.WriteString("name", quota.Name);
                w.WriteString("description", quota.Description);
                w.WriteNumber("consumed", quota.Consumed);
                w.WriteNumber("quota", quota.Quota);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    internal static void WriteWorkOrder(Utf8JsonWriter w, WorkOrder wo, WorkOrderObservation obs, bool details)
    {
        w.WriteStartObject();
        w.WriteString("workorderId", wo.WorkorderId);
        w.WriteString("orgId", wo.OrgId);
        w.WriteString("bundleId", wo.BundleId);
        w.WriteString("action", "identity-delete");
        Timestamps.WriteIsoMillis(w, "createdAt", wo.CreatedAt);
        Timestamps.WriteIsoMillis(w, "updatedAt", wo.UpdatedAt(obs));
        w.WriteNumber("operationCount", wo.OperationCount);
        w.WriteStartArray("targetServices");
        foreach (string service in WorkOrder.TargetServices)
        {
            w.WriteStringValue(service);
        }

        w.WriteEndArray();
        w.WriteString("status", obs.Status);
        w.WriteString("createdBy", wo.CreatedBy);
        w.WriteString("datasetId", wo.DatasetId);
        w.WriteString("datasetName", wo.DatasetName);
        w.WriteString("displayName", wo.DisplayName);
        if (wo.Description == null)
        {
            w.WriteNull("description");
        }
        else
        {
            w.WriteString("description", wo.Description);
        }

        if (details)
        {
            WriteProductStatus(w, wo, obs);
        }

        w.WriteEndObject();
    }

    /// <summary>
    /// Per-product progress: every product "waiting" until ingested; then Data Management and Identity Service
    /// "success"; at the end Profile Service "success" (or "failed" for a failing identity).
    /// </summary>
    private static void WriteProductStatus(Utf8JsonWriter w, WorkOrder wo, WorkOrderObservation obs)
    {
        bool ingested = obs.Phase >= WorkOrderPhase.Ingested;
        bool final = obs.Phase >= WorkOrderPhase.Completed;
        DateTime ingestedAt = wo.PhaseStart(3);
        w.WriteStartArray("productStatusDetails");
        Product(w, "Data Management", ingested ? "success" : "waiting", ingested ? ingestedAt : wo.CreatedAt);
        Product(w, "Identity Service", ingested ? "success" : "waiting", ingested ? ingestedAt : wo.CreatedAt);
        Product(w, "Profile Service", !final ? "waiting" : obs.Phase == WorkOrderPhase.Failed ? "failed" : "success", final ? obs.PhaseAt : wo.CreatedAt);
        w.WriteEndArray();
    }

    private static void Product(Utf8JsonWriter w, string name, string status, DateTime at)
    {
        w.WriteStartObject();
        w.WriteString("productName", name);
        w.WriteString("productStatus", status);
        Timestamps.WriteIso(w, "createdAt", at);
        w.WriteEndObject();
    }

    private static bool Contains(string? haystack, string needle) =>
        haystack != null && haystack.Contains(needle, StringComparison.OrdinalIgnoreCase);

    private static bool TryDate(string raw, bool endOfDay, out DateTime value)
    {
        raw = raw.Trim();
        if (DateTime.TryParseExact(raw, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value))
        {
            value = DateTime.SpecifyKind(value, DateTimeKind.Utc);
            if (endOfDay)
            {
                value = value.AddDays(1).AddTicks(-1);
            }

            return true;
        }

        if (DateTime.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value))
        {
            value = DateTime.SpecifyKind(value, DateTimeKind.Utc);
            return true;
        }

        return false;
    }

    private static string? Get(IQueryCollection q, string name)
    {
        StringValues v = q[name];
        return StringValues.IsNullOrEmpty(v) || string.IsNullOrWhiteSpace(v[0]) ? null : v[0];
    }

    /// <summary>
    /// The request's raw query without the named keys (other parameters keep the caller's encoding), ending with
    /// '&amp;' when not empty.
    /// </summary>
    private static string QueryWithout(HttpRequest request, params string[] skip)
    {
        string raw = request.QueryString.HasValue ? request.QueryString.Value!.TrimStart('?') : string.Empty;
        var sb = new StringBuilder();
        foreach (string part in raw.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = part.IndexOf('=');
            string key = Uri.UnescapeDataString((eq < 0 ? part : part.Substring(0, eq)).Replace('+', ' '));
            if (!skip.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                sb.Append(part).Append('&');
            }
        }

        return sb.ToString();
    }
}
