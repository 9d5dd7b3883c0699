using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;

namespace ProfileJobs.Emulator.Faults;

/// <summary>What an injected fault does to a matching request.</summary>
public enum FaultKind
{
    /// <summary>Answer with <see cref="FaultRule.Status"/> and an error body; the request is not processed.</summary>
    Status,

    /// <summary>Wait <see cref="FaultRule.DelayMs"/>, then process normally (the wait stops if the client aborts).</summary>
    Slow,

    /// <summary>Process the request fully, then abort the connection without sending the response.</summary>
    DropAfter,

    /// <summary>Abort the connection without processing the request.</summary>
    DropBefore,

    /// <summary>Process the request, then answer 200 with a truncated (invalid) JSON body.</summary>
    Malformed,

    /// <summary>Answer a 3xx with <see cref="FaultRule.Location"/>; the request is not processed.</summary>
    Redirect,

    /// <summary>List routes: every page claims a next one (same or fabricated content).</summary>
    NextEndless,

    /// <summary>List routes: pages alternate between two cursors and contents.</summary>
    NextAlternate,

    /// <summary>List routes: at most <see cref="FaultRule.MaxPageSize"/> items per page, still paging correctly.</summary>
    PageCap,

    /// <summary>Process the request, send status and headers, then the body one byte every <see cref="FaultRule.DelayMs"/>.</summary>
    Drip,

    /// <summary>Answer 200 with a body that never ends (or is <see cref="FaultRule.Bytes"/> long); not processed.</summary>
    EndlessBody,

    /// <summary><c>POST /data/core/privacy/jobs</c>: answer 202 with only the first <see cref="FaultRule.Keep"/> jobs.</summary>
    ShortAck,
}

/// <summary>What a <see cref="FaultKind.ShortAck"/> fault stores of the submitted jobs.</summary>
public enum ShortAckProcessing
{
    /// <summary>Every job is stored; the answer leaves some out.</summary>
    All,

    /// <summary>Only the jobs named in the answer are stored.</summary>
    Listed,

    /// <summary>Nothing is stored, not even the jobs named in the answer.</summary>
    None,
}

/// <summary>Which requests a fault kind can apply to, beyond the rule's method and path.</summary>
[Flags]
public enum FaultTarget
{
    None = 0,

    /// <summary>A GET of a paged list: azure/unified system jobs, work orders, privacy jobs.</summary>
    PagedList = 1,

    /// <summary><c>POST /data/core/privacy/jobs</c>.</summary>
    PrivacyCreate = 2,
}

/// <summary>One fault-injection rule, as posted to <c>/__emulator/faults</c> or loaded with <c>--faults</c>. Immutable.</summary>
public sealed record FaultRule
{
    /// <summary>Upper-case HTTP method, or <c>*</c> for any.</summary>
    public string Method { get; init; } = "*";

    /// <summary>Case-insensitive prefix of the request path; <c>/</c> matches every /data and /ims route.</summary>
    public string Path { get; init; } = "/";

    public FaultKind Kind { get; init; }

    /// <summary>Status code for <see cref="FaultKind.Status"/> (400-599) and <see cref="FaultKind.Redirect"/> (3xx); 0 otherwise.</summary>
    public int Status { get; init; }

    /// <summary>Raw <c>Retry-After</c> header value (status faults only); null = no header.</summary>
    public string? RetryAfter { get; init; }

    /// <summary>When set (status faults only), the body is the Profile-style throttling body carrying this value.</summary>
    public long? RetryAfterMs { get; init; }

    /// <summary>Delay for <see cref="FaultKind.Slow"/>; the pause between bytes for <see cref="FaultKind.Drip"/>.</summary>
    public int DelayMs { get; init; }

    /// <summary>Redirect target: an absolute http(s) URL or a path starting with '/'.</summary>
    public string? Location { get; init; }

    /// <summary>Redirect: append the request's path and query to <see cref="Location"/>.</summary>
    public bool AppendPath { get; init; }

    /// <summary>Endless paging: fabricated items unique to each page instead of the same items on every page.</summary>
    public bool NewContent { get; init; }

    /// <summary>Page cap: the most items the server puts in one page.</summary>
    public int MaxPageSize { get; init; }

    /// <summary>Endless body: the total body length; null = never ends.</summary>
    public long? Bytes { get; init; }

    /// <summary>Short acknowledgement: how many entries of <c>jobs</c> the answer keeps.</summary>
    public int Keep { get; init; }

    /// <summary>Short acknowledgement: which of the submitted jobs are stored.</summary>
    public ShortAckProcessing Process { get; init; } = ShortAckProcessing.All;

    /// <summary>Chance that an eligible request is faulted, 0..1.</summary>
    public double Probability { get; init; } = 1.0;

