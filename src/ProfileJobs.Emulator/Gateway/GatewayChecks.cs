using System;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using ProfileJobs.Emulator.Ims;
using ProfileJobs.Emulator.Infrastructure;

namespace ProfileJobs.Emulator.Gateway;

/// <summary>
/// The Adobe I/O gateway checks for every <c>/data/...</c> route, in the documented order (aep-api.md 1.4, 5.1):
/// Authorization, bearer validity, x-api-key, x-gw-ims-org-id, Content-Type on POST/PUT/PATCH with a body.
/// Sandbox headers are service-specific and checked by the services (see <see cref="SandboxResolver"/>).
/// </summary>
public sealed class GatewayChecks
{
    public const string ApiKeyHeader = "x-api-key";
    public const string OrgHeader = "x-gw-ims-org-id";

    private static readonly byte[] TokenMissing = Gateway("403010", "Oauth token is missing.");
    private static readonly byte[] TokenInvalid = Gateway("401013", "Oauth token is not valid");
    private static readonly byte[] ApiKeyMissing = Gateway("403000", "Api Key is required");
    private static readonly byte[] ApiKeyInvalid = Gateway("403003", "Api Key is invalid");
    private static readonly byte[] OrgMissing = Gateway("400003", "Missing header");
    private static readonly byte[] OrgInvalid = Gateway("403025", "Profile is not valid");
    private static readonly byte[] BadContentType = JsonResponse.Render(0, static (w, _) =>
    {
        w.WriteStartObject();
        w.WriteString("type", "/placeholder/type/uri");
        w.WriteNumber("status", 400);
        w.WriteString("title", "BadRequestError");
        w.WriteString("detail", "A valid content-type must be specified");
        w.WriteEndObject();
    });

    private readonly RequestDelegate _next;
    private readonly TokenStore _tokens;

    public GatewayChecks(RequestDelegate next, EmulatorState state)
    {
        _next = next;
        _tokens = state.Tokens;
    }

    public static bool AppliesTo(PathString path) => path.StartsWithSegments("/data", StringComparison.OrdinalIgnoreCase);

    public Task InvokeAsync(HttpContext ctx)
    {
        if (!AppliesTo(ctx.Request.Path))
        {
            return _next(ctx);
        }

        IHeaderDictionary headers = ctx.Request.Headers;

        // 1. + 2. Authorization
        string? authorization = First(headers.Authorization);
        if (string.IsNullOrWhiteSpace(authorization))
        {
            return Reject(ctx, 403, TokenMissing);
        }

        ReadOnlySpan<char> auth = authorization.AsSpan().Trim();
        if (!auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Reject(ctx, 401, TokenInvalid);
        }

        IssuedToken? token = _tokens.Validate(auth.Slice(7).Trim().ToString());
        if (token == null)
        {
            return Reject(ctx, 401, TokenInvalid);
        }

        // 3. API key = client id of the token
        string? apiKey = First(headers[ApiKeyHeader]);
        if (string.IsNullOrEmpty(apiKey))
        {
            return Reject(ctx, 403, ApiKeyMissing);
        }

        if (!string.Equals(apiKey, token.ClientId, StringComparison.Ordinal))
        {
            return Reject(ctx, 403, ApiKeyInvalid);
        }

        // 4. Org
        string? org = First(headers[OrgHeader]);
        if (string.IsNullOrEmpty(org))
        {
            return Reject(ctx, 400, OrgMissing);
        }

        if (!string.Equals(org, token.OrgId, StringComparison.Ordinal))
        {
            return Reject(ctx, 403, OrgInvalid);
        }

        // 5. Content-Type on writes that carry a body
        if (HasBody(ctx.Request) && IsWrite(ctx.Request.Method) && !IsJson(ctx.Request.ContentType))
        {
            return Reject(ctx, 400, BadContentType);
        }

        ctx.Features.Set(new CallerIdentity(token));
        return _next(ctx);
    }

    private static bool IsWrite(string method) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method);

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 ||
        (request.ContentLength == null && !StringValues.IsNullOrEmpty(request.Headers.TransferEncoding));

    private static bool IsJson(string? contentType) =>
        contentType != null &&
        MediaTypeHeaderValue.TryParse(contentType, out MediaTypeHeaderValue? mt) &&
        mt.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);

    private static string? First(StringValues values) => StringValues.IsNullOrEmpty(values) ? null : values[0];

    private static Task Reject(HttpContext ctx, int status, byte[] body) =>
        JsonResponse.WriteBytesAsync(ctx, status, JsonResponse.Json, body);

    private static byte[] Gateway(string code, string message) => JsonResponse.Render((code, message), static (w, s) =>
    {
        w.WriteStartObject();
        w.WriteString("error_code", s.code);
        w.WriteString("message", s.message);
        w.WriteEndObject();
    });
}
