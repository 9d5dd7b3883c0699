using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;

namespace ProfileJobs.Emulator.Privacy;

/// <summary>All privacy jobs (org-scoped, no sandbox), in creation order. Thread-safe; no I/O under the lock.</summary>
public sealed class PrivacyJobStore
{
    private readonly Lock _sync = new();
    private readonly List<PrivacyJob> _all = new();
    private readonly Dictionary<string, PrivacyJob> _byId = new(StringComparer.OrdinalIgnoreCase);
    private long _requestSeq;

    public int Count
    {
        get
        {
            lock (_sync)
            {
                return _all.Count;
            }
        }
    }

    /// <summary>A Privacy Service style request id: 13-digit epoch ms + 4-digit sequence, <c>RX-</c>, 3 digits.</summary>
    public string NextRequestId(DateTime utcNow)
    {
        long ms = Math.Max(0, (utcNow.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond) % 10_000_000_000_000;
        long seq = Interlocked.Increment(ref _requestSeq) % 10_000;
        int suffix = Random.Shared.Next(0, 1000);
        return ms.ToString("D13", CultureInfo.InvariantCulture) + seq.ToString("D4", CultureInfo.InvariantCulture) + "RX-" +
               suffix.ToString("D3", CultureInfo.InvariantCulture);
    }

    public void AddRange(IReadOnlyList<PrivacyJob> jobs)
    {
        lock (_sync)
        {
            foreach (PrivacyJob job in jobs)
            {
                _all.Add(job);
                _byId[job.JobId] = job;
            }
        }
    }

    /// <summary>The job with this id in this org, or null.</summary>
    public PrivacyJob? Find(string org, string jobId)
    {
        lock (_sync)
        {
            return _byId.TryGetValue(jobId, out PrivacyJob? job) && string.Equals(job.OrgId, org, StringComparison.Ordinal) ? job : null;
        }
    }

    /// <summary>Jobs of one org matching <paramref name="filter"/>, in creation order.</summary>
    public List<PrivacyJob> Select(string org, Func<PrivacyJob, bool> filter)
    {
        var result = new List<PrivacyJob>();
        lock (_sync)
        {
            foreach (PrivacyJob job in _all)
            {
                if (string.Equals(job.OrgId, org, StringComparison.Ordinal) && filter(job))
                {
                    result.Add(job);
                }
            }
        }

        return result;
    }

    /// <summary>Every job of every org (control API).</summary>
    public PrivacyJob[] All()
    {
        lock (_sync)
        {
            return _all.ToArray();
        }
    }

    public void Clear()
    {
        lock (_sync)
        {
            _all.Clear();
            _byId.Clear();
        }
    }
}
