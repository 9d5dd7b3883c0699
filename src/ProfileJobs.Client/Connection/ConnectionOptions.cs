using System;
using System.Collections.Generic;
using System.Security;

namespace ProfileJobs.Connection
{
    /// <summary>Everything Connect-ExperiencePlatform collected; checked by <see cref="ConnectionValidation"/> before anything is sent.</summary>
    internal sealed class ConnectionOptions
    {
        public static readonly Uri DefaultPlatformUri = new Uri("https://platform.adobe.io/");
        public static readonly Uri DefaultImsUri = new Uri("https://ims-na1.adobelogin.com/");
        public const string DefaultSandbox = "prod";

        public static readonly IReadOnlyList<string> DefaultScopes = new[]
        {
            "openid", "session", "AdobeID", "read_organizations", "additional_info.projectedProductContext",
        };

        public AuthenticationMode Mode { get; set; }
        public string ClientId { get; set; } = "";
        public SecureString? ClientSecret { get; set; }
        public SecureString? AccessToken { get; set; }

        /// <summary>The API key sent with a pre-obtained token; for client credentials it is the client id.</summary>
        public string? ApiKey { get; set; }
        public string OrgId { get; set; } = "";
        public string? SandboxName { get; set; }
        public string? SandboxId { get; set; }
        public IReadOnlyList<string> Scopes { get; set; } = DefaultScopes;
        public Uri PlatformUri { get; set; } = DefaultPlatformUri;
        public Uri ImsUri { get; set; } = DefaultImsUri;
        public ApiGeneration ApiGeneration { get; set; } = ApiGeneration.Auto;
        public RetrySettings Retry { get; set; } = new RetrySettings();
    }
}
