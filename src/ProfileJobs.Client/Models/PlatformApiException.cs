using System;
using System.Net;

namespace ProfileJobs
{
    /// <summary>What kind of failure a request ended in; cmdlets map it to an error id and category.</summary>
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
    }

    /// <summary>A request to Adobe IMS or Experience Platform that failed, with what the API said about it.</summary>
    public class PlatformApiException : Exception
    {
        public PlatformApiException(PlatformErrorKind kind, string message, HttpStatusCode? statusCode = null,
            string? errorCode = null, string? requestId = null, string? responseBody = null, Exception? inner = null)
            : base(message, inner)
        {
            Kind = kind;
            StatusCode = statusCode;
            ErrorCode = errorCode;
            RequestId = requestId;
            ResponseBody = responseBody;
        }

        public PlatformErrorKind Kind { get; }
        public HttpStatusCode? StatusCode { get; }

        /// <summary>The API's own code: gateway <c>error_code</c>, problem <c>type</c>, or IMS <c>error</c>.</summary>
        public string? ErrorCode { get; }
        public string? RequestId { get; }

        /// <summary>The response body as received, capped in size; never contains request secrets.</summary>
        public string? ResponseBody { get; }
    }
}
