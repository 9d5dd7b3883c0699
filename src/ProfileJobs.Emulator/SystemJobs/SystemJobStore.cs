using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using ProfileJobs.Emulator.Gateway;

namespace ProfileJobs.Emulator.SystemJobs;

/// <summary>All Profile system jobs, partitioned by (org, sandbox key). Thread-safe.</summary>
public sealed class SystemJobStore
{
    private readonly ConcurrentDictionary<(string Org, string Sandbox), SystemJobPartition> _partitions = new();

    public void Clear() => _partitions.Clear();

    internal SystemJobPartition? Partition(string org, string sandboxKey) =>
        _partitions.TryGetValue((org, sandboxKey), out SystemJobPartition? p) ? p : null;

    internal SystemJobPartition GetOrAddPartition(string org, string sandboxKey) =>
        _partitions.GetOrAdd((org, sandboxKey), static _ => new SystemJobPartition());

    /// <summary>Inserts the job unless an unfinished job targets the same dataset/batch; returns that job if so.</summary>
    public SystemJob? TryAdd(SystemJob job, DateTime now) =>
        GetOrAddPartition(job.OrgId, job.Sandbox.Key).TryAdd(job, now);

    public SystemJob? Find(string org, SandboxRef sandbox, string id) => Partition(org, sandbox.Key)?.Find(id);

    public bool Remove(string org, SandboxRef sandbox, string id) => Partition(org, sandbox.Key)?.Remove(id) ?? false;

    public void AddSeeded(string org, string sandboxKey, List<SystemJob> sortedJobs) =>
        GetOrAddPartition(org, sandboxKey).AddSeeded(sortedJobs);

    /// <summary>Every job in every partition, including deleted ones (control API).</summary>
    public IReadOnlyList<SystemJob> AllJobs()
    {
        var result = new List<SystemJob>();
        foreach (var pair in _partitions.OrderBy(p => p.Key.Org, StringComparer.Ordinal).ThenBy(p => p.Key.Sandbox, StringComparer.Ordinal))
        {
            result.AddRange(pair.Value.SnapshotAll());
        }

        return result;
    }

    public int LiveCount => _partitions.Values.Sum(p => p.Count);
}
