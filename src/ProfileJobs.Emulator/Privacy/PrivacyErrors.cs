using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using ProfileJobs.Emulator.Infrastructure;

namespace ProfileJobs.Emulator.Privacy;

/// <summary>
/// Privacy Service error body (shape emulator-chosen, codes from DOC-PERR):
/// <c>{"requestId":"&lt;x-request-id&gt;","message":"&lt;first error&gt;","errors":[{"code":"1000-400","message":"..."}]}</c>.
/// </summary>
internal static class PrivacyErrors
{
    public static Task WriteAsync(HttpContext ctx, int status, string code, IReadOnlyList<string> messages, int total = -1)
    {
        if (total < messages.Count)
        {
            total = messages.Count;
        }

        string first = messages.Count > 0 ? messages[0] : "Invalid request.";
        string summary = total > 1 ? $"{first} (and {total - 1} more error{(total > 2 ? "s" : string.Empty)})" : first;
        string requestId = RequestIds.Get(ctx);
        return JsonResponse.WriteAsync(ctx, status, JsonResponse.Json, (requestId, summary, code, messages), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("requestId", s.requestId);
            w.WriteString("message", s.summary);
            w.WriteStartArray("errors");
            foreach (string m in s.messages)
            {
                w.WriteStartObject();
                w.WriteString("code", s.code);
                w.WriteString("message", m);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    public static Task WriteAsync(HttpContext ctx, int status, string code, string message) =>
        WriteAsync(ctx, status, code, new[] { message });
}
