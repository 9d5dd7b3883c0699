using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ProfileJobs.Emulator.Faults;
using ProfileJobs.Emulator.Hygiene;
using ProfileJobs.Emulator.Infrastructure;
using ProfileJobs.Emulator.Privacy;

namespace ProfileJobs.Emulator.Control;

/// <summary>Control routes for the privacy, hygiene and fault-injection additions (test-only, no auth, not logged).</summary>
internal static class ServiceControlEndpoints
{
    public static void Map(IEndpointRouteBuilder app, EmulatorState state)
    {
        const string prefix = ControlEndpoints.Prefix;
        app.MapGet(prefix + "/privacy-jobs", (RequestDelegate)(ctx => PrivacyJobsAsync(ctx, state)));
        app.MapGet(prefix + "/workorders", (RequestDelegate)(ctx => WorkOrdersAsync(ctx, state)));
        app.MapGet(prefix + "/faults", (RequestDelegate)(ctx => WriteFaultsAsync(ctx, state.Faults.Rules)));
        app.MapPost(prefix + "/faults", (RequestDelegate)(ctx => ReplaceFaultsAsync(ctx, state)));
        app.MapDelete(prefix + "/faults", (RequestDelegate)(ctx =>
        {
            int n = state.Faults.Clear();
            return JsonResponse.WriteAsync(ctx, 200, JsonResponse.Json, n, static (w, count) =>
            {
                w.WriteStartObject();
                w.WriteNumber("cleared", count);
                w.WriteEndObject();
            });
        }));
    }

