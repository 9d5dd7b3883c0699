using System;
using System.Collections.Generic;
using System.Threading;

namespace ProfileJobs.Emulator.SystemJobs;

/// <summary>
/// Jobs of one (org, sandbox). <see cref="_live"/> is kept sorted by (createdAt, id) so pages are index slices;
/// <see cref="_byId"/> indexes it; <see cref="_all"/> also keeps deleted jobs (for the control API).
/// All members take the lock; nothing does I/O while holding it.
/// </summary>
internal sealed class SystemJobPartition
{
    public static readonly Comparison<SystemJob> CreationOrder = static (a, b) =>
    {
        int c = a.CreatedAt.CompareTo(b.CreatedAt);
        return c != 0 ? c : string.CompareOrdinal(a.Id, b.Id);
    };

    private static readonly Comparer<SystemJob> CreationComparer = Comparer<SystemJob>.Create(CreationOrder);

    private readonly Lock _sync = new();
    private readonly List<SystemJob> _live = new();
    private readonly List<SystemJob> _all = new();
    private readonly Dictionary<string, SystemJob> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SystemJob> _latestByTarget = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            lock (_sync)
            {
                return _live.Count;
            }
        }
    }

    /// <summary>Adds pre-sorted seed jobs (bulk, no duplicate check).</summary>
    public void AddSeeded(List<SystemJob> sortedJobs)
    {
        lock (_sync)
        {
            foreach (SystemJob job in sortedJobs)
            {
                Insert(job);
            }
        }
    }

    /// <summary>
    /// Atomically checks for an active job on the same target and inserts <paramref name="job"/> if there is none.
    /// Returns the blocking job, or null when inserted.
    /// </summary>
    public SystemJob? TryAdd(SystemJob job, DateTime now)
    {
        lock (_sync)
        {
            if (_latestByTarget.TryGetValue(job.TargetKey, out SystemJob? existing) &&
                !existing.Deleted && !existing.Observe(now).IsFinal)
            {
                return existing;
            }

            Insert(job);
            return null;
        }
    }

    public SystemJob? Find(string id)
    {
        lock (_sync)
        {
            return _byId.TryGetValue(id, out SystemJob? job) ? job : null;
        }
    }

    public bool Remove(string id)
    {
        lock (_sync)
        {
            if (!_byId.Remove(id, out SystemJob? job))
            {
                return false;
            }

            int index = _live.BinarySearch(job, CreationComparer);
            if (index >= 0)
            {
                _live.RemoveAt(index);
            }

            job.MarkDeleted();
            return true;
        }
    }

    /// <summary>Copies <paramref name="count"/> live jobs starting at <paramref name="offset"/> in the given order.</summary>
    public SystemJob[] Slice(long offset, int count, bool descending, out int total)
    {
        lock (_sync)
        {
            total = _live.Count;
            if (offset >= total || count <= 0)
            {
                return Array.Empty<SystemJob>();
            }

            int start = (int)offset;
            int n = Math.Min(count, total - start);
            var result = new SystemJob[n];
            if (descending)
            {
                for (int i = 0; i < n; i++)
                {
                    result[i] = _live[total - 1 - start - i];
                }
            }
            else
            {
                _live.CopyTo(start, result, 0, n);
            }

            return result;
        }
    }

    public SystemJob[] SnapshotLive()
    {
        lock (_sync)
        {
            return _live.ToArray();
        }
    }

    public SystemJob[] SnapshotAll()
    {
        lock (_sync)
        {
            return _all.ToArray();
        }
    }

    private void Insert(SystemJob job)
    {
        // Nearly always appended at the end; the binary search keeps the order right if the clock went backwards.
        int index = _live.Count;
        if (index > 0 && CreationOrder(_live[index - 1], job) > 0)
        {
            index = _live.BinarySearch(job, CreationComparer);
            if (index < 0)
            {
                index = ~index;
            }
        }

        _live.Insert(index, job);
        _all.Add(job);
        _byId[job.Id] = job;
        _latestByTarget[job.TargetKey] = job;
    }
}