    /// <summary>Fire at most this many times; null = unlimited.</summary>
    public long? Count { get; init; }

    /// <summary>Let this many matching requests pass before the rule can fire.</summary>
    public long Skip { get; init; }

    /// <summary>The requests this kind needs (beyond method and path); <see cref="FaultTarget.None"/> = any.</summary>
    public FaultTarget Target => Kind switch
    {
        FaultKind.NextEndless or FaultKind.NextAlternate or FaultKind.PageCap => FaultTarget.PagedList,
        FaultKind.ShortAck => FaultTarget.PrivacyCreate,
        _ => FaultTarget.None,
    };

    public static string KindName(FaultKind kind) => FaultRuleParser.Kinds.First(k => k.Kind == kind).Name;

    public static string ProcessName(ShortAckProcessing process) => process switch
    {
        ShortAckProcessing.All => "all",
        ShortAckProcessing.Listed => "listed",
        _ => "none",
    };
}

/// <summary>Parses and validates fault rules (a JSON array, or <c>{"faults":[...]}</c>, or one rule object).</summary>
public static class FaultRuleParser
{
    public const int MaxDelayMs = 600_000;

    /// <summary>Every kind, its JSON name and the fields that only it takes (beyond the common ones).</summary>
    internal static readonly (FaultKind Kind, string Name, string[] Fields)[] Kinds =
    {
        (FaultKind.Status, "status", new[] { "status", "retryAfter", "retryAfterMs" }),
        (FaultKind.Slow, "slow", new[] { "delayMs" }),
        (FaultKind.DropAfter, "drop-after", Array.Empty<string>()),
        (FaultKind.DropBefore, "drop-before", Array.Empty<string>()),
        (FaultKind.Malformed, "malformed", Array.Empty<string>()),
        (FaultKind.Redirect, "redirect", new[] { "status", "location", "appendPath" }),
        (FaultKind.NextEndless, "next-endless", new[] { "content" }),
        (FaultKind.NextAlternate, "next-alternate", Array.Empty<string>()),
        (FaultKind.PageCap, "page-cap", new[] { "maxPageSize" }),
        (FaultKind.Drip, "drip", new[] { "delayMs" }),
        (FaultKind.EndlessBody, "endless-body", new[] { "bytes" }),
        (FaultKind.ShortAck, "short-ack", new[] { "keep", "process" }),
    };

    private static readonly int[] RedirectStatuses = { 301, 302, 303, 307, 308 };

    private static readonly string[] CommonFields = { "method", "path", "fault", "probability", "count", "skip" };

    private static readonly HashSet<string> KnownFields =
        new(CommonFields.Concat(Kinds.SelectMany(k => k.Fields)), StringComparer.Ordinal);

    private static readonly HashSet<string> Methods = new(StringComparer.Ordinal)
    {
        "*", "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS",
    };

    private static string KindList => string.Join(", ", Kinds.Select(k => k.Name));