    private static Task PrivacyJobsAsync(HttpContext ctx, EmulatorState state)
    {
        PrivacyJob[] jobs = state.PrivacyJobs.All();
        return JsonResponse.WriteAsync(ctx, 200, JsonResponse.Json, (jobs, state.UtcNow), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteNumber("count", s.jobs.Length);
            w.WriteStartArray("jobs");
            foreach (PrivacyJob job in s.jobs)
            {
                w.WriteStartObject();
                w.WriteString("jobId", job.JobId);
                w.WriteString("requestId", job.RequestId);
                w.WriteString("orgId", job.OrgId);
                WriteNullable(w, "userKey", job.UserKey);
                w.WriteString("action", job.Action);
                w.WriteString("mode", job.IsHygieneBeta ? "hygiene-beta" : "privacy");
                WriteNullable(w, "regulation", job.Regulation);
                w.WriteStartArray("products");
                foreach (string p in job.Products)
                {
                    w.WriteStringValue(p);
                }

                w.WriteEndArray();
                w.WriteString("status", job.Observe(s.Item2).Status);
                w.WriteNumber("identityCount", job.UserIds.Count);
                w.WriteStartArray("namespaces");
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (PrivacyIdentity id in job.UserIds)
                {
                    if (seen.Add(id.Namespace))
                    {
                        w.WriteStringValue(id.Namespace);
                    }
                }

                w.WriteEndArray();
                PrivacyEndpoints.WriteIdentities(w, "userIds", job.UserIds);
                w.WriteString("submittedBy", job.SubmittedBy);
                Timestamps.WriteIso(w, "createdAt", job.CreatedAt);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static Task WorkOrdersAsync(HttpContext ctx, EmulatorState state)
    {
        WorkOrder[] orders = state.WorkOrders.All();
        bool withIds = !string.Equals(ctx.Request.Query["identities"], "false", StringComparison.OrdinalIgnoreCase);
        return JsonResponse.WriteAsync(ctx, 200, JsonResponse.Json, (orders, state.UtcNow, withIds), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteNumber("count", s.orders.Length);
            w.WriteStartArray("workorders");
            foreach (WorkOrder wo in s.orders)
            {
                WorkOrderObservation obs = wo.Observe(s.UtcNow);
                w.WriteStartObject();
                w.WriteString("workorderId", wo.WorkorderId);
                w.WriteString("bundleId", wo.BundleId);
                w.WriteString("orgId", wo.OrgId);
                w.WriteString("sandboxName", wo.Sandbox.Name);
                w.WriteString("datasetId", wo.DatasetId);
                w.WriteString("datasetName", wo.DatasetName);
                w.WriteString("displayName", wo.DisplayName);
                w.WriteString("status", obs.Status);
                w.WriteNumber("identityCount", wo.OperationCount);
                w.WriteStartArray("namespaces");
                foreach (NamespaceIdentities g in wo.Identities)
                {
                    w.WriteStringValue(g.Namespace);
                }

                w.WriteEndArray();
                if (s.withIds)
                {
                    w.WriteStartArray("identities");
                    foreach (NamespaceIdentities g in wo.Identities)
                    {
                        w.WriteStartObject();
                        w.WriteString("namespace", g.Namespace);
                        w.WriteStartArray("ids");
                        foreach (string id in g.Ids)
                        {
                            w.WriteStringValue(id);
                        }

                        w.WriteEndArray();
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                }

                Timestamps.WriteIsoMillis(w, "createdAt", wo.CreatedAt);
                Timestamps.WriteIsoMillis(w, "updatedAt", wo.UpdatedAt(obs));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static async Task ReplaceFaultsAsync(HttpContext ctx, EmulatorState state)
    {
        ReadOnlyMemory<byte> body = await RequestBodies.ReadAllAsync(ctx.Request).ConfigureAwait(false);
        if (!FaultRuleParser.TryParse(body, out List<FaultRule> rules, out string error))
        {
            await Problems.WriteAsync(ctx, 400, Problems.InvalidPayload, "Invalid fault rules", error).ConfigureAwait(false);
            return;
        }

        state.Faults.Replace(rules);
        await WriteFaultsAsync(ctx, state.Faults.Rules).ConfigureAwait(false);
    }

    private static Task WriteFaultsAsync(HttpContext ctx, ActiveFault[] rules) =>
        JsonResponse.WriteAsync(ctx, 200, JsonResponse.Json, rules, static (w, all) =>
        {
            w.WriteStartObject();
            w.WriteStartArray("faults");
            foreach (ActiveFault f in all)
            {
                FaultRule r = f.Rule;
                w.WriteStartObject();
                w.WriteNumber("index", f.Index);
                w.WriteString("method", r.Method);
                w.WriteString("path", r.Path);
                w.WriteString("fault", FaultRule.KindName(r.Kind));
                WriteNullableNumber(w, "status", r.Kind is FaultKind.Status or FaultKind.Redirect ? r.Status : null);
                WriteNullable(w, "retryAfter", r.RetryAfter);
                WriteNullableNumber(w, "retryAfterMs", r.RetryAfterMs);
                WriteNullableNumber(w, "delayMs", r.Kind is FaultKind.Slow or FaultKind.Drip ? r.DelayMs : null);
                WriteNullable(w, "location", r.Location);
                if (r.Kind == FaultKind.Redirect)
                {
                    w.WriteBoolean("appendPath", r.AppendPath);
                }
                else
                {
                    w.WriteNull("appendPath");
                }

                WriteNullable(w, "content", r.Kind == FaultKind.NextEndless ? (r.NewContent ? "new" : "same") : null);
                WriteNullableNumber(w, "maxPageSize", r.Kind == FaultKind.PageCap ? r.MaxPageSize : null);
                WriteNullableNumber(w, "bytes", r.Bytes);
                WriteNullableNumber(w, "keep", r.Kind == FaultKind.ShortAck ? r.Keep : null);
                WriteNullable(w, "process", r.Kind == FaultKind.ShortAck ? FaultRule.ProcessName(r.Process) : null);
                w.WriteNumber("probability", r.Probability);
                WriteNullableNumber(w, "count", r.Count);
                w.WriteNumber("skip", r.Skip);
                w.WriteNumber("matched", f.Matched);
                w.WriteNumber("fired", f.Fired);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });

    private static void WriteNullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value == null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private static void WriteNullableNumber(Utf8JsonWriter w, string name, long? value)
    {
        if (value is long v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
