using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using ProfileJobs.Http;
using ProfileJobs.Json;

namespace ProfileJobs.Errors
{
    /// <summary>
    /// The one translation of an HTTP answer (status and body), a transport failure or a timeout into a
    /// <see cref="PlatformApiException"/> with its final error id and kind. What an answer means depends on the
    /// operation that got it: a 404 of a job read is JobNotFound, a 405 of a DELETE is RemoveNotSupported, and so on.
    /// </summary>
    internal static class ApiErrorTranslator
    {
        private const int MaxQuotedBody = 2048;

        public static PlatformApiException FromAnswer(HttpRequestMessage request, HttpResponseMessage response, byte[] body)
        {
            var status = response.StatusCode;
            var requestId = RequestMetadata.RequestIdOf(request, response);
            if ((int)status >= 300 && (int)status < 400) return Redirect(request, response, requestId);

            var text = Encoding.UTF8.GetString(body);
            var operation = RequestMetadata.OperationOf(request);
            if (operation == ApiOperation.ImsToken) return ImsRefusal(request, response, text);

            var error = JsonReading.TryRead(text, ClientJsonContext.Default.ErrorBody);
            var items = ErrorItems(error);
            var apiMessage = DescribeError(error, items) ?? Truncate(text);
            var code = error?.GatewayCode ?? error?.Type ?? items.FirstOrDefault()?.Code;
            requestId = error?.RequestId ?? requestId;
            var (kind, errorId) = Meaning(operation, status, code, apiMessage);

            var notes = new List<string>();
            if (requestId != null) notes.Add($"request id {requestId}");
            var attempts = RequestMetadata.AttemptsNote(request);
            if (attempts != null) notes.Add(attempts);
            var message = $"{Describe(request)} failed with {(int)status} {response.ReasonPhrase ?? status.ToString()}"
                          + (string.IsNullOrEmpty(apiMessage) ? "." : $": {apiMessage}")
                          + (notes.Count > 0 ? $" ({string.Join(", ", notes)})" : "")
                          + Advice(errorId);
            return new PlatformApiException(kind, message, status, code, requestId, Redaction.Body(Truncate(text)), errorId: errorId);
        }

        /// <summary>The connection failed (refused, reset, DNS...): nothing was answered.</summary>
        public static PlatformApiException FromTransport(HttpRequestMessage request, HttpRequestException exception) =>
            new PlatformApiException(PlatformErrorKind.Network,
                $"{Describe(request)} failed: {exception.Message}{Parenthesized(RequestMetadata.AttemptsNote(request))}",
                requestId: RequestMetadata.RequestIdOf(request), inner: exception);

        /// <summary>No answer within the per-attempt timeout (the retry handler's <see cref="TimeoutException"/>).</summary>
        public static PlatformApiException FromTimeout(HttpRequestMessage request, Exception exception)
        {
            var detail = exception is TimeoutException ? exception.Message : "got no answer within the request timeout";
            return new PlatformApiException(PlatformErrorKind.Timeout,
                $"{Describe(request)} {detail} (attempt {RequestMetadata.AttemptOf(request)}).",
                requestId: RequestMetadata.RequestIdOf(request), inner: exception);
        }

        /// <summary>An answer whose body is larger than a response may be (<see cref="ResponseBufferHandler"/>): InvalidResponse, ResponseTooLarge.</summary>
        public static PlatformApiException FromOversizedAnswer(HttpRequestMessage request, ResponseTooLargeException exception) =>
            new PlatformApiException(PlatformErrorKind.InvalidResponse,
                $"{Describe(request)} was answered, but {exception.Message}; the answer was not read.",
                requestId: RequestMetadata.RequestIdOf(request), inner: exception, errorId: ErrorIds.ResponseTooLarge);

