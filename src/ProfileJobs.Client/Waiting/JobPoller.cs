using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace ProfileJobs.Waiting
{
    /// <summary>
    /// Polls jobs of any kind until each is final, the timeout passes, or the token is cancelled. The first check comes
    /// after <see cref="FirstCheck"/> (or the interval, if shorter), and the gap doubles up to the interval, so a job that
    /// ends quickly is seen quickly; between checks the caller hears every <see cref="TickInterval"/> how long it has waited.
    /// </summary>
    internal static class JobPoller
    {
        public static readonly TimeSpan FirstCheck = TimeSpan.FromSeconds(1);
        public static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(1);

        /// <summary>
        /// Every state read is reported to <paramref name="onUpdate"/>; a job that cannot be read is reported to
        /// <paramref name="onError"/> and no longer waited for; <paramref name="onTick"/> gets the time waited so far,
        /// at least every <see cref="TickInterval"/>. Returns the jobs still unfinished, in their last known state.
        /// </summary>
        public static async Task<IReadOnlyList<T>> PollAsync<T>(IReadOnlyList<T> jobs, Func<T, string> idOf, Func<T, bool> isFinal,
            Func<string, CancellationToken, Task<T>> fetch, TimeSpan pollInterval, TimeSpan? timeout,
            Action<T> onUpdate, Action<string, PlatformApiException> onError, Action<TimeSpan> onTick, CancellationToken cancellationToken)
        {
            var started = DateTimeOffset.UtcNow;
            var deadline = timeout.HasValue ? started + timeout.Value : DateTimeOffset.MaxValue;
            var gap = pollInterval < FirstCheck ? pollInterval : FirstCheck;
            var pending = new List<T>();
            foreach (var job in jobs)
            {
                if (isFinal(job)) onUpdate(job);
                else pending.Add(job);
            }

            while (pending.Count > 0)
            {
                var remaining = deadline - DateTimeOffset.UtcNow;
                if (remaining <= TimeSpan.Zero) break;
                var nextCheck = DateTimeOffset.UtcNow + (remaining < gap ? remaining : gap);
                while (true)
                {
                    var untilCheck = nextCheck - DateTimeOffset.UtcNow;
                    if (untilCheck <= TimeSpan.Zero) break;
                    await Task.Delay(untilCheck < TickInterval ? untilCheck : TickInterval, cancellationToken).ConfigureAwait(false);
                    onTick(DateTimeOffset.UtcNow - started);
                }
                gap = gap + gap < pollInterval ? gap + gap : pollInterval;

                for (var i = pending.Count - 1; i >= 0; i--)
                {
                    T current;
                    try
                    {
                        current = await fetch(idOf(pending[i]), cancellationToken).ConfigureAwait(false);
                    }
                    catch (PlatformApiException ex)
                    {
                        onError(idOf(pending[i]), ex);
                        pending.RemoveAt(i);
                        continue;
                    }
                    onUpdate(current);
                    if (isFinal(current)) pending.RemoveAt(i);
                    else pending[i] = current;
                }
            }
            return pending;
        }
    }
}
