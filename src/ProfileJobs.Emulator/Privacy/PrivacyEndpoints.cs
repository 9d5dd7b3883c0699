using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ProfileJobs.Emulator.Faults;
using ProfileJobs.Emulator.Gateway;
using ProfileJobs.Emulator.Infrastructure;

namespace ProfileJobs.Emulator.Privacy;

/// <summary>
/// <c>/data/core/privacy/jobs</c> (aep-api.md 1.3, 5.5): Privacy Service access/delete jobs and the hidden
/// hygiene-beta record delete (DOC-HBETA). Org-scoped: no sandbox header is needed, and one that is sent is ignored.
/// </summary>
public static class PrivacyEndpoints
{
    public const string Root = "/data/core/privacy";
    public const string Jobs = Root + "/jobs";
    public const string DownloadPrefix = "/__emulator/privacy-downloads";

    /// <summary>Job data is kept for 30 days after completion (DOC-PJ).</summary>
    private static readonly TimeSpan Retention = TimeSpan.FromDays(30);

    /// <summary>An empty ZIP archive (end-of-central-directory record only), served for access-job downloads.</summary>
    private static readonly byte[] EmptyZip = { 0x50, 0x4B, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };

    public static void Map(IEndpointRouteBuilder app, EmulatorState state)
    {
        app.MapPost(Jobs, (RequestDelegate)(ctx => CreateAsync(ctx, state)));
        app.MapGet(Jobs, (RequestDelegate)(ctx => ListAsync(ctx, state)));
        app.MapGet(Jobs + "/{jobId}", (RequestDelegate)(ctx => GetAsync(ctx, state)));
        app.MapMethods(Jobs, new[] { "PUT", "PATCH", "DELETE" }, (RequestDelegate)(ctx => MethodNotAllowed(ctx, "GET, POST")));
        app.MapMethods(Jobs + "/{jobId}", new[] { "PUT", "PATCH", "POST", "DELETE" }, (RequestDelegate)(ctx => MethodNotAllowed(ctx, "GET")));
        app.MapGet(DownloadPrefix + "/{file}", (RequestDelegate)(ctx =>
            JsonResponse.WriteBytesAsync(ctx, 200, "application/zip", EmptyZip)));
    }

    internal static Task MethodNotAllowed(HttpContext ctx, string allow)
    {
        ctx.Response.Headers.Allow = allow;
        return Problems.WriteAsync(
            ctx, 405, Problems.MethodNotAllowed, "Method Not Allowed", $"{ctx.Request.Method} is not supported on {ctx.Request.Path}; allowed: {allow}.");
    }

