using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace ProfileJobs.Hygiene
{
    /// <summary>One identity as given: a parameter value or a pipeline row (for example from Import-Csv). The streams read
    /// it and keep nothing of the object itself, so a caller may reuse one for every row.</summary>
    internal sealed class RecordDeleteInput
    {
        public string? Key { get; set; }
        public string? Namespace { get; set; }
        public string? Value { get; set; }
        public string? Type { get; set; }

        /// <summary>1-based position in the input, for error messages.</summary>
        public long Row { get; set; }
    }

    /// <summary>
    /// A customer to delete: the identities that share a key, or a keyless row. Only the customers of the request
    /// being built exist at a time, and each keeps at most what its messages name: its first rows and their count,
    /// its identities up to one over the limit, its first reasons to be refused.
    /// </summary>
    internal sealed class RecordDeleteUser
    {
        private const int RowsNamed = 5;
        private const int ReasonsKept = 5;
        private readonly List<long> _rows = new List<long>(1);
        private List<string>? _reasons;
        private int _moreReasons;

        public RecordDeleteUser(string key, bool keyed, Hash128 hash)
        {
            Key = key;
            Keyed = keyed;
            Hash = hash;
        }

        /// <summary>What is remembered of the customer once its request is sealed: the hash of its key ('K') or, keyless, of its identity ('I').</summary>
        internal Hash128 Hash { get; }

        /// <summary>The key given, or for a keyless customer <c>namespace:value</c> of its row.</summary>
        public string Key { get; }

        public bool Keyed { get; }

        public List<HygieneIdentity> Identities { get; } = new List<HygieneIdentity>(1);

        /// <summary>Distinct identities seen, which can be more than <see cref="Identities"/> keeps.</summary>
        public int IdentityCount { get; private set; }

        /// <summary>The first rows of the customer (see <see cref="RowCount"/>).</summary>
        public IReadOnlyList<long> Rows => _rows;

        public long RowCount { get; private set; }

        public bool Refused => _reasons != null;

        public bool TooMany => IdentityCount > RecordDeletePlanner.MaxIdentitiesPerUser;

        internal void AddRow(long row)
        {
            RowCount++;
            if (_rows.Count < RowsNamed + 1) _rows.Add(row);
        }

        internal void AddIdentity(HygieneIdentity identity)
        {
            if (Refused || Contains(Identities, identity)) return;
            IdentityCount++;
            // One over the limit is enough to know it is too many; the rest are counted, not kept.
            if (Identities.Count <= RecordDeletePlanner.MaxIdentitiesPerUser) Identities.Add(identity);
        }

        internal void Refuse(string reason)
        {
            _reasons ??= new List<string>();
            if (_reasons.Count < ReasonsKept) _reasons.Add(reason);
            else _moreReasons++;
            Identities.Clear();
        }

        internal string Reasons => string.Join("; ", _reasons ?? new List<string>()) + (_moreReasons > 0 ? $"; and {_moreReasons} more" : "");

        /// <summary>What a problem of the customer names as its target: its key, or its first row ("row 7").</summary>
        internal string Target => Keyed ? Key : "row " + _rows[0].ToString(CultureInfo.InvariantCulture);

        /// <summary>"Customer 'John Doe' (input rows 3, 4)"; a keyless customer is its first row: "Input row 7 (email:x@example.com)".</summary>
        internal string Who =>
            Keyed
                ? $"Customer '{Key}' (input row{(RowCount == 1 ? "" : "s")} {RecordDeletePlanner.RowList(_rows, RowCount)})"
                : $"Input row {_rows[0].ToString(CultureInfo.InvariantCulture)} ({Key})";

        private static bool Contains(List<HygieneIdentity> identities, HygieneIdentity identity)
        {
            foreach (var existing in identities)
            {
                if (string.Equals(existing.Namespace, identity.Namespace, StringComparison.Ordinal) &&
                    string.Equals(existing.Value, identity.Value, StringComparison.Ordinal)) return true;
            }
            return false;
        }
    }

    /// <summary>Input that cannot be sent, and why; nothing of the customer it names is submitted.</summary>
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

    /// <summary>The identities of one work order, grouped by namespace (in order of first appearance) as the API wants them.</summary>
    internal sealed class WorkOrderBatch
    {
        private readonly Dictionary<string, List<string>> _byNamespace = new Dictionary<string, List<string>>(StringComparer.Ordinal);

        public List<KeyValuePair<string, List<string>>> Namespaces { get; } = new List<KeyValuePair<string, List<string>>>();
        public int IdentityCount { get; private set; }

        internal void Add(string @namespace, string value)
        {
            if (!_byNamespace.TryGetValue(@namespace, out var values))
            {
                _byNamespace[@namespace] = values = new List<string>();
                Namespaces.Add(new KeyValuePair<string, List<string>>(@namespace, values));
            }
            values.Add(value);
            IdentityCount++;
        }
    }

    /// <summary>
    /// Turns raw input into what the APIs accept, one row at a time, so a delete of any size is sent while it is read
    /// and only what the rules need is kept (see <see cref="RecordDeleteStream"/> and <see cref="WorkOrderStream"/>).
    /// </summary>
    internal static class RecordDeletePlanner
    {
        public const int MaxIdentitiesPerUser = 9;
        public const int MaxUsersPerRequest = 1000;
        public const int MaxIdentitiesPerWorkOrder = 100_000;
        public const int MaxValueLength = 1024;
        public const int MaxKeyLength = 256;

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

        /// <summary>
        /// The row's identity, or why it cannot be sent. Namespace, value and type are trimmed of white space; a
        /// control or invisible formatting character (zero-width, bidirectional override, byte-order mark) anywhere in
        /// them refuses the row, since the platform would look for an identity nobody can see is different.
        /// </summary>
        internal static string? Validate(RecordDeleteInput row, out HygieneIdentity? identity)
        {
            identity = null;
            var ns = row.Namespace?.Trim();
            if (string.IsNullOrEmpty(ns)) return $"row {row.Row} has no namespace";
            var hidden = HiddenCharacter(ns!);
            if (hidden != null) return $"row {row.Row} has {hidden} in its namespace";
            var value = row.Value?.Trim();
            if (string.IsNullOrEmpty(value)) return $"row {row.Row} ({ns}) has an empty value";
            hidden = HiddenCharacter(value!);
            if (hidden != null) return $"row {row.Row} ({ns}) has {hidden} in its value";
            if (value!.Length > MaxValueLength) return $"row {row.Row} ({ns}) has a value of {value.Length} characters; at most {MaxValueLength} are accepted";

            string type;
            if (string.IsNullOrWhiteSpace(row.Type))
            {
                type = DefaultType(ns!);
            }
            else
            {
                var known = KnownType(row.Type!.Trim());
                if (known == null) return $"row {row.Row} ({ns}) has the unknown identity type '{Shown(row.Type!)}'; use one of {string.Join(", ", IdentityTypes)}";
                type = known;
            }
            identity = new HygieneIdentity { Namespace = ns!, Value = value, Type = type };
            return null;
        }

        /// <summary>The canonical spelling of a qualifier, or null. A loop, not a lambda: a lambda capturing the row would
        /// allocate its closure on every call of <see cref="Validate"/>, once per row of a million-row delete.</summary>
        private static string? KnownType(string type)
        {
            foreach (var known in IdentityTypes)
            {
                if (string.Equals(known, type, StringComparison.OrdinalIgnoreCase)) return known;
            }
            return null;
        }

        /// <summary>The row's key, trimmed (null when it has none), or why it cannot be a key.</summary>
        internal static string? ValidateKey(RecordDeleteInput row, out string? key)
        {
            key = string.IsNullOrWhiteSpace(row.Key) ? null : row.Key!.Trim();
            if (key == null) return null;
            if (key.Length > MaxKeyLength) return $"Input row {row.Row} has a key of {key.Length:N0} characters; at most {MaxKeyLength} are accepted";
            var hidden = HiddenCharacter(key);
            if (hidden != null) return $"Input row {row.Row} has {hidden} in its key";
            return null;
        }

        /// <summary>Names the first control or invisible formatting character of <paramref name="text"/>, or null.</summary>
        internal static string? HiddenCharacter(string text)
        {
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                // Plain loops: this runs for every row of a million-row delete; ASCII needs no table lookup.
                if (c < 0x80)
                {
                    if (c < 0x20 || c == 0x7F) return $"the control character U+{(int)c:X4}";
                    continue;
                }
                var category = CharUnicodeInfo.GetUnicodeCategory(text, i);
                if (category == UnicodeCategory.Control) return $"the control character U+{(int)c:X4}";
                if (category == UnicodeCategory.Format) return $"the invisible formatting character U+{char.ConvertToUtf32(text, i):X4}";
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            }
            return null;
        }

        /// <summary>A value quoted in a message: at most 64 characters.</summary>
        internal static string Shown(string text) => text.Length <= 64 ? text : text.Substring(0, 61) + "...";

        internal static string RowList(IReadOnlyList<long> rows, long count) =>
            count <= 5 ? string.Join(", ", rows.Take((int)count)) : string.Join(", ", rows.Take(5)) + $" and {count - 5:N0} more";
    }

    /// <summary>
    /// Groups rows into customers for record-delete jobs as they arrive, and seals a request of at most 1,000 customers
    /// whenever a new customer would not fit. Rows with the same key are one customer; a keyless row is a customer
    /// of its own, and the same keyless identity again is the same customer. A customer is validated whole when its
    /// request is sealed: one invalid row, or more than 9 identities, refuses it all. Only the request being built is
    /// held; what was sealed is remembered as 128-bit hashes, so a key that comes back after its customer was sent or
    /// refused is reported (<c>CustomerAlreadySubmitted</c>), never sent as a second job, and a keyless identity that
    /// comes back is skipped as the duplicate it is.
    /// </summary>
    internal sealed class RecordDeleteStream
    {
        private readonly int _maxUsers;
        private readonly List<RecordDeleteUser> _users = new List<RecordDeleteUser>();
        private readonly Dictionary<string, RecordDeleteUser> _byKey = new Dictionary<string, RecordDeleteUser>(StringComparer.Ordinal);
        private readonly Dictionary<string, RecordDeleteUser> _byIdentity = new Dictionary<string, RecordDeleteUser>(StringComparer.Ordinal);
        private readonly HashSet<Hash128> _sentKeys = new HashSet<Hash128>();
        private readonly HashSet<Hash128> _refusedKeys = new HashSet<Hash128>();
        private readonly HashSet<Hash128> _sentIdentities = new HashSet<Hash128>();
        private readonly HashSet<Hash128> _reportedAgain = new HashSet<Hash128>();
        private int _sealed;

        public RecordDeleteStream(int maxUsersPerRequest = RecordDeletePlanner.MaxUsersPerRequest) => _maxUsers = maxUsersPerRequest;

        /// <summary>Customers and identities in sealed requests, and the requests.</summary>
        public long UserCount { get; private set; }
        public long IdentityCount { get; private set; }
        public int RequestCount => _sealed;

        /// <summary>Customers read so far, sealed or not (for progress).</summary>
        public long UsersRead => UserCount + _users.Count;

        /// <summary>Keyless rows left out because their identity was already taken (in this request or one sealed before).</summary>
        public long DuplicatesSkipped { get; private set; }

        /// <summary>
        /// Adds one row; returns the request it sealed, if a new customer did not fit in the one being built. The
        /// problems of the row, and of the customers refused when the request was sealed, go to <paramref name="problems"/>.
        /// </summary>
        public RecordDeleteRequest? Add(RecordDeleteInput row, List<RecordDeleteProblem> problems)
        {
            var keyProblem = RecordDeletePlanner.ValidateKey(row, out var key);
            if (keyProblem != null)
            {
                problems.Add(new RecordDeleteProblem("InvalidKey", $"row {row.Row}", keyProblem + ". Nothing of this row was submitted."));
                return null;
            }
            var problem = RecordDeletePlanner.Validate(row, out var identity);
            if (key == null)
            {
                if (problem != null)
                {
                    problems.Add(new RecordDeleteProblem("InvalidIdentity", $"row {row.Row}", $"Input row {row.Row} was not submitted: {problem}."));
                    return null;
                }
                var identityKey = identity!.Namespace + ":" + identity.Value;
                if (_byIdentity.TryGetValue(identityKey, out var same))
                {
                    same.AddRow(row.Row);
                    DuplicatesSkipped++;
                    return null;
                }
                var identityHash = Hash128.Of('I', identityKey);
                if (_sentIdentities.Contains(identityHash))
                {
                    DuplicatesSkipped++;
                    return null;
                }
                var sealedRequest = MakeRoom(problems);
                var user = new RecordDeleteUser(identityKey, keyed: false, identityHash);
                user.AddRow(row.Row);
                user.AddIdentity(identity);
                _users.Add(user);
                _byIdentity[identityKey] = user;
                return sealedRequest;
            }

            if (_byKey.TryGetValue(key, out var existing))
            {
                Note(existing, row.Row, identity, problem);
                return null;
            }
            var hash = Hash128.Of('K', key);
            var sent = _sentKeys.Contains(hash);
            if (sent || _refusedKeys.Contains(hash))
            {
                // Once per key: a customer spread over the whole file would otherwise be reported once per row.
                if (_reportedAgain.Add(hash))
                {
                    problems.Add(new RecordDeleteProblem("CustomerAlreadySubmitted", key,
                        $"Customer '{RecordDeletePlanner.Shown(key)}' comes back at input row {row.Row} after {(sent ? "its request was sent" : "it was refused")}: " +
                        "the identities of this row (and of any later row with this key) were not submitted, so no second job was made for it. " +
                        "Give each customer's rows together (for example sorted by Key) and submit these identities again."));
                }
                return null;
            }
            var room = MakeRoom(problems);
            var keyed = new RecordDeleteUser(key, keyed: true, hash);
            _users.Add(keyed);
            _byKey[key] = keyed;
            Note(keyed, row.Row, identity, problem);
            return room;
        }

        /// <summary>The hash a refused customer is remembered by, its key's ('K'); a keyed customer carries it already.</summary>
        private static Hash128 RefusedKey(RecordDeleteUser user) => user.Keyed ? user.Hash : Hash128.Of('K', user.Key);

        /// <summary>Seals what is left at the end of the input (or null).</summary>
        public RecordDeleteRequest? Finish(List<RecordDeleteProblem> problems) => Seal(problems);

        private RecordDeleteRequest? MakeRoom(List<RecordDeleteProblem> problems) => _users.Count < _maxUsers ? null : Seal(problems);

        private static void Note(RecordDeleteUser user, long row, HygieneIdentity? identity, string? problem)
        {
            user.AddRow(row);
            if (problem != null) user.Refuse(problem);
            else user.AddIdentity(identity!);
        }

        private RecordDeleteRequest? Seal(List<RecordDeleteProblem> problems)
        {
            if (_users.Count == 0) return null;
            var valid = new List<RecordDeleteUser>(_users.Count);
            foreach (var user in _users)
            {
                if (user.Refused)
                {
                    problems.Add(new RecordDeleteProblem("InvalidIdentity", user.Target, $"{user.Who} was not submitted: {user.Reasons}."));
                    _refusedKeys.Add(RefusedKey(user));
                }
                else if (user.TooMany)
                {
                    problems.Add(new RecordDeleteProblem("TooManyIdentities", user.Target,
                        $"{user.Who} has {user.IdentityCount} identities; a record delete takes at most {RecordDeletePlanner.MaxIdentitiesPerUser} per customer. Nothing of this customer was submitted."));
                    _refusedKeys.Add(RefusedKey(user));
                }
                else
                {
                    valid.Add(user);
                    if (user.Keyed) _sentKeys.Add(user.Hash);
                    else _sentIdentities.Add(user.Hash);
                }
            }
            _users.Clear();
            _byKey.Clear();
            _byIdentity.Clear();
            if (valid.Count == 0) return null;
            UserCount += valid.Count;
            foreach (var user in valid) IdentityCount += user.Identities.Count;
            return new RecordDeleteRequest(_sealed++, valid);
        }
    }

    /// <summary>
    /// Packs valid identities into work orders as they arrive, grouped by namespace within each order, and seals an
    /// order of 100,000 when the next identity would not fit. Duplicates are dropped by a 128-bit hash of namespace
    /// and value, the only thing kept of an identity once its order is sealed.
    /// </summary>
    internal sealed class WorkOrderStream
    {
        private readonly int _maxPerOrder;
        private readonly HashSet<Hash128> _seen = new HashSet<Hash128>();
        private WorkOrderBatch _current = new WorkOrderBatch();
        private int _sealed;

        public WorkOrderStream(int maxPerOrder = RecordDeletePlanner.MaxIdentitiesPerWorkOrder) => _maxPerOrder = maxPerOrder;

        /// <summary>Identities in sealed orders, and the orders.</summary>
        public long IdentityCount { get; private set; }
        public int OrderCount => _sealed;

        /// <summary>Distinct identities read so far, sealed or not (for progress).</summary>
        public long IdentitiesRead => IdentityCount + _current.IdentityCount;

        public long DuplicatesSkipped { get; private set; }

        /// <summary>Adds one row; returns the order it sealed, if the identity did not fit in the one being built.</summary>
        public WorkOrderRequest? Add(RecordDeleteInput row, List<RecordDeleteProblem> problems)
        {
            var problem = RecordDeletePlanner.Validate(row, out var identity);
            if (problem != null)
            {
                var keyed = !string.IsNullOrWhiteSpace(row.Key);
                var target = keyed ? RecordDeletePlanner.Shown(row.Key!.Trim()) : $"row {row.Row}";
                var who = keyed ? $"Input row {row.Row} (customer '{target}')" : $"Input row {row.Row}";
                problems.Add(new RecordDeleteProblem("InvalidIdentity", target, $"{who} was not submitted: {problem}."));
                return null;
            }
            // Neither part can hold a control character (Validate), so "namespace\0value" is one identity exactly.
            if (!_seen.Add(Hash128.Of('W', identity!.Namespace + "\0" + identity.Value)))
            {
                DuplicatesSkipped++;
                return null;
            }
            WorkOrderRequest? sealedOrder = null;
            if (_current.IdentityCount == _maxPerOrder) sealedOrder = Seal(more: true);
            _current.Add(identity.Namespace, identity.Value);
            return sealedOrder;
        }

        /// <summary>Seals the last order at the end of the input (or null).</summary>
        public WorkOrderRequest? Finish() => _current.IdentityCount == 0 ? null : Seal(more: false);

        private WorkOrderRequest Seal(bool more)
        {
            var order = new WorkOrderRequest(_sealed++, _current, partOfMany: more || _sealed > 1);
            IdentityCount += _current.IdentityCount;
            _current = new WorkOrderBatch();
            return order;
        }
    }

    /// <summary>
    /// A 128-bit hash of a string (two independent 64-bit multiply-xorshift lanes with a final avalanche), 16 bytes
    /// per remembered key or identity instead of the string: at a million entries, the chance of any collision is about 10^-27.
    /// </summary>
    internal readonly struct Hash128 : IEquatable<Hash128>
    {
        private readonly ulong _high;
        private readonly ulong _low;

        private Hash128(ulong high, ulong low)
        {
            _high = high;
            _low = low;
        }

        /// <summary>The hash of <paramref name="text"/> in the space <paramref name="domain"/> (so a key and an identity never meet).</summary>
        public static Hash128 Of(char domain, string text)
        {
            var a = 0x9E3779B97F4A7C15UL ^ domain;
            var b = 0xC2B2AE3D27D4EB4FUL ^ ((ulong)domain << 32);
            foreach (var c in text)
            {
                a = (a ^ c) * 0x100000001B3UL;
                a ^= a >> 29;
                b = (b + c) * 0xFF51AFD7ED558CCDUL;
                b ^= b >> 31;
            }
            a ^= (ulong)text.Length;
            b ^= (ulong)text.Length << 17;
            return new Hash128(Mix(a), Mix(b ^ a * 0x2545F4914F6CDD1DUL));
        }

        private static ulong Mix(ulong z)
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        public bool Equals(Hash128 other) => _high == other._high && _low == other._low;
        public override bool Equals(object? obj) => obj is Hash128 other && Equals(other);
        public override int GetHashCode() => (int)_low ^ (int)(_low >> 32);
    }
}
