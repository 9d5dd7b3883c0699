using System;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
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
    /// </summary>
    internal sealed class RetryHandler : DelegatingHandler
    {
        private static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new ResiliencePropertyKey<HttpRequestMessage>("request");
        private static readonly ResiliencePropertyKey<Stopwatch> ClockKey = new ResiliencePropertyKey<Stopwatch>("clock");
        private static readonly ResiliencePropertyKey<TimeSpan?> ServerDelayKey = new ResiliencePropertyKey<TimeSpan?>("server-delay");

        private readonly RetrySettings _settings;
        private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

        public RetryHandler(RetrySettings settings)
        {
            _settings = settings;
            var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
            if (settings.MaxRetries > 0)
            {
                builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
                {
                    MaxRetryAttempts = settings.MaxRetries,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = settings.BaseDelay,
                    MaxDelay = settings.MaxDelay,
                    ShouldHandle = ShouldRetryAsync,
                    DelayGenerator = args => new ValueTask<TimeSpan?>(args.Context.Properties.GetValue(ServerDelayKey, null)),
                    OnRetry = OnRetryAsync,
                });
            }
            builder.AddTimeout(settings.RequestTimeout);
            _pipeline = builder.Build();
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var context = ResilienceContextPool.Shared.Get(cancellationToken);
            context.Properties.Set(RequestKey, request);
            context.Properties.Set(ClockKey, Stopwatch.StartNew());
            var attempt = 0;
            try
            {
                return await _pipeline.ExecuteAsync(async (ctx, handler) =>
                {
                    RequestMetadata.SetAttempt(request, ++attempt);
                    return await handler.SendOnceAsync(request, ctx.CancellationToken).ConfigureAwait(false);
                }, context, this).ConfigureAwait(false);
            }
            catch (TimeoutRejectedException ex)
            {
                throw new TimeoutException(
                    string.Format(CultureInfo.InvariantCulture, "got no answer within {0:0.###} s", _settings.RequestTimeout.TotalSeconds), ex);
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }
        }

        private Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            base.SendAsync(request, cancellationToken);

        private async ValueTask<bool> ShouldRetryAsync(RetryPredicateArguments<HttpResponseMessage> args)
        {
            args.Context.Properties.Set(ServerDelayKey, null);
            if (args.Context.CancellationToken.IsCancellationRequested) return false;
            var request = args.Context.Properties.GetValue(RequestKey, null!);
            var safeToRepeat = IsIdempotent(request.Method) || ApiOperations.IsSafeToRepeat(RequestMetadata.OperationOf(request));

            bool retry;
            TimeSpan? serverDelay = null;
            if (args.Outcome.Exception != null)
            {
                retry = args.Outcome.Exception switch
                {
                    TimeoutRejectedException _ => safeToRepeat,
                    HttpRequestException http => safeToRepeat || WasRefused(http),
                    _ => false,
                };
            }
            else
            {
                var response = args.Outcome.Result!;
                var status = (int)response.StatusCode;
                retry = status == 429 || (safeToRepeat && (status == 502 || status == 503 || status == 504));
                if (retry) serverDelay = await ServerDelayAsync(response).ConfigureAwait(false);
            }
            if (!retry) return false;

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
