using System;
using System.Net;

namespace ProfileJobs
{
    /// <summary>What kind of failure a request ended in; each kind has one error category (see the README's error table).</summary>
    public enum PlatformErrorKind
    {
        InvalidRequest,
        Unauthorized,
        Forbidden,
        NotFound,
        Conflict,
        NotSupported,
        RateLimited,
        ServerError,
        Timeout,
        Network,
        InvalidResponse,
        AuthenticationFailed,

        /// <summary>The context was disconnected: nothing more is sent with it.</summary>
        Disconnected,

        /// <summary>A redirect, or a request bound for another origin than the configured one: refused, never followed.</summary>
        OriginRefused,

        /// <summary>The connection lacks what the API needs (a sandbox name or id): connect again with it.</summary>
        MissingConnectionValue,
    }

    /// <summary>
    /// A request to Adobe IMS or Experience Platform that failed, with what the API said about it. The client library
    /// gives it its final <see cref="ErrorId"/> (the ErrorRecord's id) and <see cref="Kind"/> (its category).
    /// </summary>
    public class PlatformApiException : Exception
    {
        public PlatformApiException(PlatformErrorKind kind, string message, HttpStatusCode? statusCode = null,
            string? errorCode = null, string? requestId = null, string? responseBody = null, Exception? inner = null,
            string? errorId = null, object? target = null)
            : base(message, inner)
        {
            Kind = kind;
            ErrorId = errorId ?? kind.ToString();
            StatusCode = statusCode;
            ErrorCode = errorCode;
            RequestId = requestId;
            ResponseBody = responseBody;
            Target = target;
        }

        public PlatformErrorKind Kind { get; }

        /// <summary>The error id a command reports this failure under, such as JobNotFound or DeleteRequestExists.</summary>
        public string ErrorId { get; }

        public HttpStatusCode? StatusCode { get; }

        /// <summary>The API's own code: gateway <c>error_code</c>, problem <c>type</c>, or IMS <c>error</c>.</summary>
        public string? ErrorCode { get; }

        public string? RequestId { get; }

        /// <summary>The response body as received, capped in size; never contains request secrets.</summary>
        public string? ResponseBody { get; }

        /// <summary>What the failure concerns when the client knows it better than the caller (the job already running, say).</summary>
        public object? Target { get; }

        /// <summary>
        /// The same failure told more precisely: a new message (and id, target) for what the caller knows about the
        /// request, keeping the status, API code, request id and body, and this exception as the inner one.
        /// </summary>
        internal PlatformApiException Refine(string message, string? errorId = null, object? target = null) =>
            new PlatformApiException(Kind, message, StatusCode, ErrorCode, RequestId, ResponseBody, this, errorId ?? ErrorId, target ?? Target);
    }

    /// <summary>The error ids the client library gives failures beyond a kind's own name.</summary>
    internal static class ErrorIds
    {
        public const string JobNotFound = "JobNotFound";
        public const string RecordDeleteNotFound = "RecordDeleteNotFound";
        public const string BatchRequiresTimeSeriesDataset = "BatchRequiresTimeSeriesDataset";
        public const string DeleteRequestExists = "DeleteRequestExists";
        public const string RemoveNotSupported = "RemoveNotSupported";
        public const string SubmissionFailed = "SubmissionFailed";
        public const string SubmissionOutcomeUnknown = "SubmissionOutcomeUnknown";
        public const string ContextDisconnected = "ContextDisconnected";
        public const string RedirectRefused = "RedirectRefused";
        public const string ResponseTooLarge = "ResponseTooLarge";
        public const string ForeignOrigin = "ForeignOriginRefused";
        public const string SandboxNameRequired = "SandboxNameRequired";
        public const string SandboxIdRequired = "SandboxIdRequired";
    }
}
