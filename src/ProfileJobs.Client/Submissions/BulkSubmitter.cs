using System;
using System.Collections.Concurrent;
using System.Linq;
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
    /// Requests ready to send, added by the command while it still reads its input, taken by
    /// <see cref="BulkSubmitter"/>. It holds at most <c>capacity</c> waiting requests, so a producer faster than the
    /// platform waits (<see cref="TryAdd"/> times out) instead of piling them up.
    /// </summary>
    internal sealed class SubmissionQueue<TRequest> : IDisposable
    {
        private readonly BlockingCollection<TRequest> _ready;
        private long _added;
        private long _sent;
        private long _answered;

        public SubmissionQueue(int capacity) => _ready = new BlockingCollection<TRequest>(capacity);

        /// <summary>A queue of requests already known, complete: the submission of a batch held in memory.</summary>
        public static SubmissionQueue<TRequest> Of(System.Collections.Generic.IReadOnlyCollection<TRequest> requests)
        {
            var queue = new SubmissionQueue<TRequest>(Math.Max(1, requests.Count));
            foreach (var request in requests) queue.TryAdd(request, 0);
            queue.Complete();
            return queue;
        }

        public long Added => Interlocked.Read(ref _added);
        public long Sent => Interlocked.Read(ref _sent);
        public long Answered => Interlocked.Read(ref _answered);

        /// <summary>Adds a request, waiting at most <paramref name="millisecondsTimeout"/> for room.</summary>
        public bool TryAdd(TRequest request, int millisecondsTimeout)
        {
            if (!_ready.TryAdd(request, millisecondsTimeout)) return false;
            Interlocked.Increment(ref _added);
            return true;
        }

        /// <summary>No more requests will come.</summary>
        public void Complete()
        {
            if (!_ready.IsAddingCompleted) _ready.CompleteAdding();
        }

        /// <summary>The next request, waiting for it; false once the queue is complete and empty.</summary>
        internal bool TryTake(out TRequest request, CancellationToken cancellationToken) =>
            _ready.TryTake(out request!, Timeout.Infinite, cancellationToken);

        internal void NoteSent() => Interlocked.Increment(ref _sent);
        internal void NoteAnswered() => Interlocked.Increment(ref _answered);

        public void Dispose() => _ready.Dispose();
    }

    /// <summary>
    /// Sends creates with a bound on how many are in flight, as they become ready, and hands their outcomes on in
    /// request order. Nothing is dropped when the command stops: once <c>stopSending</c> is cancelled no further request
    /// starts, but those already sent are answered as usual; once <c>abort</c> is cancelled (Ctrl+C) they are abandoned
    /// and each gets <see cref="SubmissionState.Interrupted"/>. Every request that was sent gets exactly one outcome,
    /// reported first to <see cref="BulkObserver{T}.Answered"/> and then, in order, to <see cref="BulkObserver{T}.InOrder"/>;
    /// the method returns only after every sent request has been answered or interrupted. At most twice the limit of
    /// requests are sent and not yet handed on, so answers waiting for an earlier slow one stay bounded too.
    /// </summary>
    internal static class BulkSubmitter
    {
        /// <summary>Requests 0 to <paramref name="count"/> - 1, all known in advance.</summary>
        public static async Task RunAsync<T>(int count, int maxInFlight, Func<int, CancellationToken, Task<SubmissionOutcome<T>>> submit,
            Func<int, string> describe, BulkObserver<T> observer, CancellationToken stopSending, CancellationToken abort)
            where T : class
        {
            using var queue = SubmissionQueue<int>.Of(Enumerable.Range(0, count).ToArray());
            await RunAsync(queue, maxInFlight, (index, _, token) => submit(index, token), (index, _) => describe(index), observer, stopSending, abort).ConfigureAwait(false);
        }

        /// <summary>The requests of <paramref name="queue"/>, numbered in the order taken, until it is complete.</summary>
        public static async Task RunAsync<TRequest, T>(SubmissionQueue<TRequest> queue, int maxInFlight,
            Func<int, TRequest, CancellationToken, Task<SubmissionOutcome<T>>> submit, Func<int, TRequest, string> describe,
            BulkObserver<T> observer, CancellationToken stopSending, CancellationToken abort)
            where T : class
        {
            if (maxInFlight < 1) throw new ArgumentOutOfRangeException(nameof(maxInFlight));
            using var gate = new SemaphoreSlim(maxInFlight);
            using var window = new SemaphoreSlim(maxInFlight * 2);
            using var handOnFailed = new CancellationTokenSource();
            using var noMore = CancellationTokenSource.CreateLinkedTokenSource(stopSending, abort, handOnFailed.Token);
            var sent = new ConcurrentQueue<Task<SubmissionOutcome<T>?>>();
            using var sentSignal = new SemaphoreSlim(0);
            var dispatching = 1;

            var dispatch = Task.Run(async () =>
            {
                try
                {
                    for (var index = 0; ; index++)
                    {
                        await window.WaitAsync(noMore.Token).ConfigureAwait(false);
                        if (!queue.TryTake(out var request, noMore.Token)) break;
                        await gate.WaitAsync(noMore.Token).ConfigureAwait(false);
                        // The sources, not only the linked token: cancelling abort marks it before it runs its callbacks,
                        // and one of those (a request interrupted, releasing the gate) may resume this loop before the
                        // callback that cancels the linked token has run.
                        if (noMore.IsCancellationRequested || stopSending.IsCancellationRequested || abort.IsCancellationRequested)
                        {
                            gate.Release();
                            break;
                        }
                        queue.NoteSent();
                        sent.Enqueue(SubmitOneAsync(index, request));
                        sentSignal.Release();
                    }
                }
                catch (OperationCanceledException)
                {
                    // Stopped: what was taken but not started is never sent.
                }
                finally
                {
                    Volatile.Write(ref dispatching, 0);
                    sentSignal.Release();
                }
            });

            try
            {
                for (var handed = 0; ;)
                {
                    await sentSignal.WaitAsync().ConfigureAwait(false);
                    if (!sent.TryDequeue(out var next))
                    {
                        if (Volatile.Read(ref dispatching) == 0) break;
                        continue;
                    }
                    var outcome = await next.ConfigureAwait(false);
                    if (outcome != null) observer.InOrder?.Invoke(handed, outcome);
                    handed++;
                    window.Release();
                }
            }
            catch
            {
                handOnFailed.Cancel();
                throw;
            }
            finally
            {
                // Whatever stopped the hand-on, every request already sent still reports its outcome before this returns.
                await dispatch.ConfigureAwait(false);
                while (sent.TryDequeue(out var pending)) await pending.ConfigureAwait(false);
            }
            stopSending.ThrowIfCancellationRequested();
            abort.ThrowIfCancellationRequested();

            async Task<SubmissionOutcome<T>?> SubmitOneAsync(int index, TRequest request)
            {
                SubmissionOutcome<T> outcome;
                try
                {
                    outcome = await submit(index, request, abort).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (abort.IsCancellationRequested)
                {
                    outcome = SubmissionOutcome<T>.Interrupted(describe(index, request));
                }
                finally
                {
                    gate.Release();
                }
                queue.NoteAnswered();
                observer.Answered?.Invoke(index, outcome);
                return outcome;
            }
        }
    }
}
