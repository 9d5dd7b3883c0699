using System;
using System.Net.Http;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using ProfileJobs.Connection;
using ProfileJobs.Errors;

namespace ProfileJobs.Http
{
    /// <summary>An answer that succeeded: its body and the request id to quote.</summary>
    internal readonly struct ApiResponse
    {
        public ApiResponse(byte[] body, string? requestId)
        {
            Body = body;
            RequestId = requestId;
        }

        public byte[] Body { get; }
        public string? RequestId { get; }
    }

    /// <summary>
    /// Where every request of a session (platform and IMS) is sent from: it refuses once the session is disconnected,
    /// and turns every failure into a <see cref="PlatformApiException"/> through <see cref="ApiErrorTranslator"/>.
    /// </summary>
    internal sealed class ApiTransport
    {
        private readonly Func<HttpClient> _client;
        private readonly ConnectionLifetime _lifetime;

        public ApiTransport(Func<HttpClient> client, ConnectionLifetime lifetime)
        {
            _client = client;
            _lifetime = lifetime;
        }

        /// <summary>The platform's clock as this session's answers show it (their Date headers, and what creates stamp).</summary>
        public ServerClock Clock { get; } = new ServerClock();

        public static HttpContent JsonContent<T>(T value, JsonTypeInfo<T> type)
        {
            var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, type));
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            return content;
        }

        /// <summary>Sends the request and disposes it; the answer's body on success, a translated failure otherwise.</summary>
        public async Task<ApiResponse> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            using (request)
            using (_lifetime.Enter())
            {
                HttpResponseMessage response;
                var sentAt = Clock.Now;
                try
                {
                    // Headers-read: the innermost handler has already read the body, so HttpClient need not copy it into a buffer again.
                    response = await _client().SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException ex)
                {
                    throw ApiErrorTranslator.FromTimeout(request, ex);
                }
                catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    throw ApiErrorTranslator.FromTimeout(request, ex);
                }
                catch (HttpRequestException ex)
                {
                    throw ApiErrorTranslator.FromTransport(request, ex);
                }
                catch (ResponseTooLargeException ex)
                {
                    throw ApiErrorTranslator.FromOversizedAnswer(request, ex);
                }

                using (response)
                {
                    if (response.Headers.Date is { } date) Clock.Observe(date, ServerClock.DateHeaderResolution, sentAt);
                    // ResponseBufferHandler read the body inside the attempt; its bytes are taken as they are (no copy).
                    var body = response.Content is BufferedBody buffered ? buffered.Bytes : await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                    if (response.IsSuccessStatusCode) return new ApiResponse(body, RequestMetadata.RequestIdOf(request, response));
                    throw ApiErrorTranslator.FromAnswer(request, response, body);
                }
            }
        }
    }
}
