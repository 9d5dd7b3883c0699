using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using ProfileJobs.Emulator.Infrastructure;

namespace ProfileJobs.Emulator.Ims;

/// <summary>Emulated <c>POST https://ims-na1.adobelogin.com/ims/token/v3</c> (and the legacy v2 path).</summary>
public static class ImsEndpoints
{
    public const string TokenV3 = "/ims/token/v3";
    public const string TokenV2 = "/ims/token/v2";

    public static void Map(IEndpointRouteBuilder app, EmulatorState state)
    {
        RequestDelegate handler = ctx => IssueAsync(ctx, state);
        app.MapPost(TokenV3, handler);
        app.MapPost(TokenV2, handler);
    }

    public static bool IsImsPath(PathString path) =>
        path.StartsWithSegments("/ims/token", StringComparison.OrdinalIgnoreCase);

    private static async Task IssueAsync(HttpContext ctx, EmulatorState state)
    {
        Dictionary<string, StringValues> form = await ReadFormAsync(ctx.Request).ConfigureAwait(false);

        string? grantType = Field(form, ctx.Request.Query, "grant_type");
        string? clientId = Field(form, ctx.Request.Query, "client_id");
        string? clientSecret = Field(form, ctx.Request.Query, "client_secret");
        string? scope = Field(form, ctx.Request.Query, "scope");

        if (grantType == null)
        {
            await ErrorAsync(ctx, 400, "invalid_request", "missing required parameter: grant_type").ConfigureAwait(false);
            return;
        }

        if (!string.Equals(grantType, "client_credentials", StringComparison.Ordinal))
        {
            await ErrorAsync(ctx, 400, "unsupported_grant_type", $"grant_type '{grantType}' is not supported; use client_credentials").ConfigureAwait(false);
            return;
        }

        if (clientId == null || clientSecret == null)
        {
            string missing = clientId == null ? "client_id" : "client_secret";
            await ErrorAsync(ctx, 400, "invalid_request", $"missing required parameter: {missing}").ConfigureAwait(false);
            return;
        }

        EmulatorOptions o = state.Options;
        if (!string.Equals(clientId, o.ClientId, StringComparison.Ordinal) ||
            !string.Equals(clientSecret, o.ClientSecret, StringComparison.Ordinal))
        {
            await ErrorAsync(ctx, 401, "invalid_client", "invalid client_id or client_secret").ConfigureAwait(false);
            return;
        }

        if (string.IsNullOrWhiteSpace(scope))
        {
            await ErrorAsync(ctx, 400, "invalid_scope", "scope is required").ConfigureAwait(false);
            return;
        }

        IssuedToken token = state.Tokens.Issue(clientId, o.OrgId, scope);
        await JsonResponse.WriteAsync(ctx, 200, JsonResponse.Json, (token.Value, state.Tokens.LifetimeSeconds), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("access_token", s.Value);
            w.WriteString("token_type", "bearer");
            w.WriteNumber("expires_in", s.LifetimeSeconds);
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private static string? Field(Dictionary<string, StringValues> form, IQueryCollection query, string name)
    {
        if (form.TryGetValue(name, out StringValues v) && !StringValues.IsNullOrEmpty(v))
        {
            return v[0];
        }

        return query.TryGetValue(name, out v) && !StringValues.IsNullOrEmpty(v) ? v[0] : null;
    }

    private static async Task<Dictionary<string, StringValues>> ReadFormAsync(HttpRequest request)
    {
        if (request.ContentType == null ||
            !request.ContentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return new Dictionary<string, StringValues>();
        }

        using var reader = new StreamReader(request.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        string body = await reader.ReadToEndAsync().ConfigureAwait(false);
        return QueryHelpers.ParseQuery(body);
    }

    private static Task ErrorAsync(HttpContext ctx, int status, string error, string description) =>
        JsonResponse.WriteAsync(ctx, status, JsonResponse.Json, (error, description), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("error", s.error);
            w.WriteString("error_description", s.description);
            w.WriteEndObject();
        });
}