    public static bool TryParse(ReadOnlyMemory<byte> json, out List<FaultRule> rules, out string error)
    {
        rules = new List<FaultRule>();
        error = string.Empty;
        if (json.IsEmpty)
        {
            error = "the body must be a JSON array of fault rules";
            return false;
        }

        try
        {
            using JsonDocument doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            JsonElement root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("faults", out JsonElement wrapped))
            {
                root = wrapped;
            }

            if (root.ValueKind == JsonValueKind.Object)
            {
                FaultRule? single = ParseRule(root, 0, out error);
                if (single == null)
                {
                    return false;
                }

                rules.Add(single);
                return true;
            }

            if (root.ValueKind != JsonValueKind.Array)
            {
                error = "the body must be a JSON array of fault rules";
                return false;
            }

            int i = 0;
            foreach (JsonElement item in root.EnumerateArray())
            {
                FaultRule? rule = ParseRule(item, i++, out error);
                if (rule == null)
                {
                    return false;
                }

                rules.Add(rule);
            }

            return true;
        }
        catch (JsonException ex)
        {
            error = "malformed JSON: " + ex.Message;
            return false;
        }
    }

    private static FaultRule? ParseRule(JsonElement e, int index, out string error)
    {
        string at = $"rule [{index}]";
        error = string.Empty;
        if (e.ValueKind != JsonValueKind.Object)
        {
            error = $"{at} must be a JSON object";
            return null;
        }

        foreach (JsonProperty p in e.EnumerateObject())
        {
            if (!KnownFields.Contains(p.Name))
            {
                error = $"{at}: unknown field '{p.Name}' (known: {string.Join(", ", KnownFields)})";
                return null;
            }
        }

        string method = "*";
        if (Present(e, "method", out JsonElement m))
        {
            string? value = m.ValueKind == JsonValueKind.String ? m.GetString()?.Trim().ToUpperInvariant() : null;
            if (value == null || !Methods.Contains(value))
            {
                error = $"{at}: method must be one of GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS or *";
                return null;
            }

            method = value;
        }

        string path = "/";
        if (Present(e, "path", out JsonElement p2))
        {
            string? value = p2.ValueKind == JsonValueKind.String ? p2.GetString()?.Trim() : null;
            if (string.IsNullOrEmpty(value) || value[0] != '/')
            {
                error = $"{at}: path must be a path prefix starting with '/', e.g. /data/core/ups/system/jobs";
                return null;
            }

            if (value.StartsWith("/__emulator", StringComparison.OrdinalIgnoreCase))
            {
                error = $"{at}: faults never apply to the /__emulator control API";
                return null;
            }

            path = value;
        }

        if (!Present(e, "fault", out JsonElement f) || f.ValueKind != JsonValueKind.String)
        {
            error = $"{at}: fault is required: {KindList}";
            return null;
        }

        string kindName = f.GetString()!.Trim().ToLowerInvariant();
        int kindIndex = Array.FindIndex(Kinds, k => k.Name == kindName);
        if (kindIndex < 0)
        {
            error = $"{at}: fault '{f.GetString()}' is not one of {KindList}";
            return null;
        }

        (FaultKind kind, string name, string[] ownFields) = Kinds[kindIndex];
        foreach (JsonProperty p in e.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.Null && Array.IndexOf(CommonFields, p.Name) < 0 && Array.IndexOf(ownFields, p.Name) < 0)
            {
                string owners = string.Join(", ", Kinds.Where(k => k.Fields.Contains(p.Name)).Select(k => '"' + k.Name + '"'));
                error = $"{at}: {p.Name} applies only to fault {owners}, not to \"{name}\"";
                return null;
            }
        }

        var rule = new FaultRule { Method = method, Path = path, Kind = kind };
        rule = kind switch
        {
            FaultKind.Status => ParseStatus(e, rule, at, out error),
            FaultKind.Slow or FaultKind.Drip => ParseDelay(e, rule, at, name, out error),
            FaultKind.Redirect => ParseRedirect(e, rule, at, out error),
            FaultKind.NextEndless => ParseContent(e, rule, at, out error),
            FaultKind.PageCap => ParsePageCap(e, rule, at, out error),
            FaultKind.EndlessBody => ParseBytes(e, rule, at, out error),
            FaultKind.ShortAck => ParseShortAck(e, rule, at, out error),
            _ => rule,
        };
        if (rule == null)
        {
            return null;
        }

        double probability = 1.0;
        if (Present(e, "probability", out JsonElement pr))
        {
            if (pr.ValueKind != JsonValueKind.Number || !pr.TryGetDouble(out probability) || double.IsNaN(probability) || probability < 0 || probability > 1)
            {
                error = $"{at}: probability must be a number between 0 and 1";
                return null;
            }
        }

        long? count = null;
        if (Present(e, "count", out JsonElement c))
        {
            if (!TryLong(c, out long cv) || cv < 0)
            {
                error = $"{at}: count must be a non-negative integer (omit it for unlimited)";
                return null;
            }

            count = cv;
        }

        long skip = 0;
        if (Present(e, "skip", out JsonElement sk) && (!TryLong(sk, out skip) || skip < 0))
        {
            error = $"{at}: skip must be a non-negative integer";
            return null;
        }

        return rule with { Probability = probability, Count = count, Skip = skip };
    }

    private static FaultRule? ParseStatus(JsonElement e, FaultRule rule, string at, out string error)
    {
        error = string.Empty;
        if (!Present(e, "status", out JsonElement s) || !TryLong(s, out long sv) || sv < 400 || sv > 599)
        {
            error = $"{at}: a status fault needs \"status\" between 400 and 599 (e.g. 429, 500, 502, 503, 504)";
            return null;
        }

        string? retryAfter = null;
        if (Present(e, "retryAfter", out JsonElement ra))
        {
            if (ra.ValueKind == JsonValueKind.Number)
            {
                retryAfter = ra.GetRawText();
            }
            else if (ra.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(ra.GetString()))
            {
                retryAfter = ra.GetString()!.Trim();
            }
            else
            {
                error = $"{at}: retryAfter must be the raw Retry-After header value (seconds or an HTTP date)";
                return null;
            }
        }

        long? retryAfterMs = null;
        if (Present(e, "retryAfterMs", out JsonElement ram))
        {
            if (!TryLong(ram, out long v) || v < 0)
            {
                error = $"{at}: retryAfterMs must be a non-negative integer";
                return null;
            }

            retryAfterMs = v;
        }

        return rule with { Status = (int)sv, RetryAfter = retryAfter, RetryAfterMs = retryAfterMs };
    }

    private static FaultRule? ParseDelay(JsonElement e, FaultRule rule, string at, string name, out string error)
    {
        error = string.Empty;
        if (!Present(e, "delayMs", out JsonElement d) || !TryLong(d, out long dv) || dv < 0 || dv > MaxDelayMs)
        {
            error = $"{at}: a {name} fault needs \"delayMs\" between 0 and {MaxDelayMs}";
            return null;
        }

        return rule with { DelayMs = (int)dv };
    }

    private static FaultRule? ParseRedirect(JsonElement e, FaultRule rule, string at, out string error)
    {
        error = string.Empty;
        int status = 307;
        if (Present(e, "status", out JsonElement s))
        {
            if (!TryLong(s, out long sv) || Array.IndexOf(RedirectStatuses, (int)sv) < 0)
            {
                error = $"{at}: a redirect fault's \"status\" must be one of 301, 302, 303, 307, 308 (default 307)";
                return null;
            }

            status = (int)sv;
        }

        string? location = Present(e, "location", out JsonElement l) && l.ValueKind == JsonValueKind.String ? l.GetString()?.Trim() : null;
        bool valid = !string.IsNullOrEmpty(location) && location.IndexOfAny(new[] { '\r', '\n' }) < 0 &&
                     ((location[0] == '/' && !location.StartsWith("//", StringComparison.Ordinal)) ||
                      (Uri.TryCreate(location, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)));
        if (!valid)
        {
            error = $"{at}: a redirect fault needs \"location\": an absolute http(s) URL (e.g. another emulator's address) or a path starting with '/'";
            return null;
        }

        bool appendPath = false;
        if (Present(e, "appendPath", out JsonElement ap))
        {
            if (ap.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                error = $"{at}: appendPath must be a boolean";
                return null;
            }

            appendPath = ap.GetBoolean();
        }

        return rule with { Status = status, Location = location, AppendPath = appendPath };
    }

    private static FaultRule? ParseContent(JsonElement e, FaultRule rule, string at, out string error)
    {
        error = string.Empty;
        if (!Present(e, "content", out JsonElement c))
        {
            return rule;
        }

        string? value = c.ValueKind == JsonValueKind.String ? c.GetString()?.Trim().ToLowerInvariant() : null;
        if (value is not ("same" or "new"))
        {
            error = $"{at}: content must be \"same\" (every page carries the same items) or \"new\" (fabricated items unique to each page)";
            return null;
        }

        return rule with { NewContent = value == "new" };
    }

    private static FaultRule? ParsePageCap(JsonElement e, FaultRule rule, string at, out string error)
    {
        error = string.Empty;
        if (!Present(e, "maxPageSize", out JsonElement mp) || !TryLong(mp, out long v) || v < 1 || v > int.MaxValue)
        {
            error = $"{at}: a page-cap fault needs \"maxPageSize\", a positive integer";
            return null;
        }

        return rule with { MaxPageSize = (int)v };
    }

    private static FaultRule? ParseBytes(JsonElement e, FaultRule rule, string at, out string error)
    {
        error = string.Empty;
        if (!Present(e, "bytes", out JsonElement b))
        {
            return rule;
        }

        if (!TryLong(b, out long v) || v < 1)
        {
            error = $"{at}: bytes must be a positive integer (omit it for a body that never ends)";
            return null;
        }

        return rule with { Bytes = v };
    }

    private static FaultRule? ParseShortAck(JsonElement e, FaultRule rule, string at, out string error)
    {
        error = string.Empty;
        int keep = 0;
        if (Present(e, "keep", out JsonElement k))
        {
            if (!TryLong(k, out long v) || v < 0 || v > int.MaxValue)
            {
                error = $"{at}: keep must be a non-negative integer (the number of jobs the answer keeps)";
                return null;
            }

            keep = (int)v;
        }

        ShortAckProcessing process = ShortAckProcessing.All;
        if (Present(e, "process", out JsonElement p))
        {
            string? value = p.ValueKind == JsonValueKind.String ? p.GetString()?.Trim().ToLowerInvariant() : null;
            switch (value)
            {
                case "all": process = ShortAckProcessing.All; break;
                case "listed": process = ShortAckProcessing.Listed; break;
                case "none": process = ShortAckProcessing.None; break;
                default:
                    error = $"{at}: process must be \"all\" (every job stored), \"listed\" (only the answered jobs) or \"none\"";
                    return null;
            }
        }

        return rule with { Keep = keep, Process = process };
    }

    private static bool Present(JsonElement e, string name, out JsonElement value) =>
        e.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    private static bool TryLong(JsonElement e, out long value)
    {
        value = 0;
        if (e.ValueKind == JsonValueKind.Number)
        {
            return e.TryGetInt64(out value);
        }

        return e.ValueKind == JsonValueKind.String &&
               long.TryParse(e.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
