using System;
using System.Collections.Generic;
using System.Globalization;
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
}

/// <summary>One fault-injection rule, as posted to <c>/__emulator/faults</c> or loaded with <c>--faults</c>. Immutable.</summary>
public sealed record FaultRule
{
    /// <summary>Upper-case HTTP method, or <c>*</c> for any.</summary>
    public string Method { get; init; } = "*";

    /// <summary>Case-insensitive prefix of the request path; <c>/</c> matches every /data and /ims route.</summary>
    public string Path { get; init; } = "/";

    public FaultKind Kind { get; init; }

    /// <summary>Status code for <see cref="FaultKind.Status"/>; 0 otherwise.</summary>
    public int Status { get; init; }

    /// <summary>Raw <c>Retry-After</c> header value (status faults only); null = no header.</summary>
    public string? RetryAfter { get; init; }

    /// <summary>When set (status faults only), the body is the Profile-style throttling body carrying this value.</summary>
    public long? RetryAfterMs { get; init; }

    /// <summary>Delay for <see cref="FaultKind.Slow"/>.</summary>
    public int DelayMs { get; init; }

    /// <summary>Chance that an eligible request is faulted, 0..1.</summary>
    public double Probability { get; init; } = 1.0;

    /// <summary>Fire at most this many times; null = unlimited.</summary>
    public long? Count { get; init; }

    /// <summary>Let this many matching requests pass before the rule can fire.</summary>
    public long Skip { get; init; }

    public static string KindName(FaultKind kind) => kind switch
    {
        FaultKind.Status => "status",
        FaultKind.Slow => "slow",
        FaultKind.DropAfter => "drop-after",
        FaultKind.DropBefore => "drop-before",
        _ => "malformed",
    };
}

/// <summary>Parses and validates fault rules (a JSON array, or <c>{"faults":[...]}</c>, or one rule object).</summary>
public static class FaultRuleParser
{
    public const int MaxDelayMs = 600_000;

    private static readonly HashSet<string> Methods = new(StringComparer.Ordinal)
    {
        "*", "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS",
    };

    private static readonly HashSet<string> KnownFields = new(StringComparer.Ordinal)
    {
        "method", "path", "fault", "status", "retryAfter", "retryAfterMs", "delayMs", "probability", "count", "skip",
    };

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
                error = $"{at}: unknown field '{p.Name}' (known: method, path, fault, status, retryAfter, retryAfterMs, delayMs, probability, count, skip)";
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
            error = $"{at}: fault is required: status, slow, drop-after, drop-before or malformed";
            return null;
        }

        FaultKind kind;
        switch (f.GetString()!.Trim().ToLowerInvariant())
        {
            case "status": kind = FaultKind.Status; break;
            case "slow": kind = FaultKind.Slow; break;
            case "drop-after": kind = FaultKind.DropAfter; break;
            case "drop-before": kind = FaultKind.DropBefore; break;
            case "malformed": kind = FaultKind.Malformed; break;
            default:
                error = $"{at}: fault '{f.GetString()}' is not one of status, slow, drop-after, drop-before, malformed";
                return null;
        }

        int status = 0;
        string? retryAfter = null;
        long? retryAfterMs = null;
        bool hasStatus = Present(e, "status", out JsonElement s);
        bool hasRetryAfter = Present(e, "retryAfter", out JsonElement ra);
        bool hasRetryAfterMs = Present(e, "retryAfterMs", out JsonElement ram);
        if (kind == FaultKind.Status)
        {
            if (!hasStatus || !TryLong(s, out long sv) || sv < 400 || sv > 599)
            {
                error = $"{at}: a status fault needs \"status\" between 400 and 599 (e.g. 429, 500, 502, 503, 504)";
                return null;
            }

            status = (int)sv;
            if (hasRetryAfter)
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

            if (hasRetryAfterMs)
            {
                if (!TryLong(ram, out long v) || v < 0)
                {
                    error = $"{at}: retryAfterMs must be a non-negative integer";
                    return null;
                }

                retryAfterMs = v;
            }
        }
        else if (hasStatus || hasRetryAfter || hasRetryAfterMs)
        {
            error = $"{at}: status, retryAfter and retryAfterMs apply only to fault \"status\"";
            return null;
        }

        int delayMs = 0;
        bool hasDelay = Present(e, "delayMs", out JsonElement d);
        if (kind == FaultKind.Slow)
        {
            if (!hasDelay || !TryLong(d, out long dv) || dv < 0 || dv > MaxDelayMs)
            {
                error = $"{at}: a slow fault needs \"delayMs\" between 0 and {MaxDelayMs}";
                return null;
            }

            delayMs = (int)dv;
        }
        else if (hasDelay)
        {
            error = $"{at}: delayMs applies only to fault \"slow\"";
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

        return new FaultRule
        {
            Method = method,
            Path = path,
            Kind = kind,
            Status = status,
            RetryAfter = retryAfter,
            RetryAfterMs = retryAfterMs,
            DelayMs = delayMs,
            Probability = probability,
            Count = count,
            Skip = skip,
        };
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
