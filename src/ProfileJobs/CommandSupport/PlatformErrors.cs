using System;
using System.Management.Automation;
using ProfileJobs.Connection;

namespace ProfileJobs.CommandSupport
{
    /// <summary>
    /// Turns failures into ErrorRecords. A <see cref="PlatformApiException"/> already carries its final error id and
    /// kind (the client decided them); this only picks the category of each kind and adds advice.
    /// </summary>
    internal static class PlatformErrors
    {
        public const string InvalidConnectionParameterId = "InvalidConnectionParameter";

        public static ErrorRecord From(PlatformApiException exception, object? target)
        {
            var record = new ErrorRecord(exception, exception.ErrorId, CategoryOf(exception.Kind), exception.Target ?? target);
            var advice = AdviceFor(exception.Kind);
            if (advice != null) record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = advice };
            return record;
        }

        public static ErrorRecord InvalidArgument(string message, string errorId, object? target) =>
            new ErrorRecord(new ArgumentException(message), errorId, ErrorCategory.InvalidArgument, target);

        /// <summary>A connection value refused before any request; the target is the parameter (or variable) it came from.</summary>
        public static ErrorRecord InvalidConnectionParameter(ArgumentException exception) =>
            new ErrorRecord(exception, InvalidConnectionParameterId, ErrorCategory.InvalidArgument, exception.ParamName);

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

        public static ErrorRecord Disconnected(ExperiencePlatformContext context) => From(PlatformSession.Of(context).DisconnectedError(), context);

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
                case PlatformErrorKind.NotSupported:
                case PlatformErrorKind.MissingConnectionValue: return ErrorCategory.InvalidOperation;
                case PlatformErrorKind.RateLimited: return ErrorCategory.LimitsExceeded;
                case PlatformErrorKind.ServerError: return ErrorCategory.ResourceUnavailable;
                case PlatformErrorKind.Timeout: return ErrorCategory.OperationTimeout;
                case PlatformErrorKind.Network:
                case PlatformErrorKind.Disconnected: return ErrorCategory.ConnectionError;
                case PlatformErrorKind.InvalidResponse: return ErrorCategory.InvalidResult;
                case PlatformErrorKind.OriginRefused: return ErrorCategory.SecurityError;
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
