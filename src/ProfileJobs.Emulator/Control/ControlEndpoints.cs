using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ProfileJobs.Emulator.Datasets;
using ProfileJobs.Emulator.Infrastructure;
using ProfileJobs.Emulator.RequestLogging;
using ProfileJobs.Emulator.SystemJobs;

namespace ProfileJobs.Emulator.Control;

/// <summary>
/// Test-only control API under <c>/__emulator/</c>: no auth, not recorded in the request log, not part of Adobe's
/// contract.
/// </summary>
public static class ControlEndpoints
{
    public const string Prefix = "/__emulator";

    public static bool IsControlPath(PathString path) => path.StartsWithSegments(Prefix, StringComparison.OrdinalIgnoreCase);

    public static void Map(IEndpointRouteBuilder app, EmulatorState state)
    {
        app.MapGet(Prefix + "/health", (RequestDelegate)(ctx => HealthAsync(ctx, state)));
        app.MapGet(Prefix + "/requests", (RequestDelegate)(ctx => RequestsAsync(ctx, state)));
        app.MapPost(Prefix + "/tokens/expire", (RequestDelegate)(ctx => ExpireTokensAsync(ctx, state)));
        app.MapGet(Prefix + "/datasets", (RequestDelegate)(ctx => ListDatasetsAsync(ctx, state)));
        app.MapPost(Prefix + "/datasets", (RequestDelegate)(ctx => UpsertDatasetAsync(ctx, state)));
        app.MapGet(Prefix + "/jobs", (RequestDelegate)(ctx => JobsAsync(ctx, state)));
        app.MapPost(Prefix + "/reset", (RequestDelegate)(ctx => ResetAsync(ctx, state)));
        ServiceControlEndpoints.Map(app, state);
    }

