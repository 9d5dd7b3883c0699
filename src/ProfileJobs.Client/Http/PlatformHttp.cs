using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using ProfileJobs.Json;

namespace ProfileJobs.Http
{
    /// <summary>A platform response that succeeded: its body and the request id to quote.</summary>
    internal readonly struct PlatformResponse
    {
        public PlatformResponse(byte[] body, string? requestId)
        {
            Body = body;
            RequestId = requestId;
        }

        public byte[] Body { get; }
        public string? RequestId { get; }
    }

    /// <summary>Sends platform requests and turns every failure into a <see cref="PlatformApiException"/>.</summary>
    internal sealed class PlatformHttp
    {
        private const int MaxQuotedBody = 2048;
        private readonly Func<HttpClient> _client;

        public PlatformHttp(Func<HttpClient> client) => _client = client;

        public static HttpContent JsonContent<T>(T value, JsonTypeInfo<T> type)
        {
            var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, type));
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            return content;
        }

        /// <summary>Sandbox-scoped APIs take the sandbox name; AWS-era contexts that only know an id send that.</summary>
        public static void AddSandbox(HttpRequestMessage request, ExperiencePlatformContext context)
        {
            if (context.SandboxName != null) request.Headers.TryAddWithoutValidation("x-sandbox-name", context.SandboxName);
            else request.Headers.TryAddWithoutValidation("x-sandbox-id", context.SandboxId);
        }

        public async Task<PlatformResponse> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            HttpResponseMessage response;
            try
            {
                response = await _client().SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new PlatformApiException(PlatformErrorKind.Timeout,
                    $"{request.Method} {TracingHandler.PathOf(request)} did not answer within the request timeout.",
                    requestId: TracingHandler.RequestIdOf(request), inner: ex);
            }
            catch (HttpRequestException ex)
            {
                throw new PlatformApiException(PlatformErrorKind.Network,
                    $"{request.Method} {TracingHandler.PathOf(request)} failed: {ex.Message}",
                    requestId: TracingHandler.RequestIdOf(request), inner: ex);
            }

            using (response)
            {
                var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                var requestId = TracingHandler.ResponseRequestId(request, response);
                if (response.IsSuccessStatusCode) return new PlatformResponse(body, requestId);
                throw ToException(request, response.StatusCode, response.ReasonPhrase, body, requestId);
            }
        }

        private static PlatformApiException ToException(HttpRequestMessage request, HttpStatusCode status, string? reason, byte[] body, string? requestId)
        {
            var text = Encoding.UTF8.GetString(body);
            var error = JsonBodies.TryRead(text, ClientJsonContext.Default.ErrorBody);
            var apiMessage = DescribeError(error, ErrorItems(error)) ?? Truncate(text);
            var items = ErrorItems(error);
            var code = error?.GatewayCode ?? error?.Type ?? items.FirstOrDefault()?.Code;
            var kind = KindOf(status, apiMessage);
            var notes = new List<string>();
            if (error?.RequestId != null || requestId != null) notes.Add($"request id {error?.RequestId ?? requestId}");
            var attempts = TracingHandler.AttemptOf(request);
            if (attempts > 1) notes.Add($"after {attempts} attempts");
            var message = $"{request.Method} {TracingHandler.PathOf(request)} failed with {(int)status} {reason ?? status.ToString()}"
                          + (string.IsNullOrEmpty(apiMessage) ? "." : $": {apiMessage}")
                          + (notes.Count > 0 ? $" ({string.Join(", ", notes)})" : "");
            return new PlatformApiException(kind, message, status, code, error?.RequestId ?? requestId, Redaction.Body(Truncate(text)));
        }

        private static List<ErrorItem> ErrorItems(ErrorBody? error)
        {
            var items = new List<ErrorItem>();
            if (error == null) return items;
            void Add(JsonElement element)
            {
                if (element.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in element.EnumerateArray()) Add(item);
                }
                else if (element.ValueKind == JsonValueKind.Object)
                {
                    if (element.TryGetProperty("message", out _) || element.TryGetProperty("code", out _))
                    {
                        items.Add(new ErrorItem
                        {
                            Code = element.TryGetProperty("code", out var code) ? code.ToString() : null,
                            Message = element.TryGetProperty("message", out var message) ? message.ToString() : null,
                        });
                    }
                    else
                    {
                        foreach (var property in element.EnumerateObject()) Add(property.Value);
                    }
                }
            }
            Add(error.Errors);
            return items;
        }

        private static string? DescribeError(ErrorBody? error, List<ErrorItem> items)
        {
            if (error == null) return null;
            var messages = items.Select(e => e.Message).Where(m => !string.IsNullOrEmpty(m)).ToList();
            if (messages.Count > 0) return string.Join("; ", messages);
            // A problem's detail is the specific part; its title is generic ("Bad request").
            return error.Detail ?? error.Message ?? error.Title;
        }

        private static PlatformErrorKind KindOf(HttpStatusCode status, string? apiMessage)
        {
            var code = (int)status;
            if (apiMessage != null && apiMessage.IndexOf("already exist", StringComparison.OrdinalIgnoreCase) >= 0) return PlatformErrorKind.Conflict;
            switch (code)
            {
                case 400:
                case 422:
                    return PlatformErrorKind.InvalidRequest;
                case 401:
                    return PlatformErrorKind.Unauthorized;
                case 403:
                    return PlatformErrorKind.Forbidden;
                case 404:
                    return PlatformErrorKind.NotFound;
                case 405:
                case 501:
                    return PlatformErrorKind.NotSupported;
                case 409:
                    return PlatformErrorKind.Conflict;
                case 429:
                    return PlatformErrorKind.RateLimited;
                default:
                    return code >= 500 ? PlatformErrorKind.ServerError : PlatformErrorKind.InvalidRequest;
            }
        }

        private static string Truncate(string text) =>
            text.Length <= MaxQuotedBody ? text : text.Substring(0, MaxQuotedBody) + "...";
    }
}
