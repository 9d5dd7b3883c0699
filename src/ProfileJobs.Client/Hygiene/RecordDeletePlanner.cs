using System;
using System.Collections.Generic;
using System.Linq;

namespace ProfileJobs.Hygiene
{
    /// <summary>One identity as given: a parameter value or a pipeline row (for example from Import-Csv).</summary>
    internal sealed class RecordDeleteInput
    {
        public string? Key { get; set; }
        public string? Namespace { get; set; }
        public string? Value { get; set; }
        public string? Type { get; set; }

        /// <summary>1-based position in the input, for error messages.</summary>
        public int Row { get; set; }
    }

    /// <summary>
    /// A customer to delete: the identities that share a key. Kept compact, since a million of them are planned before
    /// the first request: a keyless customer's key is made only when asked for, and most customers have one row.
    /// </summary>
    internal sealed class RecordDeleteUser
    {
        private readonly string? _key;
        private readonly RecordDeleteInput _firstRow;
        private List<int>? _moreRows;

        public RecordDeleteUser(string? key, RecordDeleteInput firstRow)
        {
            _key = key;
            _firstRow = firstRow;
        }

        /// <summary>The key given, or for a keyless customer <c>namespace:value</c> of its row.</summary>
        public string Key => _key ?? $"{_firstRow.Namespace?.Trim()}:{_firstRow.Value}";

        public List<HygieneIdentity> Identities { get; } = new List<HygieneIdentity>(1);

        public IReadOnlyList<int> Rows
        {
            get
            {
                var rows = new List<int> { _firstRow.Row };
                if (_moreRows != null) rows.AddRange(_moreRows);
                return rows;
            }
        }

        internal void AddRow(int row)
        {
            if (row != _firstRow.Row) (_moreRows ??= new List<int>()).Add(row);
        }
    }

    /// <summary>Input that cannot be sent, and why; nothing of the user it names is submitted.</summary>
    internal sealed class RecordDeleteProblem
    {
        public RecordDeleteProblem(string errorId, string target, string message)
        {
            ErrorId = errorId;
            Target = target;
            Message = message;
        }

        public string ErrorId { get; }
        public string Target { get; }
        public string Message { get; }
    }

    /// <summary>The identities of one work order, grouped by namespace as the API wants them.</summary>
    internal sealed class WorkOrderBatch
    {
        public List<KeyValuePair<string, List<string>>> Namespaces { get; } = new List<KeyValuePair<string, List<string>>>();
        public int IdentityCount => Namespaces.Sum(n => n.Value.Count);
    }

    /// <summary>
    /// Turns raw input into what the APIs accept, before anything is sent: users of at most 9 identities and
    /// requests of at most 1,000 users for record-delete jobs; work orders of at most 100,000 identities.
    /// </summary>
    internal static class RecordDeletePlanner
    {
        public const int MaxIdentitiesPerUser = 9;
        public const int MaxUsersPerRequest = 1000;
        public const int MaxIdentitiesPerWorkOrder = 100_000;
        public const int MaxValueLength = 1024;

        /// <summary>The Privacy Service's namespace qualifiers, in their canonical spelling.</summary>
        public static readonly IReadOnlyList<string> IdentityTypes = new[]
        {
            "standard", "custom", "integrationCode", "namespaceId", "unregistered", "analytics", "target",
        };

        /// <summary>Standard namespaces and their numeric ids (Privacy Service appendix).</summary>
        public static readonly IReadOnlyDictionary<string, int> StandardNamespaces = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
        {
            ["email"] = 6, ["phone"] = 7, ["ECID"] = 4, ["CORE"] = 0, ["AdCloud"] = 411, ["TNTID"] = 9,
            ["IDFA"] = 20915, ["GAID"] = 20914, ["WAID"] = 8,
        };

        public static string DefaultType(string @namespace) => StandardNamespaces.ContainsKey(@namespace) ? "standard" : "custom";

        /// <summary>Groups rows into users (same key, one user; no key, a user of its own) and validates each user whole.</summary>
        public static List<RecordDeleteUser> PlanUsers(IEnumerable<RecordDeleteInput> rows, List<RecordDeleteProblem> problems)
        {
            var users = new List<RecordDeleteUser>();
            var byKey = new Dictionary<string, RecordDeleteUser>(StringComparer.Ordinal);
            var invalid = new Dictionary<RecordDeleteUser, List<string>>();
            foreach (var row in rows)
            {
                var key = string.IsNullOrWhiteSpace(row.Key) ? null : row.Key!.Trim();
                RecordDeleteUser user;
                if (key != null && byKey.TryGetValue(key, out var existing))
                {
                    user = existing;
                }
                else
                {
                    user = new RecordDeleteUser(key, row);
                    users.Add(user);
                    if (key != null) byKey[key] = user;
                }
                user.AddRow(row.Row);

                var problem = Validate(row, out var identity);
                if (problem != null)
                {
                    if (!invalid.TryGetValue(user, out var list)) invalid[user] = list = new List<string>();
                    list.Add(problem);
                }
                else if (!Contains(user.Identities, identity!))
                {
                    user.Identities.Add(identity!);
                }
            }

            var valid = new List<RecordDeleteUser>();
            foreach (var user in users)
            {
                // "Customer 'John Doe' (input rows 3, 4)"; a customer without a key is its one row: "Input row 7 (email:x@example.com)".
                var keyed = byKey.TryGetValue(user.Key, out var owner) && ReferenceEquals(owner, user);
                var userRows = user.Rows;
                var keyless = userRows[0].ToString(System.Globalization.CultureInfo.InvariantCulture);
                var named = !keyed && (user.Key.StartsWith(":", StringComparison.Ordinal) || user.Key.EndsWith(":", StringComparison.Ordinal)) ? null : user.Key;
                var who = keyed
                    ? $"Customer '{user.Key}' (input row{(userRows.Count == 1 ? "" : "s")} {RowList(userRows)})"
                    : named == null ? $"Input row {keyless}" : $"Input row {keyless} ({named})";
                var target = named ?? "row " + keyless;
                if (invalid.TryGetValue(user, out var reasons))
                {
                    problems.Add(new RecordDeleteProblem("InvalidIdentity", target,
                        $"{who} was not submitted: {string.Join("; ", reasons)}."));
                }
                else if (user.Identities.Count > MaxIdentitiesPerUser)
                {
                    problems.Add(new RecordDeleteProblem("TooManyIdentities", target,
                        $"{who} has {user.Identities.Count} identities; a record delete takes at most {MaxIdentitiesPerUser} per customer. Nothing of this customer was submitted."));
                }
                else
                {
                    valid.Add(user);
                }
            }
            return valid;
        }

