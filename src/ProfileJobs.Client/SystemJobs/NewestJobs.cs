using System;
using System.Collections.Generic;

namespace ProfileJobs.SystemJobs
{
    /// <summary>
    /// The <c>count</c> newest matching jobs of a listing, whatever order it comes in, kept in a buffer of that size
    /// (newest first; ties keep listing order). Azure and AWS list newest first: there the listing stops as soon as the
    /// buffer is full, as long as every job seen so far came in that order. The unified generation lists oldest first
    /// (aep-api.md 1.1, DOC-SJ-U1), so every page is read.
    /// </summary>
    internal sealed class NewestJobs
    {
        private readonly int _count;
        private readonly Func<ProfileSystemJob, bool> _match;
        private readonly List<ProfileSystemJob> _newest;
        private DateTimeOffset? _previous;
        private bool _descendingSoFar = true;

        public NewestJobs(int count, Func<ProfileSystemJob, bool> match)
        {
            if (count < 1) throw new ArgumentOutOfRangeException(nameof(count));
            _count = count;
            _match = match;
            _newest = new List<ProfileSystemJob>(Math.Min(count, SystemJobsClient.DefaultPageSize));
        }

        /// <summary>The newest jobs, newest first.</summary>
        public IReadOnlyList<ProfileSystemJob> Jobs => _newest;

        /// <summary>Jobs read from the listing, matching or not.</summary>
        public int Listed { get; private set; }

        /// <summary>The generation the listing spoke (of its last job).</summary>
        public ApiGeneration? Generation { get; private set; }

        /// <summary>A page consumer for <see cref="SystemJobsClient.ListAsync"/>: false once no later page can hold a newer job.</summary>
        public bool AcceptPage(IReadOnlyList<ProfileSystemJob> page)
        {
            foreach (var job in page)
            {
                Listed++;
                Generation = job.ApiGeneration;
                var createdAt = job.CreatedAt ?? DateTimeOffset.MinValue;
                if (_previous.HasValue && createdAt > _previous.Value) _descendingSoFar = false;
                _previous = createdAt;
                if (_match(job)) Keep(job, createdAt);
            }
            return !(_newest.Count == _count && _descendingSoFar && ListsNewestFirst(Generation));
        }

        private static bool ListsNewestFirst(ApiGeneration? generation) =>
            generation == ApiGeneration.Azure || generation == ApiGeneration.Aws;

        private void Keep(ProfileSystemJob job, DateTimeOffset createdAt)
        {
            if (_newest.Count == _count && createdAt <= CreatedAt(_newest[_count - 1])) return;
            // After the last job at least as new: ties keep listing order.
            var low = 0;
            var high = _newest.Count;
            while (low < high)
            {
                var middle = (low + high) / 2;
                if (CreatedAt(_newest[middle]) >= createdAt) low = middle + 1;
                else high = middle;
            }
            _newest.Insert(low, job);
            if (_newest.Count > _count) _newest.RemoveAt(_count);
        }

        private static DateTimeOffset CreatedAt(ProfileSystemJob job) => job.CreatedAt ?? DateTimeOffset.MinValue;
    }
}
