using System;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using ProfileJobs.Json;

namespace ProfileJobs.Http
{
    /// <summary>
    /// Retries what is safe to repeat, bounded in attempts and time, honouring Retry-After (seconds or date) and
    /// Profile's <c>retryAfterMs</c>. A request that creates something (POST) is repeated only when the platform
    /// certainly did not process it: a 429, or a connection that was refused. An attempt that gets no answer in time
    /// ends in a <see cref="TimeoutException"/>, which <see cref="ApiTransport"/> translates like every other failure.
    /// The first attempt runs on its own, with its timeout; only an outcome that may be retried builds the Polly
    /// pipeline (once per handler) and hands that outcome to it, so the pipeline decides, waits and retries exactly as
    /// if it had run the first attempt itself. Most requests need no retry, and a cold process then neither builds nor
    /// runs the pipeline.
    /// </summary>
    internal sealed class RetryHandler : DelegatingHandler
    {
        private static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new ResiliencePropertyKey<HttpRequestMessage>("request");
        private static readonly ResiliencePropertyKey<Stopwatch> ClockKey = new ResiliencePropertyKey<Stopwatch>("clock");
        private static readonly ResiliencePropertyKey<TimeSpan?> ServerDelayKey = new ResiliencePropertyKey<TimeSpan?>("server-delay");

        private readonly RetrySettings _settings;
        private ResiliencePipeline<HttpResponseMessage>? _pipeline;

