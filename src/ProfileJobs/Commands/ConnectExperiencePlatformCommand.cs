using System;
using System.Linq;
using System.Management.Automation;
using System.Security;
using ProfileJobs.Completion;
using ProfileJobs.Infrastructure;

namespace ProfileJobs.Commands
{
    /// <summary>
    /// <para type="synopsis">Connects to Adobe Experience Platform with an OAuth server-to-server credential.</para>
    /// <para type="description">Obtains an access token from Adobe IMS and makes the connection the default for this
    /// PowerShell session (runspace). The token is reused and renewed before it expires.</para>
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "ExperiencePlatform", DefaultParameterSetName = ClientSecretSet, HelpUri = HelpLinks.Authentication)]
    [OutputType(typeof(ExperiencePlatformContext))]
    public sealed class ConnectExperiencePlatformCommand : PlatformCmdlet
    {
        private const string ClientSecretSet = "ClientSecret";
        private const string CredentialSet = "Credential";
        private const string AccessTokenSet = "AccessToken";
        private const string EnvironmentSet = "Environment";

        /// <summary>Environment variables read by -FromEnvironment.</summary>
        public static class Variables
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
        }

        /// <summary>The credential's client id (also sent as the API key).</summary>
        [Parameter(Mandatory = true, ParameterSetName = ClientSecretSet)]
        [ValidateNotNullOrEmpty]
        public string ClientId { get; set; } = "";

        /// <summary>The credential's client secret, as a SecureString (from Read-Host -AsSecureString or a secret store, for example).</summary>
        [Parameter(Mandatory = true, ParameterSetName = ClientSecretSet)]
        [ValidateNotNull]
        public SecureString? ClientSecret { get; set; }

        /// <summary>Client id as the user name and client secret as the password, as Get-AutomationPSCredential returns.</summary>
        [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
        [ValidateNotNull]
        public PSCredential? Credential { get; set; }

        /// <summary>An access token obtained elsewhere. It cannot be renewed.</summary>
        [Parameter(Mandatory = true, ParameterSetName = AccessTokenSet)]
        [ValidateNotNull]
        public SecureString? AccessToken { get; set; }

        /// <summary>The API key (client id) of the project the access token belongs to.</summary>
        [Parameter(Mandatory = true, ParameterSetName = AccessTokenSet)]
        [ValidateNotNullOrEmpty]
        public string? ApiKey { get; set; }

        /// <summary>Read the credential and settings from environment variables: AEP_CLIENT_ID and AEP_CLIENT_SECRET (or AEP_ACCESS_TOKEN with
        /// AEP_API_KEY), AEP_ORG_ID, AEP_SANDBOX_NAME or AEP_SANDBOX_ID, AEP_SCOPES (comma separated), AEP_PLATFORM_URI and AEP_IMS_URI.
        /// Parameters given alongside win.</summary>
        [Parameter(Mandatory = true, ParameterSetName = EnvironmentSet)]
        public SwitchParameter FromEnvironment { get; set; }

        /// <summary>The IMS organization id, such as 0123456789ABCDEF01234567@AdobeOrg.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ClientSecretSet)]
        [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
        [Parameter(Mandatory = true, ParameterSetName = AccessTokenSet)]
        [Parameter(ParameterSetName = EnvironmentSet)]
        [ValidateNotNullOrEmpty]
        public string? OrgId { get; set; }

        /// <summary>The sandbox name, sent as x-sandbox-name. Without it (and without -SandboxId), prod, or with
        /// -FromEnvironment AEP_SANDBOX_NAME.</summary>
        [Parameter]
        [PSDefaultValue(Value = SandboxNameCompleter.Production)]
        [Alias("SandboxName")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(SandboxNameCompleter))]
        public string? Sandbox { get; set; }

        /// <summary>The sandbox id, sent as x-sandbox-id instead of the name (AWS instances).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? SandboxId { get; set; }

        /// <summary>OAuth scopes to request, as an array or comma separated.</summary>
        [Parameter]
        [PSDefaultValue(Help = "openid, session, AdobeID, read_organizations, additional_info.projectedProductContext")]
        [ValidateNotNullOrEmpty]
        public string[]? Scope { get; set; }

        /// <summary>The platform gateway. Plain http is refused except to a loopback address.</summary>
        [Parameter]
        [PSDefaultValue(Help = "https://platform.adobe.io/")]
        public Uri? PlatformUri { get; set; }

        /// <summary>The IMS host that issues tokens. Plain http is refused except to a loopback address.</summary>
        [Parameter]
        [PSDefaultValue(Help = "https://ims-na1.adobelogin.com/")]
        public Uri? ImsUri { get; set; }

        /// <summary>Which generation of the system-jobs API the instance speaks: Auto (detected, the default), Azure, Aws or Unified.</summary>
        /// <remarks>A string, not the enum: see PlatformCmdlet.PipelineLog for why public types avoid client value types.</remarks>
        [Parameter]
        [ValidateSet("Auto", "Azure", "Aws", "Unified", IgnoreCase = true)]
        public string ApiGeneration { get; set; } = "Auto";

        /// <summary>Retries of a request that is safe to repeat; 0 turns retrying off.</summary>
        [Parameter]
        [PSDefaultValue(Help = "4, or " + RetrySettings.MaxRetriesVariable)]
        [ValidateRange(0, 100)]
        public int? MaxRetries { get; set; }

        /// <summary>The first retry delay in milliseconds; later ones double, with jitter.</summary>
        [Parameter]
        [PSDefaultValue(Help = "1000, or " + RetrySettings.BaseDelayVariable)]
        [ValidateRange(1, 600000)]
        public int? RetryBaseDelayMilliseconds { get; set; }

        /// <summary>No retry starts after this many seconds since a request's first attempt.</summary>
        [Parameter]
        [PSDefaultValue(Help = "120, or " + RetrySettings.MaxRetrySecondsVariable)]
        [ValidateRange(0, 86400)]
        public int? MaxRetrySeconds { get; set; }

        /// <summary>How long one attempt may take, in seconds.</summary>
        [Parameter]
        [PSDefaultValue(Help = "100, or " + RetrySettings.RequestTimeoutVariable)]
        [ValidateRange(1, 86400)]
        public int? RequestTimeoutSeconds { get; set; }

        /// <summary>Write the new context to the pipeline (to keep it for -Context). By default the command writes nothing.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void EndProcessing()
        {
            ConnectionOptions options;
            try
            {
                options = BuildOptions();
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, "InvalidConnectionParameter", ErrorCategory.InvalidArgument, ex.ParamName));
                return;
            }

            ExperiencePlatformContext context;
            try
            {
                context = Await(token => ExperiencePlatformContext.ConnectAsync(options, token));
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, "InvalidConnectionParameter", ErrorCategory.InvalidArgument, ex.ParamName));
                return;
            }
            catch (PlatformApiException ex)
            {
                ThrowTerminatingError(PlatformErrors.From(ex, options.ClientId, ex.Kind == PlatformErrorKind.AuthenticationFailed ? "AuthenticationFailed" : null));
                return;
            }

            DefaultContextStore.Set(context);
            CompletionState.Current?.RecordSandbox(context.SandboxName);
            WriteVerbose($"Connected to {context}; token valid until {context.TokenExpiresOn:u}.");
            if (PassThru) WriteObject(context);
        }

        private ConnectionOptions BuildOptions()
        {
            var options = new ConnectionOptions();
            switch (ParameterSetName)
            {
                case ClientSecretSet:
                    options.ClientId = ClientId;
                    options.ClientSecret = ClientSecret;
                    break;
                case CredentialSet:
                    options.ClientId = Credential!.UserName;
                    options.ClientSecret = Credential.Password;
                    break;
                case AccessTokenSet:
                    options.Mode = AuthenticationMode.AccessToken;
                    options.AccessToken = AccessToken;
                    options.ApiKey = ApiKey;
                    break;
                case EnvironmentSet:
                    ReadEnvironment(options);
                    break;
            }

            options.OrgId = OrgId ?? options.OrgId;
            options.SandboxName = Sandbox ?? (SandboxId != null ? null : options.SandboxName);
            options.SandboxId = SandboxId ?? (Sandbox != null ? null : options.SandboxId);
            if (Scope != null) options.Scopes = Scope.SelectMany(s => s.Split(',')).Select(s => s.Trim()).Where(s => s.Length > 0).ToArray();
            if (PlatformUri != null) options.PlatformUri = PlatformUri;
            if (ImsUri != null) options.ImsUri = ImsUri;
            options.ApiGeneration = (ApiGeneration)Enum.Parse(typeof(ApiGeneration), ApiGeneration, ignoreCase: true);
            options.Retry = RetrySettings.FromEnvironment();
            if (MaxRetries.HasValue) options.Retry.MaxRetries = MaxRetries.Value;
            if (RetryBaseDelayMilliseconds.HasValue) options.Retry.BaseDelay = TimeSpan.FromMilliseconds(RetryBaseDelayMilliseconds.Value);
            if (MaxRetrySeconds.HasValue) options.Retry.MaxRetryDuration = TimeSpan.FromSeconds(MaxRetrySeconds.Value);
            if (RequestTimeoutSeconds.HasValue) options.Retry.RequestTimeout = TimeSpan.FromSeconds(RequestTimeoutSeconds.Value);
            return options;
        }

        private static void ReadEnvironment(ConnectionOptions options)
        {
            var token = Environment.GetEnvironmentVariable(Variables.AccessToken);
            if (!string.IsNullOrEmpty(token))
            {
                options.Mode = AuthenticationMode.AccessToken;
                options.AccessToken = Auth.SecretText.Protect(token!);
                options.ApiKey = Environment.GetEnvironmentVariable(Variables.ApiKey) ?? Environment.GetEnvironmentVariable(Variables.ClientId);
            }
            else
            {
                options.ClientId = Require(Variables.ClientId);
                options.ClientSecret = Auth.SecretText.Protect(Require(Variables.ClientSecret));
            }
            options.OrgId = Environment.GetEnvironmentVariable(Variables.OrgId) ?? "";
            options.SandboxName = Environment.GetEnvironmentVariable(Variables.SandboxName);
            options.SandboxId = Environment.GetEnvironmentVariable(Variables.SandboxId);
            var scopes = Environment.GetEnvironmentVariable(Variables.Scopes);
            if (!string.IsNullOrWhiteSpace(scopes)) options.Scopes = scopes!.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToArray();
            var platform = Environment.GetEnvironmentVariable(Variables.PlatformUri);
            if (!string.IsNullOrWhiteSpace(platform)) options.PlatformUri = ParseUri(platform!, Variables.PlatformUri);
            var ims = Environment.GetEnvironmentVariable(Variables.ImsUri);
            if (!string.IsNullOrWhiteSpace(ims)) options.ImsUri = ParseUri(ims!, Variables.ImsUri);
        }

        private static string Require(string variable)
        {
            var value = Environment.GetEnvironmentVariable(variable);
            if (string.IsNullOrEmpty(value))
                throw new ArgumentException($"-FromEnvironment needs the environment variable {variable} (or {Variables.AccessToken} with {Variables.ApiKey}).", variable);
            return value!;
        }

        private static Uri ParseUri(string text, string variable) =>
            Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri : throw new ArgumentException($"{variable} is not an absolute URI: '{text}'.", variable);
    }
}
