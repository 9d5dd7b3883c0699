using System.Globalization;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using ProfileJobs.Emulator.Infrastructure;

namespace ProfileJobs.Emulator.SystemJobs;

/// <summary>Query-string helpers shared by the list renderers.</summary>
internal static class ListQuery
{
    public const int DefaultLimit = 100;

    public static string? Get(HttpContext ctx, string name)
    {
        StringValues v = ctx.Request.Query[name];
        return StringValues.IsNullOrEmpty(v) ? null : v[0];
    }

    public static bool TryNonNegative(string s, out long value) =>
        long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value < int.MaxValue;

    /// <summary>Parses <c>limit</c>: absent → default; else a positive integer, or null after writing a 400.</summary>
    public static int? Limit(HttpContext ctx, out Task? error)
    {
        error = null;
        string? raw = Get(ctx, "limit");
        if (raw == null)
        {
            return DefaultLimit;
        }

        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out int limit) || limit <= 0)
        {
            error = Invalid(ctx, $"limit must be a positive integer, got '{raw}'");
            return null;
        }

        return limit;
    }

    public static Task Invalid(HttpContext ctx, string detail) =>
        Problems.WriteAsync(ctx, 400, Problems.InvalidQuery, "Invalid query parameter", detail);
}
