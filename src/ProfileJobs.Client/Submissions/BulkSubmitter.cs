using System;
using System.Threading;
using System.Threading.Tasks;

namespace ProfileJobs.Submissions
{
    /// <summary>What a bulk submission tells its caller, and when.</summary>
    internal sealed class BulkObserver<T> where T : class
    {
        /// <summary>
        /// Each request's outcome as soon as it is known, in whatever order the answers come, on a worker thread: the
        /// moment to note what the platform accepted, so it is reported even if the command stops before writing it.
        /// </summary>
        public Action<int, SubmissionOutcome<T>>? Answered { get; set; }

        /// <summary>Each request's outcome in request order, once it and every request before it are answered.</summary>
        public Action<int, SubmissionOutcome<T>>? InOrder { get; set; }
    }

    /// <summary>
    /// Sends a batch of creates with a bound on how many are in flight, and hands their outcomes on in request order.
    /// Nothing is dropped when the command stops: once <c>stopSending</c> is cancelled no further request starts, but
    /// those already sent are answered as usual; once <c>abort</c> is cancelled (Ctrl+C) they are abandoned and each gets
    /// <see cref="SubmissionState.Interrupted"/>. Every request that was sent gets exactly one outcome, reported first
    /// to <see cref="BulkObserver{T}.Answered"/> and then, in order, to <see cref="BulkObserver{T}.InOrder"/>; the method
    /// returns only after every sent request has been answered or interrupted.
    /// </summary>
    internal static class BulkSubmitter
    {
        public static async Task RunAsync<T>(int count, int maxInFlight, Func<int, CancellationToken, Task<SubmissionOutcome<T>>> submit,
            Func<int, string> describe, BulkObserver<T> observer, CancellationToken stopSending, CancellationToken abort)
            where T : class
        {
            if (maxInFlight < 1) throw new ArgumentOutOfRangeException(nameof(maxInFlight));
            using var gate = new SemaphoreSlim(maxInFlight);
            using var noMore = CancellationTokenSource.CreateLinkedTokenSource(stopSending, abort);
            var submissions = new Task<SubmissionOutcome<T>?>[count];
            for (var i = 0; i < count; i++) submissions[i] = SubmitOneAsync(i);

            try
            {
                for (var i = 0; i < count; i++)
                {
                    var outcome = await submissions[i].ConfigureAwait(false);
                    // Let each answer go once it is handed on, so a million results are never held at once.
                    submissions[i] = null!;
                    if (outcome != null) observer.InOrder?.Invoke(i, outcome);
                }
            }
            finally
            {
                // Whatever stopped the hand-on, every request already sent still reports its outcome before this returns.
                foreach (var pending in submissions)
                {
                    if (pending != null) await pending.ConfigureAwait(false);
                }
            }
            noMore.Token.ThrowIfCancellationRequested();

            async Task<SubmissionOutcome<T>?> SubmitOneAsync(int index)
            {
                try
                {
                    await gate.WaitAsync(noMore.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return null; // never sent
                }
                SubmissionOutcome<T> outcome;
                try
                {
                    if (noMore.IsCancellationRequested) return null;
                    outcome = await submit(index, abort).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (abort.IsCancellationRequested)
                {
                    outcome = SubmissionOutcome<T>.Interrupted(describe(index));
                }
                finally
                {
                    gate.Release();
                }
                observer.Answered?.Invoke(index, outcome);
                return outcome;
            }
        }
    }
}
