using System;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using ProfileJobs.Emulator.Infrastructure;

namespace ProfileJobs.Emulator.SystemJobs;

/// <summary>The record shape shared by Gen B (aws) and Gen C (unified): <c>requestId</c>, <c>requestType</c>, ...</summary>
internal static class GenBcJobWriter
{
    private static readonly JsonEncodedText RequestIdName = JsonEncodedText.Encode("requestId");
    private static readonly JsonEncodedText RequestTypeName = JsonEncodedText.Encode("requestType");
    private static readonly JsonEncodedText ImsOrgIdName = JsonEncodedText.Encode("imsOrgId");
    private static readonly JsonEncodedText SandboxName = JsonEncodedText.Encode("sandbox");
    private static readonly JsonEncodedText SandboxNameName = JsonEncodedText.Encode("sandboxName");
    private static readonly JsonEncodedText SandboxIdName = JsonEncodedText.Encode("sandboxId");
    private static readonly JsonEncodedText StatusName = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText PropertiesName = JsonEncodedText.Encode("properties");
    private static readonly JsonEncodedText BatchIdName = JsonEncodedText.Encode("batchId");
    private static readonly JsonEncodedText DatasetIdName = JsonEncodedText.Encode("datasetId");
    private static readonly JsonEncodedText CreatedAtName = JsonEncodedText.Encode("createdAt");
    private static readonly JsonEncodedText UpdatedAtName = JsonEncodedText.Encode("updatedAt");
    private static readonly JsonEncodedText MetricsName = JsonEncodedText.Encode("metrics");
    private static readonly JsonEncodedText RecordsProcessedName = JsonEncodedText.Encode("recordsProcessed");
    private static readonly JsonEncodedText TimeTakenName = JsonEncodedText.Encode("timeTakenInSec");

    private static readonly JsonEncodedText[] TypeValues =
    {
        JsonEncodedText.Encode("TRUNCATE_DATASET"),
        JsonEncodedText.Encode("DELETE_EE_BATCH"),
        JsonEncodedText.Encode("BACKFILL_TTL"),
    };

    private static readonly JsonEncodedText[] StatusValues =
    {
        JsonEncodedText.Encode("NEW"),
        JsonEncodedText.Encode("IN-PROGRESS"),
        JsonEncodedText.Encode("SUCCESS"),
        JsonEncodedText.Encode("ERROR"),
        JsonEncodedText.Encode("FAILED"),
    };

    public static string Status(JobPhase phase) => StatusValues[(int)phase].ToString();

    public static string TypeName(SystemJobType type) => TypeValues[(int)type].ToString();

    public static void WriteJob(Utf8JsonWriter w, SystemJob job, DateTime now)
    {
        JobObservation obs = job.Observe(now);
        w.WriteStartObject();
        w.WriteString(RequestIdName, job.Id);
        w.WriteString(RequestTypeName, TypeValues[(int)job.Type]);
        w.WriteString(ImsOrgIdName, job.OrgId);
        w.WriteStartObject(SandboxName);
        w.WriteString(SandboxNameName, job.Sandbox.Name);
        w.WriteString(SandboxIdName, job.Sandbox.Id);
        w.WriteEndObject();
        w.WriteString(StatusName, StatusValues[(int)obs.Phase]);
        w.WriteStartObject(PropertiesName);
        if (job.BatchId != null)
        {
            w.WriteString(BatchIdName, job.BatchId);
        }

        if (job.DatasetId != null)
        {
            w.WriteString(DatasetIdName, job.DatasetId);
        }

        w.WriteEndObject();
        Timestamps.WriteIso(w, CreatedAtName, job.CreatedAt);
        Timestamps.WriteIso(w, UpdatedAtName, obs.UpdatedAt);
        if (obs.IsFinal)
        {
            // Emulator-chosen: Gen B/C samples show no metrics; they are added once a job is final.
            w.WriteStartObject(MetricsName);
            w.WriteNumber(RecordsProcessedName, obs.RecordsProcessed);
            w.WriteNumber(TimeTakenName, obs.TimeTakenSec);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    /// <summary>DOC-SJ-U2 body for a batch delete on a record dataset (used in aws and unified modes).</summary>
    public static Task WriteRecordBatchErrorAsync(HttpContext ctx) =>
        JsonResponse.WriteAsync(ctx, 422, JsonResponse.ProblemJson, RequestIds.Get(ctx), static (w, requestId) =>
        {
            w.WriteStartObject();
            w.WriteString("type", Problems.RecordBatchUnified);
            w.WriteString("title", "Invalid system job payload.");
            w.WriteNumber("status", 422);
            w.WriteString("requestId", requestId);
            w.WriteEndObject();
        });
}
