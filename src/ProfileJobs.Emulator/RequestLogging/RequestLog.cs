using System;
using System.Collections.Generic;
using System.Threading;

namespace ProfileJobs.Emulator.RequestLogging;

/// <summary>One recorded request. Immutable once <see cref="Completed"/> is true.</summary>
public sealed class RequestLogEntry
{
    private volatile bool _completed;

    public long Seq { get; internal set; }

    public required string Method { get; init; }

    public required string Path { get; init; }

    public required string Query { get; init; }

    /// <summary>Header names lower-cased; repeated headers joined with ", ".</summary>
    public required KeyValuePair<string, string>[] Headers { get; init; }

    /// <summary>Body text as sent (UTF-8, capped at 64 KB; client_secret values masked). Null when there was none.</summary>
    public string? Body { get; init; }

    /// <summary>Length of the body in bytes as received (before capping).</summary>
    public long BodyBytes { get; init; }

    public bool BodyTruncated { get; init; }

    /// <summary>
    /// Lower-case hex SHA-256 of the <c>client_secret</c> value the request carried (form body or query, URL-decoded),
    /// or null when it carried none. The value itself is masked in <see cref="Body"/> and <see cref="Query"/>.
    /// </summary>
    public string? ClientSecretSha256 { get; init; }

    public DateTime ReceivedAt { get; init; }

    public int Status { get; private set; }

    public double DurationMs { get; private set; }

    /// <summary>The injected fault kind (<c>status</c>, <c>slow</c>, <c>drop-after</c>, ...), or null.</summary>
    public string? Fault { get; private set; }

    /// <summary>Response body bytes written by a <c>drip</c> or <c>endless-body</c> fault; null otherwise.</summary>
    public long? ResponseBytes { get; private set; }

    /// <summary>The connection was aborted before the response was complete (by the client or a drop fault).</summary>
    public bool Aborted { get; private set; }

    public bool Completed => _completed;

    internal void Complete(int status, double durationMs, string? fault = null, long? responseBytes = null, bool aborted = false)
    {
        Status = status;
        DurationMs = durationMs;
        Fault = fault;
        ResponseBytes = responseBytes;
        Aborted = aborted;
        _completed = true;
    }
}

/// <summary>
/// In-memory, bounded, thread-safe log of every non-control request, in arrival order.
/// Sequence numbers start at 1, never repeat (not even after a reset) and are assigned on arrival.
/// </summary>
public sealed class RequestLog
{
    public const int MaxBodyBytes = 64 * 1024;

    private readonly Lock _sync = new();
    private readonly List<RequestLogEntry> _entries = new();
    private readonly int _limit;
    private long _nextSeq = 1;
    private long _firstSeq = 1;

    public RequestLog(int limit)
    {
        _limit = limit;
    }

    public bool Enabled => _limit > 0;

    /// <summary>Appends an entry in arrival order and returns it; complete it when the response is known.</summary>
    public void Begin(RequestLogEntry entry)
    {
        lock (_sync)
        {
            entry.Seq = _nextSeq++;
            if (_entries.Count == 0)
            {
                _firstSeq = entry.Seq;
            }

            _entries.Add(entry);
            int slack = Math.Max(16, _limit / 8);
            if (_entries.Count > _limit + slack)
            {
                int drop = _entries.Count - _limit;
                _entries.RemoveRange(0, drop);
                _firstSeq += drop;
            }
        }
    }

    public static void Complete(RequestLogEntry entry, int status, double durationMs, string? fault = null, long? responseBytes = null, bool aborted = false) =>
        entry.Complete(status, durationMs, fault, responseBytes, aborted);

    /// <summary>
    /// Completed entries with <c>Seq &gt;= since</c>, stopping before the first one still in flight, and the value
    /// to pass as <c>since</c> next time.
    /// </summary>
    public (long Next, RequestLogEntry[] Entries) Read(long since)
    {
        lock (_sync)
        {
            int start = (int)Math.Clamp(since - _firstSeq, 0, _entries.Count);
            int end = start;
            while (end < _entries.Count && _entries[end].Completed)
            {
                end++;
            }

            long next = end < _entries.Count ? _entries[end].Seq : _nextSeq;
            if (since > next)
            {
                next = since;
            }

            return (next, _entries.GetRange(start, end - start).ToArray());
        }
    }

    public void Clear()
    {
        lock (_sync)
        {
            _entries.Clear();
            _firstSeq = _nextSeq;
        }
    }
}
