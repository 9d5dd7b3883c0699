using System;
using System.Globalization;
using ProfileJobs.Auth;

namespace ProfileJobs.Connection
{
    /// <summary>
    /// The one place environment variables are read: the AEP_* connection values of Connect-ExperiencePlatform
    /// -FromEnvironment, and the PROFILEJOBS_* retry settings every connection starts from. A value that is not valid
    /// is refused naming its variable.
    /// </summary>
    internal static class EnvironmentSettings
    {
        public const string ClientId = "AEP_CLIENT_ID";
        public const string ClientSecret = "AEP_CLIENT_SECRET";
        public const string AccessToken = "AEP_ACCESS_TOKEN";
        public const string ApiKey = "AEP_API_KEY";
        public const string OrgId = "AEP_ORG_ID";
        public const string SandboxName = "AEP_SANDBOX_NAME";
        public const string SandboxId = "AEP_SANDBOX_ID";
        public const string Scopes = "AEP_SCOPES";
        public const string PlatformUri = "AEP_PLATFORM_URI";
        public const string ImsUri = "AEP_IMS_URI";

        public const string MaxRetries = "PROFILEJOBS_MAX_RETRIES";
        public const string RetryBaseDelay = "PROFILEJOBS_RETRY_BASE_DELAY_MS";
        public const string MaxRetrySeconds = "PROFILEJOBS_MAX_RETRY_SECONDS";
        public const string RequestTimeout = "PROFILEJOBS_REQUEST_TIMEOUT_SECONDS";

        /// <summary>The credential and connection values of -FromEnvironment, each checked as a parameter would be.</summary>
        public static void ReadConnection(ConnectionOptions options)
        {
            var token = Read(AccessToken);
            if (token != null)
            {
                options.Mode = AuthenticationMode.AccessToken;
                options.AccessToken = SecretText.Protect(token);
                var apiKey = Read(ApiKey) ?? Read(ClientId);
                options.ApiKey = apiKey == null ? null : ConnectionValidation.Key(apiKey, Read(ApiKey) != null ? ApiKey : ClientId, "API key");
            }
            else
            {
                options.ClientId = ConnectionValidation.Key(Require(ClientId), ClientId, "client id");
                options.ClientSecret = SecretText.Protect(Require(ClientSecret));
            }
            var orgId = Read(OrgId);
            options.OrgId = orgId == null ? "" : ConnectionValidation.OrgId(orgId, OrgId);
            var sandboxName = Read(SandboxName);
            options.SandboxName = sandboxName == null ? null : ConnectionValidation.SandboxName(sandboxName, SandboxName);
            var sandboxId = Read(SandboxId);
            options.SandboxId = sandboxId == null ? null : ConnectionValidation.SandboxId(sandboxId, SandboxId);
            var scopes = Read(Scopes);
            if (scopes != null)
            {
                options.Scopes = ConnectionValidation.SplitScopes(new[] { scopes });
                foreach (var scope in options.Scopes) ConnectionValidation.Scope(scope, Scopes);
            }
            var platform = Read(PlatformUri);
            if (platform != null) options.PlatformUri = ConnectionValidation.Endpoint(ParseUri(platform, PlatformUri), PlatformUri);
            var ims = Read(ImsUri);
            if (ims != null) options.ImsUri = ConnectionValidation.Endpoint(ParseUri(ims, ImsUri), ImsUri);
        }

        /// <summary>The defaults, overridden by the PROFILEJOBS_* variables that are set.</summary>
        public static RetrySettings ReadRetry()
        {
            var settings = new RetrySettings();
            if (TryReadNumber(MaxRetries, 0, 100, out var retries)) settings.MaxRetries = (int)retries;
            if (TryReadNumber(RetryBaseDelay, 1, 600_000, out var delayMs)) settings.BaseDelay = TimeSpan.FromMilliseconds(delayMs);
            if (TryReadNumber(MaxRetrySeconds, 0, 86_400, out var maxSeconds)) settings.MaxRetryDuration = TimeSpan.FromSeconds(maxSeconds);
            if (TryReadNumber(RequestTimeout, 1, 86_400, out var timeout)) settings.RequestTimeout = TimeSpan.FromSeconds(timeout);
            return settings;
        }

        private static string? Read(string variable)
        {
            var value = Environment.GetEnvironmentVariable(variable);
            return string.IsNullOrEmpty(value) ? null : value;
        }

        private static string Require(string variable) =>
            Read(variable) ?? throw new ArgumentException($"-FromEnvironment needs the environment variable {variable} (or {AccessToken} with {ApiKey}).", variable);

        private static Uri ParseUri(string text, string variable) =>
            Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri : throw new ArgumentException($"The environment variable {variable} is not an absolute URI.", variable);

        private static bool TryReadNumber(string variable, double min, double max, out double value)
        {
            value = 0;
            var text = Environment.GetEnvironmentVariable(variable);
            if (string.IsNullOrWhiteSpace(text)) return false;
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) ||
                double.IsNaN(value) || double.IsInfinity(value) || value < min || value > max)
            {
                throw new ArgumentException($"The environment variable {variable} is '{text}'; it must be a number from {min} to {max}.", variable);
            }
            return true;
        }
    }
}