        public RetryHandler(RetrySettings settings) => _settings = settings;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var clock = Stopwatch.StartNew();
            RequestMetadata.SetAttempt(request, 1);
            HttpResponseMessage? response = null;
            Exception? failure = null;
            using (var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                attempt.CancelAfter(_settings.RequestTimeout);
                try
                {
                    response = await SendOnceAsync(request, attempt.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException ex) when (attempt.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    // As Polly's timeout strategy reports an attempt its timeout cancelled.
                    failure = new TimeoutRejectedException(
                        string.Format(CultureInfo.InvariantCulture, "The operation didn't complete within the allowed timeout of '{0}'.", _settings.RequestTimeout),
                        _settings.RequestTimeout, ex);
                }
                catch (Exception ex)
                {
                    failure = ex;
                }
            }

            if (!MayRetry(request, response, failure, cancellationToken))
            {
                if (failure == null) return response!;
                if (failure is TimeoutRejectedException timeout) throw AttemptTimedOut(timeout);
                ExceptionDispatchInfo.Capture(failure).Throw();
            }
            return await RetryAsync(request, response, failure, clock, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Hands the first attempt's outcome to the pipeline, which decides on it as on any other and retries.</summary>
        private async Task<HttpResponseMessage> RetryAsync(HttpRequestMessage request, HttpResponseMessage? firstResponse, Exception? firstFailure,
            Stopwatch clock, CancellationToken cancellationToken)
        {
            var pipeline = LazyInitializer.EnsureInitialized(ref _pipeline, BuildPipeline)!;
            var context = ResilienceContextPool.Shared.Get(cancellationToken);
            context.Properties.Set(RequestKey, request);
            context.Properties.Set(ClockKey, clock);
            var attempt = 1;
            var replayed = false;
            try
            {
                return await pipeline.ExecuteAsync((ctx, handler) =>
                {
                    if (!replayed)
                    {
                        replayed = true;
                        if (firstFailure != null) ExceptionDispatchInfo.Capture(firstFailure).Throw();
                        return new ValueTask<HttpResponseMessage>(firstResponse!);
                    }
                    RequestMetadata.SetAttempt(request, ++attempt);
                    return new ValueTask<HttpResponseMessage>(handler.SendOnceAsync(request, ctx.CancellationToken));
                }, context, this).ConfigureAwait(false);
            }
            catch (TimeoutRejectedException ex)
            {
                throw AttemptTimedOut(ex);
            }
            finally
            {
                // A pipeline that stopped before it took the first answer (cancelled at once) leaves it to us.
                if (!replayed) firstResponse?.Dispose();
                ResilienceContextPool.Shared.Return(context);
            }
        }

        private ResiliencePipeline<HttpResponseMessage> BuildPipeline()
        {
            var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
            if (_settings.MaxRetries > 0)
            {
                builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
                {
                    MaxRetryAttempts = _settings.MaxRetries,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = _settings.BaseDelay,
                    MaxDelay = _settings.MaxDelay,
                    ShouldHandle = ShouldRetryAsync,
                    DelayGenerator = args => new ValueTask<TimeSpan?>(args.Context.Properties.GetValue(ServerDelayKey, null)),
                    OnRetry = OnRetryAsync,
                });
            }
            builder.AddTimeout(_settings.RequestTimeout);
            return builder.Build();
        }

        private TimeoutException AttemptTimedOut(TimeoutRejectedException ex) =>
            new TimeoutException(string.Format(CultureInfo.InvariantCulture, "got no answer within {0:0.###} s", _settings.RequestTimeout.TotalSeconds), ex);

        private Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            base.SendAsync(request, cancellationToken);

        /// <summary>
        /// Whether an outcome may be retried at all, before the time bound and the server's delay are considered
        /// (<see cref="ShouldRetryAsync"/>): something retries are on for, not cancelled, and a failure or status that
        /// is transient for this request.
        /// </summary>
        private bool MayRetry(HttpRequestMessage request, HttpResponseMessage? response, Exception? failure, CancellationToken cancellationToken)
        {
            if (_settings.MaxRetries <= 0 || cancellationToken.IsCancellationRequested) return false;
            var safeToRepeat = IsIdempotent(request.Method) || ApiOperations.IsSafeToRepeat(RequestMetadata.OperationOf(request));
            if (failure != null)
            {
                return failure switch
                {
                    TimeoutRejectedException _ => safeToRepeat,
                    HttpRequestException http => safeToRepeat || WasRefused(http),
                    _ => false,
                };
            }
            var status = (int)response!.StatusCode;
            return status == 429 || (safeToRepeat && (status == 502 || status == 503 || status == 504));
        }

        private async ValueTask<bool> ShouldRetryAsync(RetryPredicateArguments<HttpResponseMessage> args)
        {
            args.Context.Properties.Set(ServerDelayKey, null);
            var request = args.Context.Properties.GetValue(RequestKey, null!);
            var response = args.Outcome.Exception == null ? args.Outcome.Result : null;
            if (!MayRetry(request, response, args.Outcome.Exception, args.Context.CancellationToken)) return false;

            var serverDelay = response != null ? await ServerDelayAsync(response).ConfigureAwait(false) : null;
            var elapsed = args.Context.Properties.GetValue(ClockKey, Stopwatch.StartNew()).Elapsed;
            var wait = serverDelay ?? _settings.BaseDelay;
            if (elapsed + wait > _settings.MaxRetryDuration) return false;
            args.Context.Properties.Set(ServerDelayKey, serverDelay);
            return true;
        }

        private static ValueTask OnRetryAsync(OnRetryArguments<HttpResponseMessage> args)
        {
            var request = args.Context.Properties.GetValue(RequestKey, null!);
            var log = Diagnostics.OperationScope.Current;
            if (log != null && log.IsVerboseEnabled)
            {
                var reason = args.Outcome.Exception != null
                    ? args.Outcome.Exception.GetType().Name
                    : $"{(int)args.Outcome.Result!.StatusCode} {args.Outcome.Result.ReasonPhrase}";
                log.WriteVerbose($"Retrying {request.Method} {RequestMetadata.PathOf(request)} in {args.RetryDelay.TotalMilliseconds:0} ms after {reason} (retry {args.AttemptNumber + 1}).");
            }
            args.Outcome.Result?.Dispose();
            return default;
        }

        private static bool IsIdempotent(HttpMethod method) =>
            method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options || method == HttpMethod.Put;

        /// <summary>A refused connection never reached the server, so even a POST can be sent again.</summary>
        private static bool WasRefused(HttpRequestException exception) =>
            exception.InnerException is SocketException socket && socket.SocketErrorCode == SocketError.ConnectionRefused;

        /// <summary>What the server asked for: Retry-After in seconds or as a date, or Profile's retryAfterMs body field.</summary>
        private static async Task<TimeSpan?> ServerDelayAsync(HttpResponseMessage response)
        {
            var retryAfter = response.Headers.RetryAfter;
            if (retryAfter?.Delta != null) return retryAfter.Delta.Value;
            if (retryAfter?.Date != null)
            {
                var wait = retryAfter.Date.Value - DateTimeOffset.UtcNow;
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
            if (response.StatusCode != (HttpStatusCode)429 || response.Content == null) return null;

            await response.Content.LoadIntoBufferAsync().ConfigureAwait(false);
            var body = JsonReading.TryRead(await response.Content.ReadAsStringAsync().ConfigureAwait(false), ClientJsonContext.Default.ErrorBody);
            var ms = body?.RetryAfterMs;
            if (ms == null) return null;
            if (ms.Value.ValueKind == JsonValueKind.Number && ms.Value.TryGetDouble(out var number)) return TimeSpan.FromMilliseconds(number);
            if (ms.Value.ValueKind == JsonValueKind.String &&
                double.TryParse(ms.Value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)) return TimeSpan.FromMilliseconds(parsed);
            return null;
        }
    }
}
