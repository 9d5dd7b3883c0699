using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using ProfileJobs.Auth;
using ProfileJobs.Http;

namespace ProfileJobs
{
    /// <summary>
    /// A connection to one organisation and sandbox. It holds the credentials needed to renew tokens, but no
    /// property, format view or <see cref="ToString"/> ever shows a secret.
    /// </summary>
    public sealed class ExperiencePlatformContext : IDisposable
    {
        private ApiGeneration _detectedGeneration;

        private ExperiencePlatformContext(ConnectionOptions options)
        {
            ClientId = options.ClientId;
            ApiKey = options.ApiKey ?? options.ClientId;
            OrgId = options.OrgId;
            SandboxName = options.SandboxName;
            SandboxId = options.SandboxId;
            Scopes = options.Scopes;
            PlatformUri = options.PlatformUri;
            ImsUri = options.ImsUri;
            AuthenticationMode = options.Mode;
            ConfiguredApiGeneration = options.ApiGeneration;
            Retry = options.Retry;
            ConnectedAt = DateTimeOffset.UtcNow;
            Session = new PlatformSession(this, options);
        }

        public string ClientId { get; }

        /// <summary>Sent as <c>x-api-key</c>. Not a secret on its own; shown so a wrong key can be spotted.</summary>
        public string ApiKey { get; }

        public string OrgId { get; }
        public string? SandboxName { get; }
        public string? SandboxId { get; }
        public IReadOnlyList<string> Scopes { get; }
        public Uri PlatformUri { get; }
        public Uri ImsUri { get; }
        public AuthenticationMode AuthenticationMode { get; }
        public DateTimeOffset ConnectedAt { get; }
        public DateTimeOffset? TokenExpiresOn => Session.Tokens.ExpiresOn;

        /// <summary>How requests are retried and timed out.</summary>
        public RetrySettings Retry { get; }

        /// <summary>The generation asked for at connect time (Auto unless -ApiGeneration was given).</summary>
        public ApiGeneration ConfiguredApiGeneration { get; }

        /// <summary>The generation this instance speaks: configured, implied by a sandbox id, or detected from a response.</summary>
        public ApiGeneration ApiGeneration
        {
            get
            {
                if (ConfiguredApiGeneration != ApiGeneration.Auto) return ConfiguredApiGeneration;
                if (SandboxId != null) return ApiGeneration.Aws;
                return _detectedGeneration;
            }
        }

        /// <summary>The sandbox as the API knows it: the name, or the id on AWS instances.</summary>
        public string Sandbox => SandboxName ?? SandboxId ?? "";

        internal PlatformSession Session { get; }

        internal void RecordDetectedGeneration(ApiGeneration generation)
        {
            if (generation != ApiGeneration.Auto) _detectedGeneration = generation;
        }

        /// <summary>Validates the options, builds the HTTP pipeline and, for client credentials, obtains the first token.</summary>
        public static async Task<ExperiencePlatformContext> ConnectAsync(ConnectionOptions options, CancellationToken cancellationToken)
        {
            Validate(options);
            options.PlatformUri = WithTrailingSlash(options.PlatformUri);
            options.ImsUri = WithTrailingSlash(options.ImsUri);
            var context = new ExperiencePlatformContext(options);
            try
            {
                await context.Session.Tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
                return context;
            }
            catch
            {
                context.Dispose();
                throw;
            }
        }

        public override string ToString() =>
            string.Format(CultureInfo.InvariantCulture, "{0} in {1} (sandbox {2})", ClientId, OrgId, Sandbox);

        /// <summary>True once Disconnect-ExperiencePlatform released this context; it can no longer send requests.</summary>
        public bool IsDisconnected { get; private set; }

        public void Dispose()
        {
            IsDisconnected = true;
            Session.Dispose();
        }

        private static void Validate(ConnectionOptions options)
        {
            if (string.IsNullOrWhiteSpace(options.OrgId)) throw new ArgumentException("An organization id is required (-OrgId).", nameof(options.OrgId));
            if (options.SandboxName != null && options.SandboxId != null)
                throw new ArgumentException("Give either a sandbox name or a sandbox id, not both.", nameof(options.SandboxId));
            if (options.SandboxName == null && options.SandboxId == null) options.SandboxName = "prod";
            if (options.Mode == AuthenticationMode.ClientCredentials)
            {
                if (string.IsNullOrWhiteSpace(options.ClientId)) throw new ArgumentException("A client id is required.", nameof(options.ClientId));
                if (options.ClientSecret == null || options.ClientSecret.Length == 0) throw new ArgumentException("A client secret is required.", nameof(options.ClientSecret));
            }
            else
            {
                if (options.AccessToken == null || options.AccessToken.Length == 0) throw new ArgumentException("An access token is required.", nameof(options.AccessToken));
                if (string.IsNullOrWhiteSpace(options.ApiKey)) throw new ArgumentException("An API key (the client id of the token's project) is required with an access token.", nameof(options.ApiKey));
                if (string.IsNullOrWhiteSpace(options.ClientId)) options.ClientId = options.ApiKey!;
            }
            EndpointPolicy.RequireSecure(options.PlatformUri, "PlatformUri");
            EndpointPolicy.RequireSecure(options.ImsUri, "ImsUri");
        }

        private static Uri WithTrailingSlash(Uri uri) =>
            uri.AbsoluteUri.EndsWith("/", StringComparison.Ordinal) ? uri : new Uri(uri.AbsoluteUri + "/");
    }

    /// <summary>Transport rules: https everywhere except loopback, where a local emulator may speak plain http.</summary>
    public static class EndpointPolicy
    {
        public static void RequireSecure(Uri uri, string name)
        {
            if (!uri.IsAbsoluteUri) throw new ArgumentException($"{name} must be an absolute URI.", name);
            if (uri.Scheme == Uri.UriSchemeHttps) return;
            if (uri.Scheme == Uri.UriSchemeHttp && IsLoopback(uri)) return;
            throw new ArgumentException($"{name} '{uri}' must use https; plain http is allowed only for loopback addresses such as a local emulator.", name);
        }

        private static bool IsLoopback(Uri uri)
        {
            if (uri.IsLoopback) return true;
            return IPAddress.TryParse(uri.DnsSafeHost, out var address) && IPAddress.IsLoopback(address);
        }
    }
}
