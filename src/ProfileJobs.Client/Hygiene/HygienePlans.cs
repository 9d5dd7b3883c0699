using System;
using System.Collections.Generic;
using System.Linq;

namespace ProfileJobs.Hygiene
{
    /// <summary>One sealed request of record-delete jobs: at most 1,000 validated customers, numbered in input order.</summary>
    internal sealed class RecordDeleteRequest
    {
        public RecordDeleteRequest(int index, IReadOnlyList<RecordDeleteUser> users)
        {
            Index = index;
            Users = users;
        }

        public int Index { get; }
        public IReadOnlyList<RecordDeleteUser> Users { get; }

        public int IdentityCount => Users.Sum(u => u.Identities.Count);

        /// <summary>The request as messages name it: "request 2 with 1,000 customers (a, b, ...)".</summary>
        public string Describe() =>
            $"request {Index + 1} with {Counts.Of(Users.Count, "customer")} ({Counts.List(Users.Select(u => u.Key))})";

        public string[] Keys => Users.Select(u => u.Key).ToArray();
    }

    /// <summary>One sealed work order: at most 100,000 validated identities, numbered in input order.</summary>
    internal sealed class WorkOrderRequest
    {
        public WorkOrderRequest(int index, WorkOrderBatch batch, bool partOfMany)
        {
            Index = index;
            Batch = batch;
            PartOfMany = partOfMany;
        }

        public int Index { get; }
        public WorkOrderBatch Batch { get; }

        /// <summary>Whether the submission has more than one order; known when the order is sealed (the next identity did not fit).</summary>
        public bool PartOfMany { get; }
    }

    /// <summary>What every work order of one submission shares: the dataset, the description and the display name they are named from.</summary>
    internal sealed class WorkOrderSubmission
    {
        public WorkOrderSubmission(string datasetId, string? displayName, string? description)
        {
            DatasetId = datasetId;
            Description = description;
            // Display names are how a lost answer is looked up again, so each order gets its own: the submission's
            // marker, random and unique to it, after the order's place in it.
            BaseName = displayName ?? $"ProfileJobs record delete {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss}Z";
            Marker = "[pj-" + Guid.NewGuid().ToString("N").Substring(0, 16) + "]";
        }

        public string DatasetId { get; }
        public string? Description { get; }
        private string BaseName { get; }

        /// <summary>The token every display name of this submission ends with, and nothing else's does.</summary>
        public string Marker { get; }

        /// <summary>
        /// "name [pj-…]" for a submission of one order; "name (part 2) [pj-…]" when there are several. Orders are
        /// sent while the input is still read, so how many there will be is not known when the first one goes.
        /// </summary>
        public string NameOf(WorkOrderRequest order) => (order.PartOfMany ? $"{BaseName} (part {order.Index + 1})" : BaseName) + " " + Marker;

        /// <summary>The order as messages name it: "work order 1 ('name (part 1)') with 100000 identities (100000 email)".</summary>
        public string Describe(WorkOrderRequest order) =>
            $"work order {order.Index + 1} ('{NameOf(order)}') with {order.Batch.IdentityCount} identities ({string.Join(", ", order.Batch.Namespaces.Select(n => $"{n.Value.Count} {n.Key}"))})";
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
