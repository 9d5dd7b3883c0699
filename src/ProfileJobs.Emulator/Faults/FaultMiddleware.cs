using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using ProfileJobs.Emulator.Infrastructure;
using ProfileJobs.Emulator.Hygiene;
using ProfileJobs.Emulator.Privacy;
using ProfileJobs.Emulator.SystemJobs;

namespace ProfileJobs.Emulator.Faults;

/// <summary>
/// Applies fault-injection rules to <c>/data</c> and <c>/ims</c> requests (never to <c>/__emulator</c>). Runs after
/// the request log (which records what happened) and before the gateway checks. With no rules it costs one volatile
/// read per request.
/// </summary>
public sealed class FaultMiddleware
{
    private static readonly byte[] MalformedFallback = "{\""u8.ToArray();
    private static readonly byte[] EndlessFirstChunk = Filler("{\"children\":[");
    private static readonly byte[] EndlessChunk = Filler(string.Empty);

    private readonly RequestDelegate _next;
    private readonly FaultSet _faults;
    private readonly EmulatorMode _mode;

    public FaultMiddleware(RequestDelegate next, EmulatorState state)
    {
        _next = next;
        _faults = state.Faults;
        _mode = state.Options.Mode;
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

        ActiveFault? fault = _faults.Evaluate(rules, ctx.Request.Method, path.Value ?? "/", TargetOf(ctx.Request));
        return fault == null ? _next(ctx) : ApplyAsync(ctx, fault);
    }

    /// <summary>What the request is, for the kinds that apply only to paged lists or to privacy creates.</summary>
    private FaultTarget TargetOf(HttpRequest request)
    {
        string path = (request.Path.Value ?? "/").TrimEnd('/');
        if (HttpMethods.IsGet(request.Method))
        {
            bool list = (string.Equals(path, SystemJobEndpoints.Root, StringComparison.OrdinalIgnoreCase) && _mode != EmulatorMode.Aws) ||
                        string.Equals(path, HygieneEndpoints.WorkOrders, StringComparison.OrdinalIgnoreCase) ||
                        string.Equals(path, PrivacyEndpoints.Jobs, StringComparison.OrdinalIgnoreCase);
            return list ? FaultTarget.PagedList : FaultTarget.None;
        }

        return HttpMethods.IsPost(request.Method) && string.Equals(path, PrivacyEndpoints.Jobs, StringComparison.OrdinalIgnoreCase)
            ? FaultTarget.PrivacyCreate
            : FaultTarget.None;
    }

    private async Task ApplyAsync(HttpContext ctx, ActiveFault fault)
    {
        FaultRule rule = fault.Rule;
        var mark = new FaultMark(rule);
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

            case FaultKind.Malformed:
            {
                byte[] body = await RunBufferedAsync(ctx).ConfigureAwait(false);
                ReadOnlyMemory<byte> truncated = body.Length >= 2 ? body.AsMemory(0, body.Length / 2) : MalformedFallback;
                await JsonResponse.WriteBytesAsync(ctx, 200, JsonResponse.Json, truncated).ConfigureAwait(false);
                return;
            }

            case FaultKind.Redirect:
            {
                HttpRequest request = ctx.Request;
                string location = rule.AppendPath
                    ? rule.Location!.TrimEnd('/') + request.PathBase.ToUriComponent() + request.Path.ToUriComponent() + request.QueryString.ToUriComponent()
                    : rule.Location!;
                ctx.Response.Headers.Location = location;
                await JsonResponse.WriteEmptyAsync(ctx, rule.Status).ConfigureAwait(false);
                return;
            }

            case FaultKind.Drip:
                await DripAsync(ctx, mark).ConfigureAwait(false);
                return;

            case FaultKind.EndlessBody:
                await EndlessBodyAsync(ctx, mark).ConfigureAwait(false);
                return;

            default:
                // Paging faults and short acknowledgements are carried out by the handlers, which read the mark.
                await _next(ctx).ConfigureAwait(false);
                return;
        }
    }

    /// <summary>Processes the request, sends status and headers (with the real Content-Length), then the body a byte at a time.</summary>
    private async Task DripAsync(HttpContext ctx, FaultMark mark)
    {
        byte[] body = await RunBufferedAsync(ctx).ConfigureAwait(false);
        CancellationToken aborted = ctx.RequestAborted;
        mark.ResponseBytes = 0;
        await ctx.Response.StartAsync(aborted).ConfigureAwait(false);
        await ctx.Response.Body.FlushAsync(aborted).ConfigureAwait(false);
        for (int i = 0; i < body.Length; i++)
        {
            await Task.Delay(mark.Rule.DelayMs, aborted).ConfigureAwait(false);
            await ctx.Response.Body.WriteAsync(body.AsMemory(i, 1), aborted).ConfigureAwait(false);
            await ctx.Response.Body.FlushAsync(aborted).ConfigureAwait(false);
            mark.ResponseBytes = i + 1;
        }
    }

    /// <summary>
    /// Answers 200 <c>application/json</c> with <c>{"children":[</c> followed by string items, forever or for exactly
    /// <see cref="FaultRule.Bytes"/> bytes (then with that Content-Length), from two constant buffers.
    /// </summary>
    private static async Task EndlessBodyAsync(HttpContext ctx, FaultMark mark)
    {
        long? limit = mark.Rule.Bytes;
        CancellationToken aborted = ctx.RequestAborted;
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = JsonResponse.Json;
        if (limit != null)
        {
            ctx.Response.ContentLength = limit;
        }

        long sent = 0;
        mark.ResponseBytes = 0;
        while (limit == null || sent < limit)
        {
            ReadOnlyMemory<byte> chunk = sent == 0 ? EndlessFirstChunk : EndlessChunk;
            if (limit != null && limit.Value - sent < chunk.Length)
            {
                chunk = chunk.Slice(0, (int)(limit.Value - sent));
            }

            await ctx.Response.Body.WriteAsync(chunk, aborted).ConfigureAwait(false);
            sent += chunk.Length;
            mark.ResponseBytes = sent;
        }
    }

    private static byte[] Filler(string prefix)
    {
        const string item = "\"endless-body-filler-0123456789abcdef0123456789abcdef0123456789\",";
        var text = new StringBuilder(prefix);
        while (text.Length + item.Length <= 64 * 1024)
        {
            text.Append(item);
        }

        return Encoding.UTF8.GetBytes(text.ToString());
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
