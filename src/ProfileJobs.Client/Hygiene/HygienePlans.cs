using System;
using System.Collections.Generic;
using System.Linq;

namespace ProfileJobs.Hygiene
{
    /// <summary>Validated customers of a record delete, split into requests of at most 1,000: what will be sent, before anything is.</summary>
    internal sealed class RecordDeletePlan
    {
        public RecordDeletePlan(IReadOnlyList<RecordDeleteUser> users, string orgId)
        {
            Users = users;
            Requests = RecordDeletePlanner.Chunk(users, RecordDeletePlanner.MaxUsersPerRequest).ToList();
            IdentityCount = users.Sum(u => u.Identities.Count);
            Target = $"{Counts.Of(users.Count, "customer")} with {Counts.Of(IdentityCount, "identity", "identities")} in {Counts.Of(Requests.Count, "request")} to /data/core/privacy/jobs (org {orgId})";
        }

        public IReadOnlyList<RecordDeleteUser> Users { get; }
        public IReadOnlyList<List<RecordDeleteUser>> Requests { get; }
        public int IdentityCount { get; }

        /// <summary>What the whole delete does, for the confirmation.</summary>
        public string Target { get; }

        /// <summary>Request <paramref name="index"/> as messages name it: "request 2 of 4 with 1,000 customers (a, b, ...)".</summary>
        public string Describe(int index) =>
            $"request {index + 1} of {Requests.Count} with {Counts.Of(Requests[index].Count, "customer")} ({Counts.List(Requests[index].Select(u => u.Key))})";

        public string[] KeysOf(int index) => Requests[index].Select(u => u.Key).ToArray();
    }

    /// <summary>Validated identities of a delete by work orders, packed into orders of at most 100,000, each with its own display name.</summary>
    internal sealed class WorkOrderPlan
    {
        public WorkOrderPlan(string datasetId, string? displayName, string? description, IReadOnlyList<WorkOrderBatch> orders, string sandbox, string orgId)
        {
            DatasetId = datasetId;
            Description = description;
            Orders = orders;
            IdentityCount = orders.Sum(o => o.IdentityCount);
            // Display names are how a lost answer is looked up again, so each order gets its own: the submission's
            // marker, random and unique to it, then the order's place in it.
            BaseName = displayName ?? $"ProfileJobs record delete {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss}Z";
            Marker = "[pj-" + Guid.NewGuid().ToString("N").Substring(0, 16) + "]";
            Target = $"{Counts.Of(IdentityCount, "identity", "identities")} in {Counts.Of(orders.Count, "work order")} for dataset {datasetId} (sandbox {sandbox}, org {orgId})";
        }

        public string DatasetId { get; }
        public string? Description { get; }
        public IReadOnlyList<WorkOrderBatch> Orders { get; }
        public int IdentityCount { get; }
        public string Target { get; }
        private string BaseName { get; }

        /// <summary>The token every display name of this submission ends with, and nothing else's does.</summary>
        public string Marker { get; }

        public string NameOf(int index) => (Orders.Count == 1 ? BaseName : $"{BaseName} ({index + 1} of {Orders.Count})") + " " + Marker;

        /// <summary>Order <paramref name="index"/> as messages name it: "work order 1 of 2 ('name') with 100000 identities (100000 email)".</summary>
        public string Describe(int index) =>
            $"work order {index + 1} of {Orders.Count} ('{NameOf(index)}') with {Orders[index].IdentityCount} identities ({string.Join(", ", Orders[index].Namespaces.Select(n => $"{n.Value.Count} {n.Key}"))})";
    }

    internal static class Counts
    {
        public static string Of(long n, string singular, string? plural = null) => $"{n:N0} {(n == 1 ? singular : plural ?? singular + "s")}";

        /// <summary>The first five, then how many more.</summary>
        public static string List(IEnumerable<string> items)
        {
            var list = items.Take(6).ToList();
            if (list.Count <= 5) return string.Join(", ", list);
            var total = items.Count();
            return string.Join(", ", list.Take(5)) + $" and {total - 5} more";
        }
    }
}
