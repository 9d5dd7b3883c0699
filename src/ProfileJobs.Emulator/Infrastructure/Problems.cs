using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace ProfileJobs.Emulator.Infrastructure;

/// <summary>
/// RFC 7807-style error bodies (<c>application/problem+json</c>). Type URIs with <c>EMU-</c> are emulator-invented;
/// the others are quoted from Adobe material (aep-api.md 1.1 / 1.4).
/// </summary>
public static class Problems
{
    private const string Prefix = "https://ns.adobe.com/aep/errors/";

    // Emulator-invented catalogue (documented in docs/emulator.md).
    public const string MissingSandbox = Prefix + "EMU-0001-400";
    public const string InvalidSandbox = Prefix + "EMU-0002-400";
    public const string InvalidPayload = Prefix + "EMU-0003-400";
    public const string InvalidQuery = Prefix + "EMU-0004-400";
    public const string JobNotFound = Prefix + "EMU-0005-404";
    public const string MethodNotAllowed = Prefix + "EMU-0006-405";
    public const string DuplicateRequest = Prefix + "EMU-0007-422";
    public const string RouteNotFound = Prefix + "EMU-0000-404";
    public const string InternalError = Prefix + "EMU-0008-500";
    public const string QuotaExceeded = Prefix + "EMU-0010-400";

    // Documented by Adobe (DOC-SJ-U2).
    public const string RecordBatchUnified = Prefix + "UPAPI-036002-422";

    /// <summary>Type URI of an injected status fault, <c>EMU-0100-&lt;status&gt;</c>.</summary>
    public static string InjectedFault(int status) => Prefix + "EMU-0100-" + status.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static Task WriteAsync(HttpContext ctx, int status, string type, string title, string? detail, bool includeRequestId = false)
    {
        string? requestId = includeRequestId ? RequestIds.Get(ctx) : null;
        return JsonResponse.WriteAsync(ctx, status, JsonResponse.ProblemJson, (type, title, status, detail, requestId), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("type", s.type);
            w.WriteString("title", s.title);
            w.WriteNumber("status", s.status);
            if (s.detail != null)
            {
                w.WriteString("detail", s.detail);
            }

            if (s.requestId != null)
            {
                w.WriteString("requestId", s.requestId);
            }

            w.WriteEndObject();
        });
    }

    /// <summary>Gateway-style <c>{"error_code","message"}</c> body (DOC-TS, aep-api.md 1.4).</summary>
    public static Task WriteGatewayAsync(HttpContext ctx, int status, string code, string message) =>
        JsonResponse.WriteAsync(ctx, status, JsonResponse.Json, (code, message), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("error_code", s.code);
            w.WriteString("message", s.message);
            w.WriteEndObject();
        });

    internal static void WriteRaw(Utf8JsonWriter w, string type, string title, int status, string? detail)
    {
        w.WriteStartObject();
        w.WriteString("type", type);
        w.WriteString("title", title);
        w.WriteNumber("status", status);
        if (detail != null)
        {
            w.WriteString("detail", detail);
        }

        w.WriteEndObject();
    }
}
