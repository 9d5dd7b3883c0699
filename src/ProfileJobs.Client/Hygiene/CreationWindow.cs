using System;
using System.Collections.Generic;
using System.Linq;

namespace ProfileJobs.Hygiene
{
    /// <summary>
    /// A -From/-To window of creation instants, both inclusive. The hygiene and privacy listings take whole UTC dates
    /// only (<c>fromDate</c>/<c>toDate</c>, both or neither), so the UTC dates that cover the window are sent and the
    /// answers are filtered to the instants here. A <see cref="DateTime"/> that is not UTC is local time, as
    /// PowerShell reads one (Get-Date, or a string such as '2026-12-01 14:00').
    /// </summary>
    internal sealed class CreationWindow
    {
        public static readonly CreationWindow None = new CreationWindow(null, null);

        private CreationWindow(DateTimeOffset? from, DateTimeOffset? to)
        {
            From = from;
            To = to;
        }

        public DateTimeOffset? From { get; }
        public DateTimeOffset? To { get; }

        /// <summary>The window from the parameters: without -To it ends now; without -From it starts <paramref name="defaultSpan"/> before -To.</summary>
        public static CreationWindow Of(DateTime? from, DateTime? to, TimeSpan defaultSpan, DateTimeOffset now)
        {
            if (from == null && to == null) return None;
            var end = to.HasValue ? ToInstant(to.Value) : now;
            var start = from.HasValue ? ToInstant(from.Value) : end - defaultSpan;
            return new CreationWindow(start, end);
        }

        /// <summary>The first UTC date to ask for.</summary>
        public DateTime? FromDate => From?.UtcDateTime.Date;

        /// <summary>The last UTC date to ask for (the API includes the whole of it).</summary>
        public DateTime? ToDate => To?.UtcDateTime.Date;

        /// <summary>
        /// Whether an item created at this instant is in the window; one without a creation time is kept. The API's
        /// times may be truncated (record-delete jobs say minutes only): <paramref name="precision"/> widens the start to match.
        /// </summary>
        public bool Contains(DateTimeOffset? createdAt, TimeSpan precision = default)
        {
            if (createdAt == null) return true;
            if (From != null)
            {
                var start = precision > TimeSpan.Zero ? From.Value.AddTicks(-(From.Value.UtcTicks % precision.Ticks)) : From.Value;
                if (createdAt < start) return false;
            }
            return To == null || createdAt <= To;
        }

        /// <summary>Wraps a page consumer so that it only sees the items inside the window.</summary>
        public Func<IReadOnlyList<T>, bool> Filter<T>(Func<IReadOnlyList<T>, bool> onPage, Func<T, DateTimeOffset?> createdAt, TimeSpan precision = default) =>
            From == null && To == null ? onPage : page => onPage(page.Where(item => Contains(createdAt(item), precision)).ToList());

        private static DateTimeOffset ToInstant(DateTime value) =>
            new DateTimeOffset(value.Kind == DateTimeKind.Utc ? value : value.ToUniversalTime(), TimeSpan.Zero);
    }
}