        /// <summary>Validates rows for work orders (no per-user limit there) and packs them into orders of at most 100,000 identities.</summary>
        public static List<WorkOrderBatch> PlanWorkOrders(IEnumerable<RecordDeleteInput> rows, List<RecordDeleteProblem> problems, int maxPerOrder = MaxIdentitiesPerWorkOrder)
        {
            var byNamespace = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            var order = new List<string>();
            // One set of values per namespace: neither a namespace nor a value can hold a control character (Validate),
            // so this dedupes exactly as one set of "namespace\0value" keys would, without building a key per identity.
            var seenByNamespace = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            foreach (var row in rows)
            {
                var problem = Validate(row, out var identity);
                if (problem != null)
                {
                    var keyed = !string.IsNullOrWhiteSpace(row.Key);
                    var target = keyed ? row.Key!.Trim() : $"row {row.Row}";
                    var who = keyed ? $"Input row {row.Row} (customer '{target}')" : $"Input row {row.Row}";
                    problems.Add(new RecordDeleteProblem("InvalidIdentity", target, $"{who} was not submitted: {problem}."));
                    continue;
                }
                if (!seenByNamespace.TryGetValue(identity!.Namespace, out var seen))
                {
                    seenByNamespace[identity.Namespace] = seen = new HashSet<string>(StringComparer.Ordinal);
                }
                if (!seen.Add(identity.Value)) continue;
                if (!byNamespace.TryGetValue(identity.Namespace, out var ids))
                {
                    byNamespace[identity.Namespace] = ids = new List<string>();
                    order.Add(identity.Namespace);
                }
                ids.Add(identity.Value);
            }

            var batches = new List<WorkOrderBatch>();
            var current = new WorkOrderBatch();
            foreach (var ns in order)
            {
                var ids = byNamespace[ns];
                for (var offset = 0; offset < ids.Count;)
                {
                    var room = maxPerOrder - current.IdentityCount;
                    if (room == 0)
                    {
                        batches.Add(current);
                        current = new WorkOrderBatch();
                        room = maxPerOrder;
                    }
                    var take = Math.Min(room, ids.Count - offset);
                    current.Namespaces.Add(new KeyValuePair<string, List<string>>(ns, ids.GetRange(offset, take)));
                    offset += take;
                }
            }
            if (current.IdentityCount > 0) batches.Add(current);
            return batches;
        }

        public static IEnumerable<List<T>> Chunk<T>(IReadOnlyList<T> items, int size)
        {
            for (var i = 0; i < items.Count; i += size)
            {
                yield return items.Skip(i).Take(size).ToList();
            }
        }

        private static string? Validate(RecordDeleteInput row, out HygieneIdentity? identity)
        {
            identity = null;
            var ns = row.Namespace?.Trim();
            if (string.IsNullOrEmpty(ns)) return $"row {row.Row} has no namespace";
            if (HasControlCharacters(ns!)) return $"row {row.Row} has control characters in its namespace";
            var value = row.Value;
            if (string.IsNullOrWhiteSpace(value)) return $"row {row.Row} ({ns}) has an empty value";
            if (HasControlCharacters(value!)) return $"row {row.Row} ({ns}) has control characters in its value";
            if (value!.Length > MaxValueLength) return $"row {row.Row} ({ns}) has a value of {value.Length} characters; at most {MaxValueLength} are accepted";

            string type;
            if (string.IsNullOrWhiteSpace(row.Type))
            {
                type = DefaultType(ns!);
            }
            else
            {
                var known = IdentityTypes.FirstOrDefault(t => string.Equals(t, row.Type!.Trim(), StringComparison.OrdinalIgnoreCase));
                if (known == null) return $"row {row.Row} ({ns}) has the unknown identity type '{row.Type}'; use one of {string.Join(", ", IdentityTypes)}";
                type = known;
            }
            identity = new HygieneIdentity { Namespace = ns!, Value = value, Type = type };
            return null;
        }

        private static bool SameIdentity(HygieneIdentity a, HygieneIdentity b) =>
            string.Equals(a.Namespace, b.Namespace, StringComparison.Ordinal) && string.Equals(a.Value, b.Value, StringComparison.Ordinal);

        // Plain loops rather than LINQ: these run once or twice per input row, a million times for a large delete.
        private static bool HasControlCharacters(string text)
        {
            foreach (var c in text)
            {
                if (char.IsControl(c)) return true;
            }
            return false;
        }

        private static bool Contains(List<HygieneIdentity> identities, HygieneIdentity identity)
        {
            foreach (var existing in identities)
            {
                if (SameIdentity(existing, identity)) return true;
            }
            return false;
        }

        private static string RowList(IReadOnlyList<int> rows) =>
            rows.Count <= 5 ? string.Join(", ", rows) : string.Join(", ", rows.Take(5)) + $" and {rows.Count - 5} more";
    }
}
