using System;
using System.Management.Automation;
using System.Security;
using ProfileJobs.CommandSupport;
using ProfileJobs.Completion;
using ProfileJobs.Connection;

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

        /// <summary>The sandbox name, sent as x-sandbox-name (work orders; system jobs outside AWS). Without it (and without
        /// -SandboxId), prod, or with -FromEnvironment AEP_SANDBOX_NAME; it may be given together with -SandboxId.</summary>
        [Parameter]
        [PSDefaultValue(Value = SandboxNameCompleter.Production)]
        [Alias("SandboxName")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(SandboxNameCompleter))]
        public string? Sandbox { get; set; }

        /// <summary>The sandbox id (a UUID), sent as x-sandbox-id to system jobs on AWS instances. Give -Sandbox as well to use work orders with the same connection.</summary>
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
        [Parameter]
        [ValidateSet("Auto", "Azure", "Aws", "Unified", IgnoreCase = true)]
        public string ApiGeneration { get; set; } = "Auto";

        /// <summary>Retries of a request that is safe to repeat; 0 turns retrying off.</summary>
        [Parameter]
        [PSDefaultValue(Help = "4, or " + EnvironmentSettings.MaxRetries)]
        [ValidateRange(0, 100)]
        public int? MaxRetries { get; set; }

        /// <summary>The first retry delay in milliseconds; later ones double, with jitter.</summary>
        [Parameter]
        [PSDefaultValue(Help = "1000, or " + EnvironmentSettings.RetryBaseDelay)]
        [ValidateRange(1, 600000)]
        public int? RetryBaseDelayMilliseconds { get; set; }

        /// <summary>No retry starts after this many seconds since a request's first attempt.</summary>
        [Parameter]
        [PSDefaultValue(Help = "120, or " + EnvironmentSettings.MaxRetrySeconds)]
        [ValidateRange(0, 86400)]
        public int? MaxRetrySeconds { get; set; }

        /// <summary>How long one attempt may take, in seconds.</summary>
        [Parameter]
        [PSDefaultValue(Help = "100, or " + EnvironmentSettings.RequestTimeout)]
        [ValidateRange(1, 86400)]
        public int? RequestTimeoutSeconds { get; set; }

        /// <summary>Write the new context to the pipeline (to keep it for -Context). By default the command writes nothing.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void OnEndProcessing()
        {
            ConnectionOptions? options = null;
            ExperiencePlatformContext context;
            try
            {
                options = BuildOptions();
                var connecting = options;
                context = Await(token => PlatformSession.ConnectAsync(connecting, token));
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(PlatformErrors.InvalidConnectionParameter(ex));
                return;
            }
            catch (PlatformApiException ex)
            {
                ThrowTerminatingError(PlatformErrors.From(ex, options?.ClientId));
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
                    EnvironmentSettings.ReadConnection(options);
                    break;
            }

            options.OrgId = OrgId ?? options.OrgId;
            // The sandbox name and id come as a pair from one place: a parameter for either replaces both variables.
            if (Sandbox != null || SandboxId != null)
            {
                options.SandboxName = Sandbox;
                options.SandboxId = SandboxId;
            }
            if (Scope != null) options.Scopes = ConnectionValidation.SplitScopes(Scope);
            if (PlatformUri != null) options.PlatformUri = PlatformUri;
            if (ImsUri != null) options.ImsUri = ImsUri;
            options.ApiGeneration = (ApiGeneration)Enum.Parse(typeof(ApiGeneration), ApiGeneration, ignoreCase: true);
            options.Retry = EnvironmentSettings.ReadRetry();
            if (MaxRetries.HasValue) options.Retry.MaxRetries = MaxRetries.Value;
            if (RetryBaseDelayMilliseconds.HasValue) options.Retry.BaseDelay = TimeSpan.FromMilliseconds(RetryBaseDelayMilliseconds.Value);
            if (MaxRetrySeconds.HasValue) options.Retry.MaxRetryDuration = TimeSpan.FromSeconds(MaxRetrySeconds.Value);
            if (RequestTimeoutSeconds.HasValue) options.Retry.RequestTimeout = TimeSpan.FromSeconds(RequestTimeoutSeconds.Value);
            return options;
        }
    }
}
