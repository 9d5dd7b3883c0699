using System;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using ProfileJobs.Http;
using Xunit;

namespace ProfileJobs.Client.Tests
{
    public sealed class RetryHandlerTests
    {
        private const string Jobs = "https://platform.example.test/data/core/ups/system/jobs";

        private static RetrySettings Fast(int retries = 4) => new RetrySettings
        {
            MaxRetries = retries,
            BaseDelay = TimeSpan.FromMilliseconds(1),
            MaxDelay = TimeSpan.FromSeconds(30),
            RequestTimeout = TimeSpan.FromSeconds(30),
        };

        private static async Task<(HttpResponseMessage Response, FakeHandler Inner)> SendAsync(RetrySettings settings, HttpMethod method, ApiOperation operation,
            Func<HttpRequestMessage, int, HttpResponseMessage> respond)
        {
            var inner = new FakeHandler(respond);
            var invoker = Chain.Of(inner, new RetryHandler(settings));
            var response = await invoker.SendAsync(Chain.Request(method, Jobs, operation), CancellationToken.None);
            return (response, inner);
        }

        [Theory]
        [InlineData(502)]
        [InlineData(503)]
        [InlineData(504)]
        [InlineData(429)]
        public async Task A_read_is_retried_on_a_transient_status_until_it_succeeds(int status)
        {
            var (response, inner) = await SendAsync(Fast(), HttpMethod.Get, ApiOperation.ListSystemJobs,
                (_, call) => call < 3 ? Responses.Status(status) : Responses.Status(200));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(3, inner.Calls);
            Assert.Equal(new[] { 1, 2, 3 }, inner.Seen.Select(s => s.Attempt));
        }

        [Theory]
        [InlineData(400)]
        [InlineData(401)]
        [InlineData(403)]
        [InlineData(404)]
        [InlineData(500)]
        [InlineData(307)]
        public async Task Other_statuses_are_not_retried(int status)
        {
            var (response, inner) = await SendAsync(Fast(), HttpMethod.Get, ApiOperation.ListSystemJobs, (_, _) => Responses.Status(status));

            Assert.Equal(status, (int)response.StatusCode);
            Assert.Equal(1, inner.Calls);
        }

        [Fact]
        public async Task Retries_are_bounded_in_attempts_and_the_last_answer_is_returned()
        {
            var (response, inner) = await SendAsync(Fast(retries: 2), HttpMethod.Get, ApiOperation.ListSystemJobs, (_, _) => Responses.Status(503));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(3, inner.Calls);
            Assert.Equal(3, RequestMetadata.AttemptOf(response.RequestMessage!));
        }

        [Fact]
        public async Task No_retry_starts_once_the_time_bound_has_passed()
        {
            var settings = Fast();
            settings.MaxRetryDuration = TimeSpan.Zero;
            var (response, inner) = await SendAsync(settings, HttpMethod.Get, ApiOperation.ListSystemJobs, (_, _) => Responses.Status(503));

            Assert.Equal(1, inner.Calls);
        }

        [Fact]
        public async Task A_Retry_After_longer_than_the_time_left_is_not_waited_for()
        {
            var settings = Fast();
            settings.MaxRetryDuration = TimeSpan.FromSeconds(2);
            var clock = Stopwatch.StartNew();
            var (_, inner) = await SendAsync(settings, HttpMethod.Get, ApiOperation.ListSystemJobs, (_, _) =>
            {
                var busy = Responses.Status(429);
                busy.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(60));
                return busy;
            });

            Assert.Equal(1, inner.Calls);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        }

        [Fact]
        public async Task Retry_After_in_seconds_is_waited_for()
        {
            var clock = Stopwatch.StartNew();
            var (response, inner) = await SendAsync(Fast(), HttpMethod.Get, ApiOperation.ListSystemJobs, (_, call) =>
            {
                if (call > 1) return Responses.Status(200);
                var busy = Responses.Status(429);
                busy.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(1));
                return busy;
            });

