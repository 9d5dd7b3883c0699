using System;
using System.Diagnostics;

namespace ProfileJobs.Http
{
    /// <summary>
    /// What this session knows of the platform's clock, so a create whose answer was lost can tell the jobs that existed
    /// before it was sent from the one it may have made. Every server timestamp t seen in an answer (its Date header, a
    /// created job's createdAt) was stamped between the request's departure and the answer's arrival on the local
    /// (monotonic) clock, so the offset server − local lies in [t − arrival, t + resolution − departure]; the tightest
    /// bounds seen so far are kept. A job stamped before <c>departure + lower bound</c> provably existed before a
    /// request that left at <c>departure</c>.
    /// </summary>
    internal sealed class ServerClock
    {
        public static readonly TimeSpan SecondResolution = TimeSpan.FromSeconds(1);

        /// <summary>
        /// A Date header is cut to the second and, on servers that cache it (Kestrel refreshes it once a second, later
        /// under load), may trail the moment it was sent by another second or more; taken as finer, a stale one would
        /// look like a clock step and throw away what a created job's timestamp told. Wider costs nothing: a clock
        /// known only from Date headers is never precise enough to skip the pre-send snapshot anyway.
        /// </summary>
        public static readonly TimeSpan DateHeaderResolution = TimeSpan.FromSeconds(3);
        private static readonly TimeSpan FineResolution = TimeSpan.FromMilliseconds(1);

        private readonly object _gate = new object();
        private readonly DateTimeOffset _origin = DateTimeOffset.UtcNow;
        private readonly Stopwatch _elapsed = Stopwatch.StartNew();
        private TimeSpan? _lower;
        private TimeSpan? _upper;

        /// <summary>Local time now, immune to the local wall clock being stepped.</summary>
        public DateTimeOffset Now => _origin + _elapsed.Elapsed;

        /// <summary>How far apart the bounds are; null until the server's clock was seen.</summary>
        public TimeSpan? Uncertainty
        {
            get
            {
                lock (_gate) return _lower.HasValue && _upper.HasValue ? _upper - _lower : null;
            }
        }

        /// <summary>Notes a server timestamp stamped while a request was on its way (sent at <paramref name="sentAt"/>, answered now).</summary>
        public void Observe(DateTimeOffset serverTime, TimeSpan resolution, DateTimeOffset sentAt)
        {
            var arrivedAt = Now;
            var lower = serverTime - arrivedAt;
            var upper = serverTime + resolution - sentAt;
            lock (_gate)
            {
                var newLower = _lower.HasValue && _lower > lower ? _lower.Value : lower;
                var newUpper = _upper.HasValue && _upper < upper ? _upper.Value : upper;
                if (newLower > newUpper)
                {
                    // The server's clock was stepped: only the newest reading is trusted.
                    newLower = lower;
                    newUpper = upper;
                }
                _lower = newLower;
                _upper = newUpper;
            }
        }

        /// <summary>The resolution a timestamp shows: a whole second may have been cut down to it.</summary>
        public static TimeSpan ResolutionOf(DateTimeOffset time) => time.Ticks % TimeSpan.TicksPerSecond == 0 ? SecondResolution : FineResolution;

        /// <summary>
        /// Whether something the server stamped <paramref name="stamped"/> certainly happened before a request that left at
        /// local time <paramref name="sentAt"/> reached it. False whenever the clock is not known.
        /// </summary>
        public bool SurelyBefore(DateTimeOffset stamped, DateTimeOffset sentAt)
        {
            TimeSpan? lower;
            lock (_gate) lower = _lower;
            return lower.HasValue && stamped + ResolutionOf(stamped) <= sentAt + lower.Value;
        }
    }
}
