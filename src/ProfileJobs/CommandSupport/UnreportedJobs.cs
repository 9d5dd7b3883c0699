using System;
using System.Collections.Generic;
using System.Linq;

namespace ProfileJobs.CommandSupport
{
    /// <summary>
    /// What the platform accepted, or may have, that the running command has not written yet: noted the moment it is
    /// known (on whichever thread learns it), cleared once written. If the command stops first (Ctrl+C,
    /// -ErrorAction Stop, a downstream Select-Object -First), what is left is named in one warning, so no job the
    /// platform holds goes unreported.
    /// </summary>
    internal sealed class UnreportedJobs
    {
        private readonly object _gate = new object();
        private readonly Dictionary<string, Func<string>> _accepted = new Dictionary<string, Func<string>>(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _unknown = new Dictionary<string, string>(StringComparer.Ordinal);
        private long _next;

        /// <summary>The platform created what <paramref name="describe"/> names (asked only if it has to be reported).</summary>
        public void Accepted(string key, Func<string> describe)
        {
            lock (_gate)
            {
                _unknown.Remove(key);
                _accepted[key] = describe;
            }
        }

        /// <summary>Whether the platform accepted <paramref name="description"/> is not known (yet).</summary>
        public void Unknown(string key, string description)
        {
            lock (_gate)
            {
                if (!_accepted.ContainsKey(key)) _unknown[key] = description;
            }
        }

        /// <summary>A request about to be sent: unknown until <see cref="Resolved"/>. Returns its key.</summary>
        public string Sending(string description)
        {
            var key = "sending " + System.Threading.Interlocked.Increment(ref _next);
            Unknown(key, description);
            return key;
        }

        /// <summary>Written (or reported by an error): nothing more to say about it.</summary>
        public void Resolved(string key)
        {
            lock (_gate)
            {
                _accepted.Remove(key);
                _unknown.Remove(key);
            }
        }

        /// <summary>The warning for what is left, or null; what it names is then forgotten.</summary>
        public string? TakeReport()
        {
            List<Func<string>> accepted;
            List<string> unknown;
            lock (_gate)
            {
                if (_accepted.Count == 0 && _unknown.Count == 0) return null;
                accepted = _accepted.Values.ToList();
                unknown = _unknown.Values.ToList();
                _accepted.Clear();
                _unknown.Clear();
            }
            var parts = new List<string>();
            if (accepted.Count > 0)
            {
                parts.Add("The command stopped before it wrote everything the platform accepted. These exist on the platform: " +
                          string.Join("; ", accepted.Select(describe => describe())) + ".");
            }
            if (unknown.Count > 0)
            {
                parts.Add("Whether the platform accepted these is unknown (they were on their way when the command stopped): " +
                          string.Join("; ", unknown) + ". Look them up before sending them again.");
            }
            return string.Join(" ", parts);
        }
    }
}