            Assert.Equal(2, inner.Calls);
            Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(900), $"waited only {clock.Elapsed}");
        }

        [Fact]
        public async Task Retry_After_as_an_HTTP_date_is_waited_for()
        {
            var clock = Stopwatch.StartNew();
            var (_, inner) = await SendAsync(Fast(), HttpMethod.Get, ApiOperation.ListSystemJobs, (_, call) =>
            {
                if (call > 1) return Responses.Status(200);
                var busy = Responses.Status(503);
                // HTTP dates have whole seconds: 3 s ahead is at least 2 s of waiting.
                busy.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(DateTimeOffset.UtcNow.AddSeconds(3));
                return busy;
            });

            Assert.Equal(2, inner.Calls);
            Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(1900), $"waited only {clock.Elapsed}");
        }

        [Fact]
        public async Task Profiles_retryAfterMs_body_field_is_waited_for()
        {
            var clock = Stopwatch.StartNew();
            var (_, inner) = await SendAsync(Fast(), HttpMethod.Get, ApiOperation.ListSystemJobs, (_, call) =>
                call > 1
                    ? Responses.Status(200)
                    : Responses.Json((HttpStatusCode)429, "{\"message\":\"Too many requests\",\"retryAfterMs\":\"600\",\"statusCode\":\"429\"}"));

            Assert.Equal(2, inner.Calls);
            Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(550), $"waited only {clock.Elapsed}");
        }

        [Fact]
        public async Task A_create_is_not_repeated_after_a_5xx_the_platform_may_have_processed()
        {
            var (response, inner) = await SendAsync(Fast(), HttpMethod.Post, ApiOperation.CreateSystemJob, (_, _) => Responses.Status(503));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(1, inner.Calls);
        }

        [Fact]
        public async Task A_create_is_repeated_after_a_429_which_the_platform_did_not_process()
        {
            var (response, inner) = await SendAsync(Fast(), HttpMethod.Post, ApiOperation.CreateSystemJob,
                (_, call) => call == 1 ? Responses.Status(429) : Responses.Status(200));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(2, inner.Calls);
        }

        [Fact]
        public async Task A_token_request_is_a_POST_that_is_safe_to_repeat()
        {
            var (response, inner) = await SendAsync(Fast(), HttpMethod.Post, ApiOperation.ImsToken,
                (_, call) => call == 1 ? Responses.Status(503) : Responses.Status(200));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(2, inner.Calls);
        }

        [Fact]
        public async Task A_create_is_repeated_after_a_refused_connection_but_not_after_a_dropped_one()
        {
            var refused = new FakeHandler((_, call, _) => call == 1
                ? throw new HttpRequestException("refused", new SocketException((int)SocketError.ConnectionRefused))
                : Task.FromResult(Responses.Status(200)));
            var response = await Chain.Of(refused, new RetryHandler(Fast())).SendAsync(Chain.Request(HttpMethod.Post, Jobs, ApiOperation.CreateSystemJob), CancellationToken.None);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(2, refused.Calls);

            var dropped = new FakeHandler((_, _, _) => throw new HttpRequestException("reset", new SocketException((int)SocketError.ConnectionReset)));
            await Assert.ThrowsAsync<HttpRequestException>(() =>
                Chain.Of(dropped, new RetryHandler(Fast())).SendAsync(Chain.Request(HttpMethod.Post, Jobs, ApiOperation.CreateSystemJob), CancellationToken.None));
            Assert.Equal(1, dropped.Calls);
        }

        [Fact]
        public async Task A_read_is_retried_after_a_dropped_connection()
        {
            var inner = new FakeHandler((_, call, _) => call == 1
                ? throw new HttpRequestException("reset", new SocketException((int)SocketError.ConnectionReset))
                : Task.FromResult(Responses.Status(200)));
            var response = await Chain.Of(inner, new RetryHandler(Fast())).SendAsync(Chain.Request(HttpMethod.Get, Jobs, ApiOperation.GetSystemJob), CancellationToken.None);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(2, inner.Calls);
        }

        [Fact]
        public async Task An_attempt_without_an_answer_in_time_ends_in_a_TimeoutException_after_the_retries()
        {
            var settings = Fast(retries: 1);
            settings.RequestTimeout = TimeSpan.FromMilliseconds(200);
            var inner = new FakeHandler(async (_, _, token) =>
            {
                await Task.Delay(TimeSpan.FromSeconds(30), token);
                return Responses.Status(200);
            });

            var failure = await Assert.ThrowsAsync<TimeoutException>(() =>
                Chain.Of(inner, new RetryHandler(settings)).SendAsync(Chain.Request(HttpMethod.Get, Jobs, ApiOperation.GetSystemJob), CancellationToken.None));

            Assert.Contains("no answer within 0.2 s", failure.Message);
            Assert.Equal(2, inner.Calls);
        }

        [Fact]
        public async Task A_refusal_from_an_inner_handler_is_not_retried()
        {
            var inner = new FakeHandler((_, _, _) => throw new PlatformApiException(PlatformErrorKind.Disconnected, "gone", errorId: "ContextDisconnected"));

            await Assert.ThrowsAsync<PlatformApiException>(() =>
                Chain.Of(inner, new RetryHandler(Fast())).SendAsync(Chain.Request(HttpMethod.Get, Jobs, ApiOperation.GetSystemJob), CancellationToken.None));
            Assert.Equal(1, inner.Calls);
        }

        [Fact]
        public async Task Cancellation_ends_a_backoff_at_once()
        {
            var settings = Fast();
            settings.BaseDelay = TimeSpan.FromSeconds(30);
            settings.MaxDelay = TimeSpan.FromSeconds(30);
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            var inner = new FakeHandler((_, _) => Responses.Status(503));
            var clock = Stopwatch.StartNew();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                Chain.Of(inner, new RetryHandler(settings)).SendAsync(Chain.Request(HttpMethod.Get, Jobs, ApiOperation.GetSystemJob), cancel.Token));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
        }
    }
}
