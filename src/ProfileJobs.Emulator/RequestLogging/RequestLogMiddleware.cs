using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using ProfileJobs.Emulator.Control;
using ProfileJobs.Emulator.Faults;
using ProfileJobs.Emulator.Ims;
using ProfileJobs.Emulator.Infrastructure;

namespace ProfileJobs.Emulator.RequestLogging;

/// <summary>
/// Outermost middleware: assigns <c>x-request-id</c>, buffers the request body (so handlers can read it normally),
/// records non-control requests in the <see cref="RequestLog"/> (with the injected fault, if any; dropped connections
/// as status 0), and turns unhandled exceptions into a 500.
/// </summary>
public sealed class RequestLogMiddleware
{
    private readonly RequestDelegate _next;
    private readonly EmulatorState _state;

    public RequestLogMiddleware(RequestDelegate next, EmulatorState state)
    {
        _next = next;
        _state = state;
    }

    public async Task InvokeAsync(HttpContext ctx)
    {
        RequestIds.Assign(ctx);
        if (ControlEndpoints.IsControlPath(ctx.Request.Path) || !_state.RequestLog.Enabled)
        {
            await RunGuardedAsync(ctx).ConfigureAwait(false);
            return;
        }

        long started = Stopwatch.GetTimestamp();
        byte[]? body = await BufferBodyAsync(ctx).ConfigureAwait(false);
        RequestLogEntry entry = CreateEntry(ctx, body);
        _state.RequestLog.Begin(entry);
        try
        {
            await RunGuardedAsync(ctx).ConfigureAwait(false);
        }
        finally
        {
            int status = ctx.Response.StatusCode;
            string? fault = null;
            long? responseBytes = null;
            bool aborted = ctx.RequestAborted.IsCancellationRequested;
            if (_state.Faults.EverArmed && ctx.Features.Get<FaultMark>() is FaultMark mark)
            {
                fault = mark.Name;
                responseBytes = mark.ResponseBytes;
                if (mark.Dropped)
                {
                    // HttpContext.Abort() cancels RequestAborted asynchronously, so it may not show yet.
                    status = 0;
                    aborted = true;
                }
            }

            RequestLog.Complete(entry, status, Stopwatch.GetElapsedTime(started).TotalMilliseconds, fault, responseBytes, aborted);
        }
    }

    private async Task RunGuardedAsync(HttpContext ctx)
    {
        try
        {
            await _next(ctx).ConfigureAwait(false);
        }
        catch (Exception ex) when (ctx.RequestAborted.IsCancellationRequested)
        {
            _ = ex; // client went away; nothing to answer
            if (!ctx.Response.HasStarted)
            {
                ctx.Response.StatusCode = 499;
            }
        }
        catch (Exception ex)
        {
            await Console.Error.WriteLineAsync($"emulator: unhandled error on {ctx.Request.Method} {ctx.Request.Path}: {ex}").ConfigureAwait(false);
            if (!ctx.Response.HasStarted)
            {
                ctx.Response.Clear();
                RequestIds.Assign(ctx);
                await Problems.WriteAsync(ctx, 500, Problems.InternalError, "Internal emulator error", ex.Message).ConfigureAwait(false);
            }
        }
    }

    private static async Task<byte[]?> BufferBodyAsync(HttpContext ctx)
    {
        IHttpRequestBodyDetectionFeature? detect = ctx.Features.Get<IHttpRequestBodyDetectionFeature>();
        if (detect != null && !detect.CanHaveBody)
        {
            return null;
        }

        if (ctx.Request.ContentLength == 0)
        {
            return Array.Empty<byte>();
        }

        using var ms = new MemoryStream(ctx.Request.ContentLength is long n and < int.MaxValue ? (int)n : 1024);
        await ctx.Request.Body.CopyToAsync(ms, ctx.RequestAborted).ConfigureAwait(false);
        byte[] bytes = ms.ToArray();
        ctx.Request.Body = new MemoryStream(bytes, 0, bytes.Length, writable: false, publiclyVisible: true);
        return bytes;
    }

    private static RequestLogEntry CreateEntry(HttpContext ctx, byte[]? body)
    {
        HttpRequest req = ctx.Request;
        bool ims = ImsEndpoints.IsImsPath(req.Path);

        var headers = new KeyValuePair<string, string>[req.Headers.Count];
        int i = 0;
        foreach (var h in req.Headers)
        {
            headers[i++] = new KeyValuePair<string, string>(StringCache.LowerName(h.Key), StringCache.Value(h.Value.ToString()));
        }

        string query = req.QueryString.HasValue ? req.QueryString.Value!.Substring(1) : string.Empty;
        string? text = null;
        bool truncated = false;
        if (body != null && body.Length > 0)
        {
            truncated = body.Length > RequestLog.MaxBodyBytes;
            text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, RequestLog.MaxBodyBytes));
        }

        // client_secret is masked wherever it can travel as a form field: every query, IMS bodies and form bodies on
        // any route (a redirected token request lands on whatever path the Location names). Its hash stays, so a
        // test can tell which secret reached this host without the log holding it.
        bool formBody = ims || (req.ContentType != null && req.ContentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase));
        string? secret = null;
        query = MaskSecret(query, ref secret);
        if (formBody && text != null)
        {
            text = MaskSecret(text, ref secret);
        }

        return new RequestLogEntry
        {
            Method = req.Method,
            Path = (req.PathBase + req.Path).Value ?? "/",
            Query = query,
            Headers = headers,
            Body = text,
            BodyBytes = body?.LongLength ?? 0,
            BodyTruncated = truncated,
            ClientSecretSha256 = secret == null ? null : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret))),
            ReceivedAt = DateTime.UtcNow,
        };
    }

    /// <summary>
    /// Replaces the value of every <c>client_secret</c> pair in a form/query string with <c>***</c>; the first
    /// (URL-decoded) value goes to <paramref name="secret"/> unless it already holds one.
    /// </summary>
    internal static string MaskSecret(string form, ref string? secret)
    {
        if (form.IndexOf("secret", StringComparison.OrdinalIgnoreCase) < 0)
        {
            return form;
        }

        string[] parts = form.Split('&');
        bool masked = false;
        for (int i = 0; i < parts.Length; i++)
        {
            int eq = parts[i].IndexOf('=');
            string rawKey = eq < 0 ? parts[i] : parts[i].Substring(0, eq);
            if (string.Equals(Decode(rawKey).Trim(), "client_secret", StringComparison.OrdinalIgnoreCase))
            {
                secret ??= eq < 0 ? string.Empty : Decode(parts[i].Substring(eq + 1));
                parts[i] = rawKey + "=***";
                masked = true;
            }
        }

        return masked ? string.Join('&', parts) : form;
    }

    private static string Decode(string formValue)
    {
        try
        {
            return Uri.UnescapeDataString(formValue.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return formValue;
        }
    }
}
