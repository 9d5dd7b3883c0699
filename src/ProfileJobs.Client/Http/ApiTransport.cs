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
        public Task<ApiResponse> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            SendAsync(request, (body, requestId) => new ApiResponse(body.Body, requestId), cancellationToken);

        /// <summary>
        /// As <see cref="SendAsync(HttpRequestMessage, CancellationToken)"/>, handing a successful answer's body to
        /// <paramref name="read"/> where it was read (<see cref="BufferedContent.Span"/>, no copy), before the answer
        /// and its pooled buffer are released.
        /// </summary>
        public async Task<T> SendAsync<T>(HttpRequestMessage request, Func<BufferedContent, string?, T> read, CancellationToken cancellationToken)
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
                    // The body ResponseBufferHandler read, as it is (asking the content for its bytes would copy them twice).
                    var body = response.Content as BufferedContent ?? new BufferedContent(await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false));
                    if (response.IsSuccessStatusCode) return read(body, RequestMetadata.RequestIdOf(request, response));
                    throw ApiErrorTranslator.FromAnswer(request, response, body.Body);
                }
            }
        }
    }
}
