using System;
using System.Collections.Generic;
using System.Globalization;

namespace ProfileJobs
{
    /// <summary>
    /// A connection to one organization and sandbox, as the user holds it: what it connects to and how, read-only.
    /// The session behind it (HTTP pipeline, tokens, the detected API generation) belongs to the client library;
    /// the context only shows its state. No property, format view or <see cref="ToString"/> ever shows a secret.
    /// </summary>
    public sealed class ExperiencePlatformContext
    {
        internal ExperiencePlatformContext(IConnectionState connection, string clientId, string apiKey, string orgId,
            string? sandboxName, string? sandboxId, IReadOnlyList<string> scopes, Uri platformUri, Uri imsUri,
            AuthenticationMode authenticationMode, ApiGeneration configuredApiGeneration, RetrySettings retry)
        {
            Connection = connection;
            ClientId = clientId;
            ApiKey = apiKey;
            OrgId = orgId;
            SandboxName = sandboxName;
            SandboxId = sandboxId;
            Scopes = scopes;
            PlatformUri = platformUri;
            ImsUri = imsUri;
            AuthenticationMode = authenticationMode;
            ConfiguredApiGeneration = configuredApiGeneration;
            Retry = retry;
            ConnectedAt = DateTimeOffset.UtcNow;
        }

        public string ClientId { get; }

        /// <summary>Sent as <c>x-api-key</c>. Not a secret on its own; shown so a wrong key can be spotted.</summary>
        public string ApiKey { get; }

        public string OrgId { get; }

        /// <summary>The sandbox name, sent as <c>x-sandbox-name</c> (work orders; system jobs outside AWS).</summary>
        public string? SandboxName { get; }

        /// <summary>The sandbox id, sent as <c>x-sandbox-id</c> to system jobs on AWS instances.</summary>
        public string? SandboxId { get; }

        public IReadOnlyList<string> Scopes { get; }
        public Uri PlatformUri { get; }
        public Uri ImsUri { get; }
        public AuthenticationMode AuthenticationMode { get; }
        public DateTimeOffset ConnectedAt { get; }
        public DateTimeOffset? TokenExpiresOn => Connection.TokenExpiresOn;

        /// <summary>How requests are retried and timed out.</summary>
        public RetrySettings Retry { get; }

        /// <summary>The generation asked for at connect time (Auto unless -ApiGeneration was given).</summary>
        public ApiGeneration ConfiguredApiGeneration { get; }

        /// <summary>The generation this instance speaks: configured, implied by a sandbox id, or detected from a response.</summary>
        public ApiGeneration ApiGeneration => Connection.ApiGeneration;

        /// <summary>The sandbox as the API knows it: the name, or the id on AWS instances.</summary>
        public string Sandbox => SandboxName ?? SandboxId ?? "";

        /// <summary>True once Disconnect-ExperiencePlatform released this context; it sends no request any more.</summary>
        public bool IsDisconnected => Connection.IsDisconnected;

        /// <summary>The client library's session behind this context.</summary>
        internal IConnectionState Connection { get; }

        public override string ToString() =>
            string.Format(CultureInfo.InvariantCulture, "{0} in {1} (sandbox {2})", ClientId, OrgId, Sandbox);
    }

    /// <summary>What the context shows of the session behind it; implemented by the client library's session.</summary>
    internal interface IConnectionState
    {
        DateTimeOffset? TokenExpiresOn { get; }
        ApiGeneration ApiGeneration { get; }
        bool IsDisconnected { get; }
    }
}
