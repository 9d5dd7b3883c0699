using System;
using System.Collections.Generic;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace ProfileJobs.Completion
{
    /// <summary>
    /// What the completers may offer in one runspace: sandbox names seen by Connect-ExperiencePlatform and the jobs of
    /// the most recent Get-ProfileSystemJob listing. Per runspace (as the default context is), bounded, thread-safe, and
    /// made of strings only: no client type, and nothing that ever needs the network to read.
    /// </summary>
    internal sealed class CompletionState
    {
        internal const int MaxSandboxes = 100;
        internal const int MaxJobs = 1000;

        private static readonly ConditionalWeakTable<Runspace, CompletionState> States = new ConditionalWeakTable<Runspace, CompletionState>();

        private readonly object _gate = new object();
        private readonly List<string> _sandboxes = new List<string>();
        private JobListing? _lastListing;

        /// <summary>The state of the runspace the calling thread runs (a pipeline thread); null on other threads.</summary>
        public static CompletionState? Current
        {
            get
            {
                var runspace = Runspace.DefaultRunspace;
                return runspace == null ? null : States.GetValue(runspace, _ => new CompletionState());
            }
        }

        public void RecordSandbox(string? name)
        {
            if (string.IsNullOrWhiteSpace(name)) return;
            lock (_gate)
            {
                var existing = _sandboxes.FindIndex(s => string.Equals(s, name, StringComparison.OrdinalIgnoreCase));
                if (existing >= 0) _sandboxes.RemoveAt(existing);
                _sandboxes.Add(name!);
                if (_sandboxes.Count > MaxSandboxes) _sandboxes.RemoveAt(0);
            }
        }

        public IReadOnlyList<string> Sandboxes()
        {
            lock (_gate) return _sandboxes.ToArray();
        }

        /// <summary>Starts recording a listing. It replaces the previous one when it records its first job, so a listing
        /// that failed or matched nothing leaves the last useful one in place.</summary>
        public JobListing BeginListing() => new JobListing(this);

        public IReadOnlyList<JobEntry> Jobs()
        {
            JobListing? listing;
            lock (_gate) listing = _lastListing;
            return listing?.Snapshot() ?? (IReadOnlyList<JobEntry>)Array.Empty<JobEntry>();
        }

        internal void Publish(JobListing listing)
        {
            lock (_gate) _lastListing = listing;
        }
    }

    /// <summary>One listing's jobs, in the order written; the newest <see cref="CompletionState.MaxJobs"/> are kept.
    /// Written from worker threads while the listing runs.</summary>
    internal sealed class JobListing
    {
        private readonly CompletionState _owner;
        private readonly object _gate = new object();
        private readonly Dictionary<string, JobEntry> _byId = new Dictionary<string, JobEntry>(StringComparer.OrdinalIgnoreCase);
        private readonly Queue<string> _order = new Queue<string>();
        private bool _published;

        internal JobListing(CompletionState owner) => _owner = owner;

        public void Add(string? id, string? status, string? type, string? datasetId)
        {
            if (string.IsNullOrEmpty(id)) return;
            var publish = false;
            lock (_gate)
            {
                if (!_byId.ContainsKey(id!)) _order.Enqueue(id!);
                _byId[id!] = new JobEntry(id!, status, type, datasetId);
                while (_order.Count > CompletionState.MaxJobs) _byId.Remove(_order.Dequeue());
                if (!_published) publish = _published = true;
            }
            if (publish) _owner.Publish(this);
        }

        public IReadOnlyList<JobEntry> Snapshot()
        {
            lock (_gate)
            {
                var jobs = new List<JobEntry>(_order.Count);
                foreach (var id in _order) jobs.Add(_byId[id]);
                return jobs;
            }
        }
    }

    internal sealed class JobEntry
    {
        public JobEntry(string id, string? status, string? type, string? datasetId)
        {
            Id = id;
            Status = status;
            Type = type;
            DatasetId = datasetId;
        }

        public string Id { get; }
        public string? Status { get; }
        public string? Type { get; }
        public string? DatasetId { get; }
    }
}
