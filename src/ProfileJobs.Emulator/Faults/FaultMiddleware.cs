using System;
using System.Globalization;
using System.IO;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using ProfileJobs.Emulator.Infrastructure;
using ProfileJobs.Emulator.Privacy;

namespace ProfileJobs.Emulator.Faults;

/// <summary>
/// Applies fault-injection rules to <c>/data</c> and <c>/ims</c> requests (never to <c>/__emulator</c>). Runs after
/// the request log (which records what happened) and before the gateway checks. With no rules it costs one volatile
/// read per request.
/// </summary>
public sealed class FaultMiddleware
{
    private static readonly byte[] MalformedFallback = "{\""u8.ToArray();

    private readonly RequestDelegate _next;
    private readonly FaultSet _faults;

    public FaultMiddleware(RequestDelegate next, EmulatorState state)
    {
        _next = next;
        _faults = state.Faults;
    }

    public Task InvokeAsync(HttpContext ctx)
    {
        ActiveFault[] rules = _faults.Rules;
        if (rules.Length == 0)
        {
            return _next(ctx);
        }

        PathString path = ctx.Request.Path;
        if (!path.StartsWithSegments("/data", StringComparison.OrdinalIgnoreCase) &&
            !path.StartsWithSegments("/ims", StringComparison.OrdinalIgnoreCase))
        {
            return _next(ctx);
        }

        ActiveFault? fault = _faults.Evaluate(rules, ctx.Request.Method, path.Value ?? "/");
        return fault == null ? _next(ctx) : ApplyAsync(ctx, fault);
    }

    private async Task ApplyAsync(HttpContext ctx, ActiveFault fault)
    {
        FaultRule rule = fault.Rule;
        var mark = new FaultMark(rule.Kind);
        ctx.Features.Set(mark);
        switch (rule.Kind)
        {
            case FaultKind.Status:
                await WriteStatusAsync(ctx, fault).ConfigureAwait(false);
                return;

            case FaultKind.Slow:
                // Cancellation-aware: if the client goes away the delay throws and the request is not processed.
                await Task.Delay(rule.DelayMs, ctx.RequestAborted).ConfigureAwait(false);
                await _next(ctx).ConfigureAwait(false);
                return;

            case FaultKind.DropBefore:
                mark.Dropped = true;
                ctx.Abort();
                return;

            case FaultKind.DropAfter:
            {
                await RunBufferedAsync(ctx).ConfigureAwait(false);
                mark.Dropped = true;
                ctx.Abort();
                return;
            }

            default:
            {
                byte[] body = await RunBufferedAsync(ctx).ConfigureAwait(false);
                ReadOnlyMemory<byte> truncated = body.Length >= 2 ? body.AsMemory(0, body.Length / 2) : MalformedFallback;
                await JsonResponse.WriteBytesAsync(ctx, 200, JsonResponse.Json, truncated).ConfigureAwait(false);
                return;
            }
        }
    }

    /// <summary>Runs the real handler with the response body captured, so nothing reaches the client yet.</summary>
    private async Task<byte[]> RunBufferedAsync(HttpContext ctx)
    {
        Stream original = ctx.Response.Body;
        using var buffer = new MemoryStream();
        ctx.Response.Body = buffer;
        try
        {
            await _next(ctx).ConfigureAwait(false);
        }
        finally
        {
            ctx.Response.Body = original;
        }

        return buffer.ToArray();
    }

    private static Task WriteStatusAsync(HttpContext ctx, ActiveFault fault)
    {
        FaultRule rule = fault.Rule;
        int status = rule.Status;
        if (rule.RetryAfter != null)
        {
            ctx.Response.Headers.RetryAfter = rule.RetryAfter;
        }

        string reason = ReasonPhrases.GetReasonPhrase(status);
        if (string.IsNullOrEmpty(reason))
        {
            reason = "Error";
        }

        string cause = $"Injected fault (rule {fault.Index}) on {ctx.Request.Method} {ctx.Request.Path}";
        if (rule.RetryAfterMs is long retryAfterMs)
        {
            // Profile-style throttling body (aep-api.md 1.4 / 5.1): every value is a string.
            string message = status == 429 ? "Too many requests" : reason;
            return JsonResponse.WriteAsync(ctx, status, JsonResponse.Json, (message, cause, retryAfterMs, status), static (w, s) =>
            {
                w.WriteStartObject();
                w.WriteString("message", s.message);
                w.WriteString("cause", s.cause);
                w.WriteString("retryAfterMs", s.retryAfterMs.ToString(CultureInfo.InvariantCulture));
                w.WriteString("statusCode", s.status.ToString(CultureInfo.InvariantCulture));
                w.WriteEndObject();
            });
        }

        if (status == 400 && ctx.Request.Path.StartsWithSegments(PrivacyEndpoints.Root, StringComparison.OrdinalIgnoreCase))
        {
            // Privacy Service signals its rate limit as HTTP 400 with code 1030-400 (DOC-PERR, aep-api.md 1.3).
            return PrivacyErrors.WriteAsync(ctx, 400, "1030-400", new[] { "Document rate limit exceeded. Reduce the submission rate, then try again." });
        }

        return Problems.WriteAsync(ctx, status, Problems.InjectedFault(status), reason, cause + ".", includeRequestId: true);
    }
}