    private static async Task CreateAsync(HttpContext ctx, EmulatorState state)
    {
        CallerIdentity caller = CallerIdentity.Get(ctx);
        ReadOnlyMemory<byte> body = await RequestBodies.ReadAllAsync(ctx.Request).ConfigureAwait(false);
        var errors = new ErrorList();
        PrivacyCreateRequest? request = PrivacyRequestParser.Parse(body, caller.OrgId, state.Options.PrivacyMaxUsers, errors);
        if (request == null)
        {
            await PrivacyErrors.WriteAsync(ctx, 400, "1000-400", errors.Messages, errors.Total).ConfigureAwait(false);
            return;
        }

        DateTime now = Timestamps.TruncateToMicros(state.UtcNow);
        string requestId = state.PrivacyJobs.NextRequestId(now);
        string submittedBy = caller.ClientId + "@techacct.adobe.com";
        var jobs = new List<PrivacyJob>();
        foreach (PrivacyUserRequest user in request.Users)
        {
            string? failing = null;
            foreach (PrivacyIdentity id in user.UserIds)
            {
                if (state.FailIdentities.Contains(id.Value))
                {
                    failing = id.Value;
                    break;
                }
            }

            foreach (string action in user.Actions)
            {
                jobs.Add(new PrivacyJob
                {
                    JobId = Ids.Uuid(),
                    RequestId = requestId,
                    OrgId = caller.OrgId,
                    UserKey = user.Key,
                    Action = action,
                    Regulation = request.Regulation,
                    Products = request.Products,
                    UserIds = user.UserIds,
                    SubmittedBy = submittedBy,
                    CreatedAt = now,
                    StepMs = state.Options.JobStepMs,
                    FailingValue = failing,
                });
            }
        }

        // A short-ack fault answers with fewer jobs than were made, and stores all, the listed or none of them.
        List<PrivacyJob> answered = jobs;
        if (FaultMark.For(ctx, FaultTarget.PrivacyCreate) is FaultRule shortAck)
        {
            answered = jobs.GetRange(0, Math.Min(shortAck.Keep, jobs.Count));
            jobs = shortAck.Process switch
            {
                ShortAckProcessing.All => jobs,
                ShortAckProcessing.Listed => answered,
                _ => new List<PrivacyJob>(),
            };
        }

        state.PrivacyJobs.AddRange(jobs);
        await JsonResponse.WriteAsync(ctx, 202, JsonResponse.Json, (requestId, request.Users.Count, jobs: answered), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("requestId", s.requestId);
            w.WriteNumber("totalRecords", s.Count);
            w.WriteStartArray("jobs");
            foreach (PrivacyJob job in s.jobs)
            {
                w.WriteStartObject();
                w.WriteString("jobId", job.JobId);
                w.WriteStartObject("customer");
                w.WriteStartObject("user");
                if (job.UserKey != null)
                {
                    w.WriteString("key", job.UserKey);
                }

                w.WriteStartArray("action");
                w.WriteStringValue(job.Action);
                w.WriteEndArray();
                WriteIdentities(w, "userIDs", job.UserIds);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private static Task GetAsync(HttpContext ctx, EmulatorState state)
    {
        string jobId = (string)ctx.Request.RouteValues["jobId"]!;
        DateTime now = state.UtcNow;
        PrivacyJob? job = state.PrivacyJobs.Find(CallerIdentity.Get(ctx).OrgId, jobId);
        if (job == null || now - job.FinalAt > Retention)
        {
            return PrivacyErrors.WriteAsync(ctx, 404, "1000-404", $"No privacy job '{jobId}' exists in this organization (or its data is older than 30 days after completion).");
        }

        string baseUrl = ctx.Request.Scheme + "://" + ctx.Request.Host.Value;
        return JsonResponse.WriteAsync(ctx, 200, JsonResponse.Json, (job, now, baseUrl), static (w, s) => WriteDetail(w, s.job, s.now, s.baseUrl));
    }

    private static Task ListAsync(HttpContext ctx, EmulatorState state)
    {
        IQueryCollection q = ctx.Request.Query;
        DateTime now = state.UtcNow;
        var errors = new List<string>();

        string? regulation = First(q, "regulation")?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(regulation))
        {
            errors.Add("regulation is required (for example regulation=gdpr; regulation=hygiene lists record deletes sent without include/regulation).");
        }
        else if (regulation != PrivacyCatalog.HygieneRegulation && !PrivacyCatalog.Regulations.Contains(regulation))
        {
            errors.Add($"regulation '{regulation}' is not a supported regulation.");
        }

        int page = ParseInt(q, "page", 0, 0, int.MaxValue, errors);
        int maxSize = state.Options.PrivacyMaxPageSize;
        int size = ParseInt(q, "size", Math.Min(100, maxSize), 1, maxSize, errors);

        HashSet<string>? statuses = null;
        string? statusRaw = First(q, "status");
        if (!string.IsNullOrWhiteSpace(statusRaw))
        {
            statuses = new HashSet<string>(StringComparer.Ordinal);
            foreach (string part in statusRaw.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                string v = part.ToLowerInvariant();
                if (v is "submitted" or "processing" or "complete" or "error")
                {
                    statuses.Add(v);
                }
                else
                {
                    errors.Add($"status '{part}' is not one of submitted, processing, complete, error.");
                }
            }
        }

        (DateTime from, DateTime to) = DateWindow(q, now, errors);
        if (errors.Count > 0)
        {
            return PrivacyErrors.WriteAsync(ctx, 400, "1000-400", errors);
        }

        List<PrivacyJob> matches = state.PrivacyJobs.Select(CallerIdentity.Get(ctx).OrgId, job =>
            job.ListRegulation == regulation &&
            job.CreatedAt >= from && job.CreatedAt < to &&
            now - job.FinalAt <= Retention &&
            (statuses == null || statuses.Contains(job.Observe(now).Status)));

        // Newest first; within one request, in submission order (OrderByDescending is stable).
        matches = matches.OrderByDescending(static j => j.CreatedAt).ToList();
        FaultRule? paging = FaultPaging.Rule(ctx);
        size = FaultPaging.EffectiveSize(paging, size);
        long claimedTotal = matches.Count;
        if (FaultPaging.Synthesizes(paging))
        {
            List<PrivacyJob> head = matches.GetRange(0, Math.Min(matches.Count, FaultPaging.HeadSize(size)));
            CallerIdentity caller = CallerIdentity.Get(ctx);
            string? listed = regulation == PrivacyCatalog.HygieneRegulation ? null : regulation;
            SynthesizedPage<PrivacyJob> made = FaultPaging.Synthesize(paging!, page, size, head, matches.Count, (p, i) => Fabricate(caller, listed, now, p, i));
            (matches, page, size, claimedTotal) = (made.Items, 0, made.Size, made.ClaimedTotal);
        }

        long start = (long)page * size;
        int skip = (int)Math.Min(start, matches.Count);
        int take = Math.Min(size, matches.Count - skip);
        return JsonResponse.WriteAsync(ctx, 200, JsonResponse.Json, (matches, skip, take, now, claimedTotal), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteNumber("totalRecords", s.claimedTotal);
            w.WriteStartArray("jobDetails");
            for (int i = s.skip; i < s.skip + s.take; i++)
            {
                PrivacyJob job = s.matches[i];
                w.WriteStartObject();
                WriteSummary(w, job, job.Observe(s.now));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary>A made-up job for the pages of an endless or alternating list (fault injection); never stored.</summary>
    private static PrivacyJob Fabricate(CallerIdentity caller, string? regulation, DateTime now, long page, int index) => new()
    {
        JobId = Ids.DeterministicUuid($"fabricated-privacy-job:{page}:{index}"),
        RequestId = (page % 10_000_000_000_000).ToString("D13", CultureInfo.InvariantCulture) + (index % 10_000).ToString("D4", CultureInfo.InvariantCulture) + "RX-000",
        OrgId = caller.OrgId,
        UserKey = $"fabricated-{page}-{index}",
        Action = "delete",
        Regulation = regulation,
        Products = Array.Empty<string>(),
        UserIds = Array.Empty<PrivacyIdentity>(),
        SubmittedBy = caller.ClientId + "@techacct.adobe.com",
        CreatedAt = Timestamps.TruncateToMicros(now),
    };

    /// <summary>[from, to) in UTC: fromDate/toDate (both or neither, ≤30 days apart, ≤45 days back), filterDate, or the last 7 days.</summary>
    private static (DateTime From, DateTime To) DateWindow(IQueryCollection q, DateTime now, List<string> errors)
    {
        DateTime today = now.Date;
        DateTime oldest = today.AddDays(-45);
        string? fromRaw = First(q, "fromDate");
        string? toRaw = First(q, "toDate");
        string? filterRaw = First(q, "filterDate");
        bool hasFrom = !string.IsNullOrWhiteSpace(fromRaw);
        bool hasTo = !string.IsNullOrWhiteSpace(toRaw);
        if (hasFrom != hasTo)
        {
            errors.Add("fromDate and toDate must be given together.");
            return default;
        }

        if (hasFrom)
        {
            if (!string.IsNullOrWhiteSpace(filterRaw))
            {
                errors.Add("filterDate cannot be combined with fromDate/toDate.");
                return default;
            }

            bool ok = TryDate(fromRaw!, "fromDate", errors, out DateTime from) & TryDate(toRaw!, "toDate", errors, out DateTime to);
            if (!ok)
            {
                return default;
            }

            if (to < from)
            {
                errors.Add("toDate is before fromDate.");
            }
            else if ((to - from).TotalDays > 30)
            {
                errors.Add("fromDate and toDate may be at most 30 days apart.");
            }
            else if (from < oldest)
            {
                errors.Add($"fromDate may look back at most 45 days (earliest {oldest:yyyy-MM-dd}).");
            }

            return (from, to.AddDays(1));
        }

        if (!string.IsNullOrWhiteSpace(filterRaw))
        {
            if (!TryDate(filterRaw, "filterDate", errors, out DateTime day))
            {
                return default;
            }

            if (day < oldest)
            {
                errors.Add($"filterDate may look back at most 45 days (earliest {oldest:yyyy-MM-dd}).");
            }

            return (day, day.AddDays(1));
        }

        return (now.AddDays(-7), DateTime.MaxValue);
    }

    private static bool TryDate(string raw, string name, List<string> errors, out DateTime value)
    {
        if (DateTime.TryParseExact(raw.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out value))
        {
            value = DateTime.SpecifyKind(value, DateTimeKind.Utc);
            return true;
        }

        errors.Add($"{name} '{raw}' must be a date in the form YYYY-MM-DD (GMT).");
        return false;
    }

    private static int ParseInt(IQueryCollection q, string name, int fallback, int min, int max, List<string> errors)
    {
        string? raw = First(q, name);
        if (string.IsNullOrWhiteSpace(raw))
        {
            return fallback;
        }

        if (!int.TryParse(raw.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int v) || v < min || v > max)
        {
            errors.Add($"{name} must be an integer between {min} and {max}, got '{raw}'.");
            return fallback;
        }

        return v;
    }

    private static string? First(IQueryCollection q, string name)
    {
        string? v = q[name];
        return v;
    }

    private static void WriteSummary(Utf8JsonWriter w, PrivacyJob job, PrivacyObservation obs)
    {
        w.WriteString("jobId", job.JobId);
        w.WriteString("requestId", job.RequestId);
        if (job.UserKey == null)
        {
            w.WriteNull("userKey");
        }
        else
        {
            w.WriteString("userKey", job.UserKey);
        }

        w.WriteString("action", job.Action);
        w.WriteString("status", obs.Status);
        w.WriteString("submittedBy", job.SubmittedBy);
        Timestamps.WritePrivacyDate(w, "createdDate", job.CreatedAt);
        Timestamps.WritePrivacyDate(w, "lastModifiedDate", obs.LastModified);
    }

    private static void WriteDetail(Utf8JsonWriter w, PrivacyJob job, DateTime now, string baseUrl)
    {
        PrivacyObservation obs = job.Observe(now);
        w.WriteStartObject();
        WriteSummary(w, job, obs);
        WriteIdentities(w, "userIds", job.UserIds);
        w.WriteStartArray("productResponses");
        foreach (string product in job.Products)
        {
            w.WriteStartObject();
            w.WriteString("product", product);
            w.WriteNumber("retryCount", 0);
            if (obs.IsFinal)
            {
                Timestamps.WritePrivacyDate(w, "processedDate", obs.LastModified);
            }
            else
            {
                w.WriteNull("processedDate");
            }

            w.WriteStartObject("productStatusResponse");
            switch (obs.Phase)
            {
                case PrivacyPhase.Submitted:
                    w.WriteString("status", "submitted");
                    w.WriteString("message", "Submitted");
                    w.WriteNull("responseMsgCode");
                    w.WriteString("responseMsgDetail", "The job was submitted to the product.");
                    break;
                case PrivacyPhase.Processing:
                    w.WriteString("status", "processing");
                    w.WriteString("message", "Processing");
                    w.WriteNull("responseMsgCode");
                    w.WriteString("responseMsgDetail", "The product acknowledged the job and is processing it.");
                    break;
                case PrivacyPhase.Complete:
                    w.WriteString("status", "complete");
                    w.WriteString("message", "Success");
                    w.WriteString("responseMsgCode", "PRVCY-6000-200");
                    w.WriteString("responseMsgDetail", "Finished successfully.");
                    break;
                default:
                    w.WriteString("status", "error");
                    w.WriteString("message", "Unexpected error");
                    w.WriteString("responseMsgCode", "PRVCY-1024-400");
                    w.WriteString("responseMsgDetail", $"Emulated failure: identity value '{job.FailingValue}' is on the --fail-identity list.");
                    break;
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (job.Action == "access" && obs.Phase == PrivacyPhase.Complete)
        {
            w.WriteString("downloadURL", baseUrl + DownloadPrefix + "/" + job.JobId + ".zip");
        }
        else
        {
            w.WriteNull("downloadURL");
        }

        if (job.Regulation == null)
        {
            w.WriteNull("regulation");
        }
        else
        {
            w.WriteString("regulation", job.Regulation);
        }

        w.WriteEndObject();
    }

    internal static void WriteIdentities(Utf8JsonWriter w, string name, IReadOnlyList<PrivacyIdentity> ids)
    {
        w.WriteStartArray(name);
        foreach (PrivacyIdentity id in ids)
        {
            w.WriteStartObject();
            w.WriteString("namespace", id.Namespace);
            w.WriteString("value", id.Value);
            w.WriteString("type", id.Type);
            if (id.NamespaceId is int nsId)
            {
                w.WriteNumber("namespaceId", nsId);
            }

            w.WriteBoolean("isDeletedClientSide", id.IsDeletedClientSide);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
