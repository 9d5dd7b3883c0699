using System;
using System.Management.Automation;

namespace ProfileJobs.Infrastructure
{
    /// <summary>Turns failures into ErrorRecords with stable ids, fitting categories and the target they concern.</summary>
    internal static class PlatformErrors
    {
        public static ErrorRecord From(PlatformApiException exception, object? target, string? errorId = null)
        {
            var record = new ErrorRecord(exception, errorId ?? exception.Kind.ToString(), CategoryOf(exception.Kind), target);
            var advice = AdviceFor(exception.Kind);
            if (advice != null) record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = advice };
            return record;
        }

        public static ErrorRecord InvalidArgument(string message, string errorId, object? target) =>
            new ErrorRecord(new ArgumentException(message), errorId, ErrorCategory.InvalidArgument, target);

        public static ErrorRecord NotConnected() =>
            new ErrorRecord(
                new InvalidOperationException("Not connected to Adobe Experience Platform. Run Connect-ExperiencePlatform first, or pass a context with -Context."),
                "NotConnected", ErrorCategory.ConnectionError, null)
            {
                ErrorDetails = new ErrorDetails("Not connected to Adobe Experience Platform. Run Connect-ExperiencePlatform first, or pass a context with -Context.")
                {
                    RecommendedAction = "Connect-ExperiencePlatform -ClientId <id> -ClientSecret <secret> -OrgId <org>@AdobeOrg",
                },
            };

        public static ErrorRecord Disconnected(ExperiencePlatformContext context) =>
            new ErrorRecord(
                new System.InvalidOperationException($"The context for {context} was disconnected with Disconnect-ExperiencePlatform. Connect again."),
                "ContextDisconnected", ErrorCategory.ConnectionError, context);

        public static ErrorCategory CategoryOf(PlatformErrorKind kind)
        {
            switch (kind)
            {
                case PlatformErrorKind.InvalidRequest: return ErrorCategory.InvalidArgument;
                case PlatformErrorKind.Unauthorized:
                case PlatformErrorKind.AuthenticationFailed: return ErrorCategory.AuthenticationError;
                case PlatformErrorKind.Forbidden: return ErrorCategory.PermissionDenied;
                case PlatformErrorKind.NotFound: return ErrorCategory.ObjectNotFound;
                case PlatformErrorKind.Conflict: return ErrorCategory.ResourceExists;
                case PlatformErrorKind.NotSupported: return ErrorCategory.InvalidOperation;
                case PlatformErrorKind.RateLimited: return ErrorCategory.LimitsExceeded;
                case PlatformErrorKind.ServerError: return ErrorCategory.ResourceUnavailable;
                case PlatformErrorKind.Timeout: return ErrorCategory.OperationTimeout;
                case PlatformErrorKind.Network: return ErrorCategory.ConnectionError;
                case PlatformErrorKind.InvalidResponse: return ErrorCategory.InvalidResult;
                default: return ErrorCategory.NotSpecified;
            }
        }

        private static string? AdviceFor(PlatformErrorKind kind)
        {
            switch (kind)
            {
                case PlatformErrorKind.Forbidden: return "Check that the API credential's product profile grants access to this organization and sandbox.";
                case PlatformErrorKind.AuthenticationFailed: return "Check the client id, client secret and scopes of the OAuth server-to-server credential in the Adobe Developer Console.";
                case PlatformErrorKind.RateLimited: return "Wait and try again, or reduce how many requests run at once.";
                default: return null;
            }
        }
    }
}