        /// <summary>What the status and the API's code or message mean for this operation.</summary>
        internal static (PlatformErrorKind Kind, string ErrorId) Meaning(ApiOperation operation, HttpStatusCode status, string? code, string? apiMessage)
        {
            var kind = KindOf(status);
            switch (operation)
            {
                case ApiOperation.GetSystemJob:
                    if (status == HttpStatusCode.NotFound) return (kind, ErrorIds.JobNotFound);
                    break;
                case ApiOperation.DeleteSystemJob:
                    if (status == HttpStatusCode.NotFound) return (kind, ErrorIds.JobNotFound);
                    if (kind == PlatformErrorKind.NotSupported) return (kind, ErrorIds.RemoveNotSupported);
                    break;
                case ApiOperation.GetRecordDelete:
                case ApiOperation.GetWorkOrder:
                case ApiOperation.UpdateWorkOrder:
                    if (status == HttpStatusCode.NotFound) return (kind, ErrorIds.RecordDeleteNotFound);
                    break;
                case ApiOperation.CreateSystemJob:
                    // The unified docs give the record-dataset refusal a problem type (UPAPI-036002); the Azure
                    // generation only says it in its message. A running delete of the same target: 409 or, as
                    // SPEC-PROF documents it, a 4xx saying the request "already exists".
                    if (Contains(code, "UPAPI-036002") || Contains(apiMessage, "Batch can only be specified"))
                        return (PlatformErrorKind.InvalidRequest, ErrorIds.BatchRequiresTimeSeriesDataset);
                    if (status == HttpStatusCode.Conflict || ((int)status < 500 && Contains(apiMessage, "already exist")))
                        return (PlatformErrorKind.Conflict, ErrorIds.DeleteRequestExists);
                    break;
            }
            return (kind, kind.ToString());
        }

        internal static PlatformErrorKind KindOf(HttpStatusCode status)
        {
            var code = (int)status;
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

        private static PlatformApiException Redirect(HttpRequestMessage request, HttpResponseMessage response, string? requestId)
        {
            var from = request.RequestUri;
            var location = response.Headers.Location;
            var to = location == null ? null : location.IsAbsoluteUri ? location : from != null ? new Uri(from, location) : null;
            var where = to == null ? "elsewhere (no Location given)" : $"{to.Scheme}://{to.Authority}";
            var message = $"{Describe(request)} was answered with {(int)response.StatusCode} {response.ReasonPhrase}, a redirect from " +
                          $"{from?.Scheme}://{from?.Authority} to {where}. Redirects are never followed, so nothing was sent there. " +
                          "If the service really moved, connect again with its address (-PlatformUri or -ImsUri).";
            return new PlatformApiException(PlatformErrorKind.OriginRefused, message, response.StatusCode, requestId: requestId, errorId: ErrorIds.RedirectRefused);
        }

        private static PlatformApiException ImsRefusal(HttpRequestMessage request, HttpResponseMessage response, string text)
        {
            var error = JsonReading.TryRead(text, ClientJsonContext.Default.ImsErrorBody);
            var code = error?.Error ?? ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            var description = error?.ErrorDescription ?? response.ReasonPhrase;
            var subject = RequestMetadata.SubjectOf(request);
            return new PlatformApiException(PlatformErrorKind.AuthenticationFailed,
                $"Adobe IMS refused the token request{(subject != null ? " for " + subject : "")}: {code}: {description}",
                response.StatusCode, code, RequestMetadata.RequestIdOf(request, response), Redaction.Body(Truncate(text)));
        }

        private static string? Advice(string errorId) =>
            errorId == ErrorIds.RemoveNotSupported ? " Removing a system job is not supported on this instance; the job was not changed." : null;

        private static string Describe(HttpRequestMessage request) => $"{request.Method} {RequestMetadata.PathOf(request)}";

        private static string Parenthesized(string? note) => note == null ? "" : $" ({note})";

        private static bool Contains(string? text, string part) => text != null && text.IndexOf(part, StringComparison.OrdinalIgnoreCase) >= 0;

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

        private static string Truncate(string text) =>
            text.Length <= MaxQuotedBody ? text : text.Substring(0, MaxQuotedBody) + "...";
    }
}
