using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ProfileJobs.Submissions;
using Xunit;

namespace ProfileJobs.Client.Tests
{
    public sealed class BulkSubmitterTests
    {
        private sealed class Job
        {
            public Job(int index) => Index = index;
            public int Index { get; }
        }

        private sealed class Recorder
        {
            public ConcurrentQueue<(int Index, SubmissionState State)> Answered { get; } = new ConcurrentQueue<(int, SubmissionState)>();
            public List<(int Index, SubmissionState State)> InOrder { get; } = new List<(int, SubmissionState)>();

            public BulkObserver<Job> Observer => new BulkObserver<Job>
            {
                Answered = (i, o) => Answered.Enqueue((i, o.State)),
                InOrder = (i, o) =>
                {
                    lock (InOrder) InOrder.Add((i, o.State));
                },
            };
        }

        private static string Describe(int index) => $"request {index + 1}";

        [Fact]
        public async Task Outcomes_are_handed_on_in_request_order_whatever_order_the_answers_come_in()
        {
            var recorder = new Recorder();
            // Later requests answer sooner.
            await BulkSubmitter.RunAsync(5, 5, async (i, token) =>
            {
                await Task.Delay((5 - i) * 60, token);
                return SubmissionOutcome<Job>.Succeeded(new Job(i), "ok");
            }, Describe, recorder.Observer, CancellationToken.None, CancellationToken.None);

            Assert.Equal(new[] { 0, 1, 2, 3, 4 }, recorder.InOrder.Select(o => o.Index));
            Assert.Equal(4, recorder.Answered.First().Index);
            Assert.Equal(5, recorder.Answered.Count);
        }

        [Fact]
        public async Task At_most_the_limit_are_in_flight_and_the_limit_is_used()
        {
            var inFlight = 0;
            var peak = 0;
            await BulkSubmitter.RunAsync(20, 4, async (i, token) =>
            {
                var now = Interlocked.Increment(ref inFlight);
                InterlockedMax(ref peak, now);
                await Task.Delay(30, token);
                Interlocked.Decrement(ref inFlight);
                return SubmissionOutcome<Job>.Succeeded(new Job(i), "ok");
            }, Describe, new Recorder().Observer, CancellationToken.None, CancellationToken.None);

            Assert.Equal(4, peak);
        }

        [Fact]
        public async Task Failures_are_outcomes_in_their_place()
        {
            var recorder = new Recorder();
            await BulkSubmitter.RunAsync(3, 2, (i, _) => Task.FromResult(i == 1
                ? SubmissionOutcome<Job>.Refused(new PlatformApiException(PlatformErrorKind.InvalidRequest, "no"))
                : SubmissionOutcome<Job>.Succeeded(new Job(i), "ok")), Describe, recorder.Observer, CancellationToken.None, CancellationToken.None);

            Assert.Equal(new[] { SubmissionState.Created, SubmissionState.Failed, SubmissionState.Created }, recorder.InOrder.Select(o => o.State));
        }

        [Fact]
        public async Task On_abort_answered_requests_keep_their_outcome_those_on_their_way_are_interrupted_and_the_rest_are_not_sent()
        {
            using var abort = new CancellationTokenSource();
            var recorder = new Recorder();
            var started = new ConcurrentBag<int>();
            var run = BulkSubmitter.RunAsync(6, 3, async (i, token) =>
            {
                started.Add(i);
                // Request 0 hangs; 1 and 2 answer at once; 3 and 4 take their places and hang too; 5 waits for a place.
                if (i == 0 || i >= 3) await Task.Delay(Timeout.Infinite, token);
                return SubmissionOutcome<Job>.Succeeded(new Job(i), "ok");
            }, Describe, recorder.Observer, CancellationToken.None, abort.Token);

            await WaitUntil(() => recorder.Answered.Count == 2 && started.Count == 5);
            Assert.Empty(recorder.InOrder);
            abort.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

            Assert.Equal(new[] { (0, SubmissionState.Interrupted), (1, SubmissionState.Created), (2, SubmissionState.Created), (3, SubmissionState.Interrupted), (4, SubmissionState.Interrupted) },
                recorder.InOrder.ToArray());
            Assert.Equal(5, recorder.Answered.Count);
            Assert.DoesNotContain(5, started);
        }

        [Fact]
        public async Task After_stop_sending_no_request_starts_but_those_on_their_way_are_answered()
        {
            using var stopSending = new CancellationTokenSource();
            using var release = new SemaphoreSlim(0);
            var recorder = new Recorder();
            var started = new ConcurrentBag<int>();
            var run = BulkSubmitter.RunAsync(5, 2, async (i, token) =>
            {
                started.Add(i);
                await release.WaitAsync(token);
                return SubmissionOutcome<Job>.Succeeded(new Job(i), "ok");
            }, Describe, recorder.Observer, stopSending.Token, CancellationToken.None);

            await WaitUntil(() => started.Count == 2);
            stopSending.Cancel();
            release.Release(2);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

            Assert.Equal(new[] { (0, SubmissionState.Created), (1, SubmissionState.Created) }, recorder.InOrder.ToArray());
            Assert.Equal(2, started.Count);
        }

        [Fact]
        public async Task When_handing_on_fails_every_request_already_sent_still_reports_before_the_method_returns()
        {
            using var abort = new CancellationTokenSource();
            var answered = new ConcurrentQueue<int>();
            var observer = new BulkObserver<Job>
            {
                Answered = (i, _) => answered.Enqueue(i),
                InOrder = (i, _) => throw new InvalidOperationException("the pipeline stopped"),
            };
            var started = 0;
            var run = BulkSubmitter.RunAsync(3, 3, async (i, token) =>
            {
                Interlocked.Increment(ref started);
                if (i > 0)
                {
                    await Task.Delay(200, CancellationToken.None);
                }
                else
                {
                    // Request 0 is answered (and its hand-on fails) only once all three are on their way.
                    await WaitUntil(() => Volatile.Read(ref started) == 3);
                }
                return SubmissionOutcome<Job>.Succeeded(new Job(i), "ok");
            }, Describe, observer, CancellationToken.None, abort.Token);

            await Assert.ThrowsAsync<InvalidOperationException>(() => run);
            Assert.Equal(new[] { 0, 1, 2 }, answered.OrderBy(i => i));
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int current;
            while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
            {
            }
        }

        private static async Task WaitUntil(Func<bool> condition)
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!condition())
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException("The condition never became true.");
                await Task.Delay(10);
            }
        }
    }
}
