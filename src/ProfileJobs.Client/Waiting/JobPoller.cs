using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace ProfileJobs.Waiting
{
    /// <summary>Polls jobs of any kind until each is final, the timeout passes, or the token is cancelled.</summary>
    internal static class JobPoller
    {
        /// <summary>
        /// Every state read is reported to <paramref name="onUpdate"/>; a job that cannot be read is reported to
        /// <paramref name="onError"/> and no longer waited for. Returns the jobs still unfinished, in their last known state.
        /// </summary>
        public static async Task<IReadOnlyList<T>> PollAsync<T>(IReadOnlyList<T> jobs, Func<T, string> idOf, Func<T, bool> isFinal,
            Func<string, CancellationToken, Task<T>> fetch, TimeSpan pollInterval, TimeSpan? timeout,
            Action<T> onUpdate, Action<string, PlatformApiException> onError, CancellationToken cancellationToken)
        {
            var deadline = timeout.HasValue ? DateTimeOffset.UtcNow + timeout.Value : DateTimeOffset.MaxValue;
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
                await Task.Delay(remaining < pollInterval ? remaining : pollInterval, cancellationToken).ConfigureAwait(false);

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