    private static Task HealthAsync(HttpContext ctx, EmulatorState state) =>
        JsonResponse.WriteAsync(ctx, 200, JsonResponse.Json, state, static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("mode", EmulatorOptions.ModeName(s.Options.Mode));
            w.WriteString("status", "ok");
            w.WriteString("orgId", s.Options.OrgId);
            w.WriteString("sandboxName", s.Options.SandboxName);
            w.WriteString("sandboxId", s.Options.SandboxId);
            w.WriteNumber("jobStepMs", s.Options.JobStepMs);
            w.WriteEndObject();
        });

    private static Task RequestsAsync(HttpContext ctx, EmulatorState state)
    {
        long since = 0;
        string? raw = ctx.Request.Query["since"];
        if (!string.IsNullOrEmpty(raw) && !long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out since))
        {
            return Problems.WriteAsync(ctx, 400, Problems.InvalidQuery, "Invalid query parameter", $"since must be an integer, got '{raw}'");
        }

        (long next, RequestLogEntry[] entries) = state.RequestLog.Read(since);
        return JsonResponse.WriteAsync(ctx, 200, JsonResponse.Json, (next, entries), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteNumber("next", s.next);
            w.WriteStartArray("requests");
            foreach (RequestLogEntry e in s.entries)
            {
                w.WriteStartObject();
                w.WriteNumber("seq", e.Seq);
                w.WriteString("method", e.Method);
                w.WriteString("path", e.Path);
                w.WriteString("query", e.Query);
                w.WriteStartObject("headers");
                foreach (KeyValuePair<string, string> h in e.Headers)
                {
                    w.WriteString(h.Key, h.Value);
                }

                w.WriteEndObject();
                if (e.Body == null)
                {
                    w.WriteNull("body");
                }
                else
                {
                    w.WriteString("body", e.Body);
                }

                w.WriteNumber("bodyBytes", e.BodyBytes);
                w.WriteBoolean("bodyTruncated", e.BodyTruncated);
                if (e.ClientSecretSha256 == null)
                {
                    w.WriteNull("clientSecretSha256");
                }
                else
                {
                    w.WriteString("clientSecretSha256", e.ClientSecretSha256);
                }

                w.WriteNumber("status", e.Status);
                w.WriteNumber("durationMs", Math.Round(e.DurationMs, 3));
                if (e.Fault == null)
                {
                    w.WriteNull("fault");
                }
                else
                {
                    w.WriteString("fault", e.Fault);
                }

                if (e.ResponseBytes is long sent)
                {
                    w.WriteNumber("responseBytes", sent);
                }
                else
                {
                    w.WriteNull("responseBytes");
                }

                w.WriteBoolean("aborted", e.Aborted);
                Timestamps.WriteIso(w, "receivedAt", e.ReceivedAt);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static Task ExpireTokensAsync(HttpContext ctx, EmulatorState state)
    {
        int n = state.Tokens.ExpireAll();
        return JsonResponse.WriteAsync(ctx, 200, JsonResponse.Json, n, static (w, count) =>
        {
            w.WriteStartObject();
            w.WriteNumber("expired", count);
            w.WriteEndObject();
        });
    }

    private static Task ListDatasetsAsync(HttpContext ctx, EmulatorState state) =>
        JsonResponse.WriteAsync(ctx, 200, JsonResponse.Json, state.Datasets.All(), static (w, all) =>
        {
            w.WriteStartObject();
            w.WriteStartArray("datasets");
            foreach (DatasetInfo d in all)
            {
                WriteDataset(w, d);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });

    private static async Task UpsertDatasetAsync(HttpContext ctx, EmulatorState state)
    {
        ReadOnlyMemory<byte> body = await RequestBodies.ReadAllAsync(ctx.Request).ConfigureAwait(false);
        DatasetInfo? info;
        string error;
        try
        {
            info = ParseDataset(body, out error);
        }
        catch (JsonException ex)
        {
            info = null;
            error = "Malformed JSON: " + ex.Message;
        }

        if (info == null)
        {
            await Problems.WriteAsync(ctx, 400, Problems.InvalidPayload, "Invalid dataset registration", error).ConfigureAwait(false);
            return;
        }

        state.Datasets.Upsert(info);
        await JsonResponse.WriteAsync(ctx, 200, JsonResponse.Json, info, static (w, d) => WriteDataset(w, d)).ConfigureAwait(false);
    }

    private static DatasetInfo? ParseDataset(ReadOnlyMemory<byte> body, out string error)
    {
        error = "body must be {\"id\":\"...\",\"behavior\":\"record|timeseries\",\"fail\":false,\"batches\":[...],\"identity\":true,\"name\":\"...\"}";
        if (body.IsEmpty)
        {
            return null;
        }

        using JsonDocument doc = JsonDocument.Parse(body);
        JsonElement root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object ||
            !root.TryGetProperty("id", out JsonElement idEl) || idEl.ValueKind != JsonValueKind.String ||
            string.IsNullOrWhiteSpace(idEl.GetString()))
        {
            return null;
        }

        DatasetBehavior behavior = DatasetBehavior.TimeSeries;
        if (root.TryGetProperty("behavior", out JsonElement b) && b.ValueKind != JsonValueKind.Null)
        {
            string? value = b.ValueKind == JsonValueKind.String ? b.GetString()?.Trim().ToLowerInvariant() : null;
            switch (value)
            {
                case "record": behavior = DatasetBehavior.Record; break;
                case "timeseries":
                case "time-series": behavior = DatasetBehavior.TimeSeries; break;
                default:
                    error = "behavior must be \"record\" or \"timeseries\"";
                    return null;
            }
        }

        bool fail = false;
        if (root.TryGetProperty("fail", out JsonElement f) && f.ValueKind != JsonValueKind.Null)
        {
            if (f.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                error = "fail must be a boolean";
                return null;
            }

            fail = f.GetBoolean();
        }

        var batches = new List<string>();
        if (root.TryGetProperty("batches", out JsonElement arr) && arr.ValueKind != JsonValueKind.Null)
        {
            if (arr.ValueKind != JsonValueKind.Array)
            {
                error = "batches must be an array of strings";
                return null;
            }

            foreach (JsonElement item in arr.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString()))
                {
                    error = "batches must be an array of non-empty strings";
                    return null;
                }

                batches.Add(item.GetString()!);
            }
        }

        bool identity = true;
        if (root.TryGetProperty("identity", out JsonElement idFlag) && idFlag.ValueKind != JsonValueKind.Null)
        {
            if (idFlag.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                error = "identity must be a boolean";
                return null;
            }

            identity = idFlag.GetBoolean();
        }

        string? name = null;
        if (root.TryGetProperty("name", out JsonElement nameEl) && nameEl.ValueKind != JsonValueKind.Null)
        {
            if (nameEl.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(nameEl.GetString()))
            {
                error = "name must be a non-empty string";
                return null;
            }

            name = nameEl.GetString()!.Trim();
        }

        return new DatasetInfo(idEl.GetString()!.Trim(), behavior, fail, batches, identity, name);
    }

    private static void WriteDataset(Utf8JsonWriter w, DatasetInfo d)
    {
        w.WriteStartObject();
        w.WriteString("id", d.Id);
        w.WriteString("behavior", d.Behavior == DatasetBehavior.Record ? "record" : "timeseries");
        w.WriteBoolean("fail", d.Fail);
        w.WriteStartArray("batches");
        foreach (string batch in d.Batches)
        {
            w.WriteStringValue(batch);
        }

        w.WriteEndArray();
        w.WriteBoolean("identity", d.HasIdentity);
        if (d.Name == null)
        {
            w.WriteNull("name");
        }
        else
        {
            w.WriteString("name", d.Name);
        }

        w.WriteEndObject();
    }

    private static Task JobsAsync(HttpContext ctx, EmulatorState state)
    {
        IReadOnlyList<SystemJob> jobs = state.SystemJobs.AllJobs();
        return JsonResponse.WriteAsync(ctx, 200, JsonResponse.Json, (state, jobs, state.UtcNow), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteNumber("count", s.jobs.Count);
            w.WriteStartArray("jobs");
            foreach (SystemJob job in s.jobs)
            {
                JobObservation obs = job.Observe(s.Item3);
                w.WriteStartObject();
                w.WriteString("id", job.Id);
                w.WriteString("type", GenBcJobWriter.TypeName(job.Type));
                w.WriteString("status", s.state.SystemJobRenderer.Status(obs.Phase));
                w.WriteBoolean("final", obs.IsFinal);
                w.WriteString("datasetId", job.DatasetId);
                w.WriteString("batchId", job.BatchId);
                w.WriteString("orgId", job.OrgId);
                w.WriteString("sandboxName", job.Sandbox.Name);
                w.WriteString("sandboxId", job.Sandbox.Id);
                Timestamps.WriteIso(w, "createdAt", job.CreatedAt);
                Timestamps.WriteIso(w, "updatedAt", obs.UpdatedAt);
                w.WriteBoolean("deleted", job.Deleted);
                w.WriteBoolean("seeded", job.Seeded);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static Task ResetAsync(HttpContext ctx, EmulatorState state)
    {
        state.Reset();
        return JsonResponse.WriteAsync(ctx, 200, JsonResponse.Json, state.Options.SeedJobs, static (w, n) =>
        {
            w.WriteStartObject();
            w.WriteBoolean("reset", true);
            w.WriteNumber("seededJobs", n);
            w.WriteEndObject();
        });
    }
}
