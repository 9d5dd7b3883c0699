using System;
using System.Collections.Generic;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace ProfileJobs.Completion
{
    /// <summary>What a listing recorded for completion: the objects the id parameters complete to.</summary>
    internal enum Listed
    {
        /// <summary>Profile system jobs, per sandbox (Get-ProfileSystemJob).</summary>
        SystemJobs,

        /// <summary>Record-delete jobs, per organization: the privacy API has no sandboxes (New-HygieneRecordDelete).</summary>
        RecordDeletes,

        /// <summary>Work orders, per sandbox (Get-HygieneRecordDelete, New-HygieneRecordDelete -DatasetId).</summary>
        WorkOrders,
    }

    /// <summary>
    /// What the completers may offer in one runspace: sandbox names seen by Connect-ExperiencePlatform, and the objects
    /// of the most recent listing of each kind on each connection (platform, organization and sandbox), so ids listed
    /// in one sandbox are never offered to a command that runs in another. Per runspace (as the default context is),
    /// bounded (at most 1,000 objects per listing), thread-safe, and holding only the objects a command wrote: nothing that ever needs the network to read.
    /// </summary>
    internal sealed class CompletionState
    {
        internal const int MaxSandboxes = 100;
        internal const int MaxJobs = 1000;

        /// <summary>Listings kept per runspace, over all kinds and connections; the least recently written go first.</summary>
        internal const int MaxListings = 30;

        private static readonly ConditionalWeakTable<Runspace, CompletionState> States = new ConditionalWeakTable<Runspace, CompletionState>();

        private readonly object _gate = new object();
        private readonly List<string> _sandboxes = new List<string>();
        private readonly Dictionary<string, Listing> _listings = new Dictionary<string, Listing>(StringComparer.Ordinal);
        private readonly List<string> _recent = new List<string>();

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

        /// <summary>Starts recording a listing made on <paramref name="context"/>. It replaces the previous one of its kind
        /// on that connection when it records its first object, so a listing that failed or matched nothing leaves the
        /// last useful one in place.</summary>
        public Listing BeginListing(ExperiencePlatformContext context, Listed kind) => new Listing(this, Key(kind, Scope(context, kind)));

        /// <summary>The objects of the last listing of <paramref name="kind"/> on <paramref name="context"/>, in the order written.</summary>
        public IReadOnlyList<ListedItem> Items(ExperiencePlatformContext context, Listed kind)
        {
            Listing? listing;
            lock (_gate) _listings.TryGetValue(Key(kind, Scope(context, kind)), out listing);
            return listing?.Snapshot() ?? (IReadOnlyList<ListedItem>)Array.Empty<ListedItem>();
        }

        internal void Publish(string key, Listing listing)
        {
            lock (_gate)
            {
                _listings[key] = listing;
                _recent.Remove(key);
                _recent.Add(key);
                while (_recent.Count > MaxListings)
                {
                    _listings.Remove(_recent[0]);
                    _recent.RemoveAt(0);
                }
            }
        }

        /// <summary>Which connection a listing belongs to: the platform and organization, and the sandbox for the APIs that have sandboxes.</summary>
        private static string Scope(ExperiencePlatformContext context, Listed kind)
        {
            var organization = context.PlatformUri.AbsoluteUri + "\n" + context.OrgId;
            if (kind == Listed.RecordDeletes) return organization;
            return organization + "\n" + (context.SandboxName ?? "").ToLowerInvariant() + "\n" + (context.SandboxId ?? "").ToLowerInvariant();
        }

        private static string Key(Listed kind, string scope) => kind + "\n" + scope;
    }

    /// <summary>One listing's objects, in the order written; the newest <see cref="CompletionState.MaxJobs"/> are kept.
    /// Written from worker threads while the listing runs. A bulk delete writes a million jobs through it, so adding one
    /// only keeps the object: its <see cref="ListedItem"/> and tool tip are made when a completer asks (<see cref="Snapshot"/>).</summary>
    internal sealed class Listing
    {
        private readonly CompletionState _owner;
        private readonly string _key;
        private readonly object _gate = new object();
        private readonly Dictionary<string, object> _byId = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
        private readonly Queue<string> _order = new Queue<string>();
        private bool _published;

        internal Listing(CompletionState owner, string key)
        {
            _owner = owner;
            _key = key;
        }

        public void Add(ProfileSystemJob job) => Add(new[] { job });

        public void Add(HygieneRecordDelete job) => Add(new[] { job });

        public void Add(HygieneWorkOrder order) => Add(new[] { order });

        public void Add(IReadOnlyList<ProfileSystemJob> jobs) => Add(jobs, job => job.Id);

        public void Add(IReadOnlyList<HygieneRecordDelete> jobs) => Add(jobs, job => job.JobId);

        public void Add(IReadOnlyList<HygieneWorkOrder> orders) => Add(orders, order => order.WorkOrderId);

        /// <summary>A page of objects under one lock, keeping the newest <see cref="CompletionState.MaxJobs"/> ids (a listing of 100,000 keeps 1,000).</summary>
        private void Add<T>(IReadOnlyList<T> items, Func<T, string?> idOf) where T : class
        {
            var publish = false;
            lock (_gate)
            {
                foreach (var item in items)
                {
                    var id = idOf(item);
                    if (string.IsNullOrEmpty(id)) continue;
                    if (!_byId.ContainsKey(id!)) _order.Enqueue(id!);
                    _byId[id!] = item;
                    while (_order.Count > CompletionState.MaxJobs) _byId.Remove(_order.Dequeue());
                    if (!_published) publish = _published = true;
                }
            }
            if (publish) _owner.Publish(_key, this);
        }

        public IReadOnlyList<ListedItem> Snapshot()
        {
            List<KeyValuePair<string, object>> sources;
            lock (_gate)
            {
                sources = new List<KeyValuePair<string, object>>(_order.Count);
                foreach (var id in _order) sources.Add(new KeyValuePair<string, object>(id, _byId[id]));
            }
            return sources.ConvertAll(source => ItemOf(source.Key, source.Value));
        }

        /// <summary>What a completer shows for an object, from the object as it is now.</summary>
        private static ListedItem ItemOf(string id, object source)
        {
            switch (source)
            {
                case ProfileSystemJob job:
                    return new ListedItem(id, job.DatasetId, job.BatchId, Describe(job.Id, job.Status, job.Type, Dataset(job.DatasetId), Batch(job.BatchId)));
                case HygieneRecordDelete job:
                    return new ListedItem(id, null, null, Describe(job.JobId, job.Status.Length > 0 ? job.Status : job.State.ToString(), "customer " + job.UserKey));
                case HygieneWorkOrder order:
                    return new ListedItem(id, order.DatasetId, null,
                        Describe(order.WorkOrderId, order.Status, Dataset(order.DatasetId), order.IdentityCount + " identities", order.DisplayName));
                default:
                    return new ListedItem(id, null, null, id);
            }
        }

        private static string? Dataset(string? id) => string.IsNullOrEmpty(id) ? null : "dataset " + id;

        private static string? Batch(string? id) => string.IsNullOrEmpty(id) ? null : "batch " + id;

        private static string Describe(params string?[] parts) =>
            string.Join("  ", Array.FindAll(parts, p => !string.IsNullOrWhiteSpace(p)));
    }

    internal sealed class ListedItem
    {
        public ListedItem(string id, string? datasetId, string? batchId, string toolTip)
        {
            Id = id;
            DatasetId = datasetId;
            BatchId = batchId;
            ToolTip = toolTip;
        }

        public string Id { get; }
        public string? DatasetId { get; }
        public string? BatchId { get; }
        public string ToolTip { get; }
    }
}
