using System;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace ProfileJobs.Emulator.Infrastructure;

/// <summary>Echoes the caller's <c>x-request-id</c> or generates one, on every response (aep-api.md 5.1).</summary>
public static class RequestIds
{
    public const string Header = "x-request-id";
    private static readonly object Key = new();

    /// <summary>Sets the response header and remembers the id for error bodies that carry a requestId.</summary>
    public static void Assign(HttpContext ctx)
    {
        StringValues sent = ctx.Request.Headers[Header];
        string id = !StringValues.IsNullOrEmpty(sent) && !string.IsNullOrWhiteSpace(sent[0]) ? sent[0]! : Guid.NewGuid().ToString("D");
        ctx.Items[Key] = id;
        ctx.Response.Headers[Header] = id;
    }

    public static string Get(HttpContext ctx) =>
        ctx.Items.TryGetValue(Key, out object? v) && v is string s ? s : Guid.NewGuid().ToString("D");
}
