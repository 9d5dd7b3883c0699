using System;
using System.Globalization;
using System.Text.Json;

namespace ProfileJobs.Emulator.Infrastructure;

/// <summary>Timestamp formats used by the three contract generations.</summary>
public static class Timestamps
{
    /// <summary>ISO-8601 UTC with microseconds and Z, e.g. 2024-12-22T19:44:50.250006Z (Gen B/C).</summary>
    public const string IsoMicros = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    /// <summary>ISO-8601 UTC with milliseconds and Z, e.g. 2035-06-02T09:21:00.000Z (Data Hygiene work orders).</summary>
    public const string IsoMillis = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>Privacy Service dates, e.g. 10/02/2019 08:25 PM GMT (DOC-PJ).</summary>
    public const string PrivacyDate = "MM/dd/yyyy hh:mm tt 'GMT'";

    public static void WriteIsoMillis(Utf8JsonWriter w, string name, DateTime utc)
    {
        Span<char> buf = stackalloc char[32];
        utc.TryFormat(buf, out int n, IsoMillis, CultureInfo.InvariantCulture);
        w.WriteString(name, buf.Slice(0, n));
    }

    public static void WritePrivacyDate(Utf8JsonWriter w, string name, DateTime utc)
    {
        Span<char> buf = stackalloc char[32];
        utc.TryFormat(buf, out int n, PrivacyDate, CultureInfo.InvariantCulture);
        w.WriteString(name, buf.Slice(0, n));
    }

    public static void WriteIso(Utf8JsonWriter w, JsonEncodedText name, DateTime utc)
    {
        Span<char> buf = stackalloc char[32];
        utc.TryFormat(buf, out int n, IsoMicros, CultureInfo.InvariantCulture);
        w.WriteString(name, buf.Slice(0, n));
    }

    public static void WriteIso(Utf8JsonWriter w, string name, DateTime utc)
    {
        Span<char> buf = stackalloc char[32];
        utc.TryFormat(buf, out int n, IsoMicros, CultureInfo.InvariantCulture);
        w.WriteString(name, buf.Slice(0, n));
    }

    public static string Iso(DateTime utc) => utc.ToString(IsoMicros, CultureInfo.InvariantCulture);

    /// <summary>Epoch seconds (Gen A createEpoch/updateEpoch).</summary>
    public static long EpochSeconds(DateTime utc) => (utc.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond;

    /// <summary>Truncates to whole microseconds, the resolution Adobe renders.</summary>
    public static DateTime TruncateToMicros(DateTime utc) =>
        new(utc.Ticks - (utc.Ticks % 10), DateTimeKind.Utc);
}
