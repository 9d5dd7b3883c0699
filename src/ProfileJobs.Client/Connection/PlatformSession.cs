using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ProfileJobs.Auth;
using ProfileJobs.Http;
using ProfileJobs.SystemJobs;

namespace ProfileJobs.Connection
{
    /// <summary>
    /// The session behind one <see cref="ExperiencePlatformContext"/>: an <see cref="IHttpClientFactory"/> with pooled
    /// handlers that never follow redirects, the handler chains, the token source, the API generation and the
    /// system-jobs and hygiene clients. The context the user holds only shows its state (<see cref="IConnectionState"/>).
    /// Handler chains, outermost first (so every attempt and token replay passes the inner ones):
    /// platform: retry, sandbox header, authentication, tracing, request guard, response buffer; IMS: retry, tracing,
    /// request guard, response buffer.
    /// </summary>
    internal sealed class PlatformSession : IConnectionState
    {
        private const string PlatformClient = "platform";
        private const string ImsClient = "ims";

        private readonly ServiceProvider _services;
        private readonly ConnectionLifetime _lifetime;

        private PlatformSession(ConnectionOptions options)
        {
            _lifetime = new ConnectionLifetime($"{options.ClientId} in {options.OrgId} (sandbox {options.SandboxName ?? options.SandboxId})");
            Generation = new ApiGenerationResolver(options.ApiGeneration, options.SandboxId != null);
            var platformGuard = new RequestGuard(options.PlatformUri, _lifetime);
            var imsGuard = new RequestGuard(options.ImsUri, _lifetime);
            var apiKey = options.ApiKey ?? options.ClientId;

            var services = new ServiceCollection();
            // The module logs through its own TracingHandler (-Verbose, -Debug), never through Microsoft.Extensions.Logging:
            // no logger factory to build, and no logging handlers in the chains (RemoveAllLoggers).
            services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
            // Timeouts are per attempt, in the retry handler; the client itself never gives up on its own.
            services.AddHttpClient(ImsClient, client =>
                {
                    client.BaseAddress = options.ImsUri;
                    client.Timeout = Timeout.InfiniteTimeSpan;
                })
                .RemoveAllLoggers()
                .ConfigurePrimaryHttpMessageHandler(WithoutRedirects)
                .ConfigureAdditionalHttpMessageHandlers((chain, _) =>
                {
                    chain.Add(new RetryHandler(options.Retry));
                    chain.Add(new TracingHandler());
                    chain.Add(new RequestGuardHandler(imsGuard));
                    chain.Add(new ResponseBufferHandler());
                });
            services.AddHttpClient(PlatformClient, client =>
                {
                    client.BaseAddress = options.PlatformUri;
                    client.Timeout = Timeout.InfiniteTimeSpan;
                })
                .RemoveAllLoggers()
                .ConfigurePrimaryHttpMessageHandler(WithoutRedirects)
                .ConfigureAdditionalHttpMessageHandlers((chain, _) =>
                {
                    chain.Add(new RetryHandler(options.Retry));
                    chain.Add(new SandboxHeaderHandler(options.SandboxName, options.SandboxId, () => Generation.Current));
                    chain.Add(new AuthenticationHandler(Tokens!, platformGuard, apiKey, options.OrgId));
                    chain.Add(new TracingHandler());
                    chain.Add(new RequestGuardHandler(platformGuard));
                    chain.Add(new ResponseBufferHandler());
                });
            _services = services.BuildServiceProvider();
            var factory = _services.GetRequiredService<IHttpClientFactory>();
            _lifetime.OnRelease(_services.Dispose);

            var ims = new ApiTransport(() => factory.CreateClient(ImsClient), _lifetime);
            Tokens = options.Mode == AuthenticationMode.ClientCredentials
                ? new ImsTokenSource(ims, _lifetime, options.ClientId, options.ClientSecret!, options.Scopes)
                : (ITokenSource)new StaticTokenSource(options.AccessToken!, AccessTokenClaims.ExpiresOn(options.AccessToken!), _lifetime);
            var platform = new ApiTransport(() => factory.CreateClient(PlatformClient), _lifetime);

            Context = new ExperiencePlatformContext(this, options.ClientId, apiKey, options.OrgId, options.SandboxName, options.SandboxId,
                options.Scopes, options.PlatformUri, options.ImsUri, options.Mode, options.ApiGeneration, options.Retry);
            SystemJobs = new SystemJobsClient(Context, platform, Generation);
            Hygiene = new Hygiene.HygieneClient(Context, platform);
        }

        /// <summary>The handle the user holds.</summary>
        public ExperiencePlatformContext Context { get; }

        public ITokenSource Tokens { get; }
        public ApiGenerationResolver Generation { get; }
        public SystemJobsClient SystemJobs { get; }
        public Hygiene.HygieneClient Hygiene { get; }

        public DateTimeOffset? TokenExpiresOn => Tokens.ExpiresOn;
        public ApiGeneration ApiGeneration => Generation.Current;
        public bool IsDisconnected => _lifetime.IsDisconnected;

        /// <summary>Checks the options, builds the session and, for client credentials, obtains the first token.</summary>
        public static async Task<ExperiencePlatformContext> ConnectAsync(ConnectionOptions options, CancellationToken cancellationToken)
        {
            ConnectionValidation.Validate(options);
            var session = new PlatformSession(options);
            try
            {
                await session.Tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
                return session.Context;
            }
            catch
            {
                session.Disconnect();
                throw;
            }
        }

        /// <summary>The session of a context this library made.</summary>
        public static PlatformSession Of(ExperiencePlatformContext context) => (PlatformSession)context.Connection;

        /// <summary>The error a command gets for using this session after Disconnect.</summary>
        public PlatformApiException DisconnectedError() => _lifetime.Disconnected();

        /// <summary>From now on nothing is sent and no token renewed; the HTTP resources go once in-flight requests end.</summary>
        public void Disconnect()
        {
            _lifetime.Disconnect();
            Tokens.Forget();
        }

        private static HttpMessageHandler WithoutRedirects() => new HttpClientHandler { AllowAutoRedirect = false };
    }
}
