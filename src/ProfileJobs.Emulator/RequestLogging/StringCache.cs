using System;
using System.Collections.Concurrent;

namespace ProfileJobs.Emulator.RequestLogging;

/// <summary>
/// De-duplicates strings held by the request log: header names, and long header values such as the bearer token,
/// which would otherwise be stored once per request.
/// </summary>
internal static class StringCache
{
    private const int MaxEntries = 4096;
    private const int MinValueLength = 100;

    private static readonly ConcurrentDictionary<string, string> Names = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string> Values = new(StringComparer.Ordinal);

    public static string LowerName(string name)
    {
        if (Names.TryGetValue(name, out string? lower))
        {
            return lower;
        }

        lower = name.ToLowerInvariant();
        if (Names.Count < MaxEntries)
        {
            Names.TryAdd(name, lower);
        }

        return lower;
    }

    public static string Value(string value)
    {
        if (value.Length < MinValueLength)
        {
            return value;
        }

        if (Values.TryGetValue(value, out string? cached))
        {
            return cached;
        }

        if (Values.Count >= MaxEntries)
        {
            Values.Clear();
        }

        return Values.GetOrAdd(value, value);
    }
}
