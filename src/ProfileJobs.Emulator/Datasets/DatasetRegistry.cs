using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;

namespace ProfileJobs.Emulator.Datasets;

/// <summary>XDM data behaviour of a dataset: batches of record datasets cannot be deleted.</summary>
public enum DatasetBehavior
{
    TimeSeries,
    Record,
}

/// <summary>
/// What the emulator knows about a dataset. Unknown datasets are time-series, succeed, and have a primary identity.
/// <see cref="HasIdentity"/> false makes hygiene work orders on the dataset fail with 400; <see cref="Name"/> is the
/// <c>datasetName</c> reported by work orders.
/// </summary>
public sealed record DatasetInfo(
    string Id, DatasetBehavior Behavior, bool Fail, IReadOnlyList<string> Batches, bool HasIdentity = true, string? Name = null);

/// <summary>
/// Datasets with non-default behaviour (record, failing) and optional batch → dataset links, so that an azure
/// <c>{"batchId"}</c>-only delete can still be checked. Thread-safe.
/// </summary>
public sealed class DatasetRegistry
{
    private readonly ConcurrentDictionary<string, DatasetInfo> _datasets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _batchToDataset = new(StringComparer.Ordinal);
    private readonly EmulatorOptions _options;

    public DatasetRegistry(EmulatorOptions options)
    {
        _options = options;
        Reset();
    }

    public void Reset()
    {
        _datasets.Clear();
        _batchToDataset.Clear();
        foreach (string id in EmulatorOptions.BuiltInRecordDatasets.Concat(_options.RecordDatasets))
        {
            Upsert(new DatasetInfo(id, DatasetBehavior.Record, _options.FailDatasets.Contains(id), Array.Empty<string>()));
        }

        foreach (string id in _options.FailDatasets)
        {
            if (!_datasets.ContainsKey(id))
            {
                Upsert(new DatasetInfo(id, DatasetBehavior.TimeSeries, true, Array.Empty<string>()));
            }
        }
    }

    /// <summary>Registers or overwrites a dataset (control API).</summary>
    public void Upsert(DatasetInfo info)
    {
        if (_datasets.TryGetValue(info.Id, out DatasetInfo? previous))
        {
            foreach (string b in previous.Batches)
            {
                _batchToDataset.TryRemove(new KeyValuePair<string, string>(b, info.Id));
            }
        }

        _datasets[info.Id] = info;
        foreach (string b in info.Batches)
        {
            _batchToDataset[b] = info.Id;
        }
    }

    public DatasetInfo? Find(string datasetId) => _datasets.TryGetValue(datasetId, out DatasetInfo? d) ? d : null;

    public string? DatasetOfBatch(string batchId) => _batchToDataset.TryGetValue(batchId, out string? d) ? d : null;

    public bool IsRecord(string? datasetId) => datasetId != null && Find(datasetId)?.Behavior == DatasetBehavior.Record;

    public bool IsFailing(string? datasetId) => datasetId != null && Find(datasetId)?.Fail == true;

    public IReadOnlyList<DatasetInfo> All() => _datasets.Values.OrderBy(d => d.Id, StringComparer.Ordinal).ToList();
}
