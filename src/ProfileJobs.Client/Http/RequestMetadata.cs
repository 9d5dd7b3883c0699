using System;
using System.Linq;
using System.Net.Http;

namespace ProfileJobs.Http
{
    /// <summary>
    /// What travels with a request through the handlers: its operation, its attempt number (set by the retry handler),
    /// its subject for messages, and its <c>x-request-id</c>; and how to show its path. The one place these are kept.
    /// </summary>
    internal static class RequestMetadata
    {
        public const string RequestIdHeader = "x-request-id";
        private const string OperationKey = "ProfileJobs.Operation";
        private const string AttemptKey = "ProfileJobs.Attempt";
        private const string SubjectKey = "ProfileJobs.Subject";

        /// <summary>A request for <paramref name="operation"/>; <paramref name="subject"/> names what it concerns in messages.</summary>
        public static HttpRequestMessage Create(HttpMethod method, string path, ApiOperation operation, HttpContent? content = null, string? subject = null)
        {
            var request = new HttpRequestMessage(method, path) { Content = content };
            request.Properties[OperationKey] = operation;
            if (subject != null) request.Properties[SubjectKey] = subject;
            return request;
        }

        /// <summary>The request's operation; a request built elsewhere counts as a read of system jobs.</summary>
        public static ApiOperation OperationOf(HttpRequestMessage request) =>
            request.Properties.TryGetValue(OperationKey, out var value) && value is ApiOperation operation ? operation : ApiOperation.ListSystemJobs;

        public static string? SubjectOf(HttpRequestMessage request) =>
            request.Properties.TryGetValue(SubjectKey, out var value) ? value as string : null;

        /// <summary>The attempt that is (or was last) on the wire, 1 for the first.</summary>
        public static int AttemptOf(HttpRequestMessage request) =>
            request.Properties.TryGetValue(AttemptKey, out var value) && value is int number ? number : 1;

        public static void SetAttempt(HttpRequestMessage request, int attempt) => request.Properties[AttemptKey] = attempt;

        public static string PathOf(HttpRequestMessage request) =>
            request.RequestUri == null ? "" : request.RequestUri.IsAbsoluteUri ? request.RequestUri.PathAndQuery : request.RequestUri.OriginalString;

        public static void EnsureRequestId(HttpRequestMessage request)
        {
            if (!request.Headers.Contains(RequestIdHeader)) request.Headers.TryAddWithoutValidation(RequestIdHeader, Guid.NewGuid().ToString("D"));
        }

        public static string? RequestIdOf(HttpRequestMessage request) =>
            request.Headers.TryGetValues(RequestIdHeader, out var values) ? values.FirstOrDefault() : null;

        /// <summary>The id the platform answered with, or the one sent.</summary>
        public static string? RequestIdOf(HttpRequestMessage request, HttpResponseMessage response) =>
            response.Headers.TryGetValues(RequestIdHeader, out var values) ? values.FirstOrDefault() : RequestIdOf(request);

        /// <summary>"after 5 attempts" when there was more than one, for failure messages.</summary>
        public static string? AttemptsNote(HttpRequestMessage request)
        {
            var attempts = AttemptOf(request);
            return attempts > 1 ? $"after {attempts} attempts" : null;
        }
    }
}
