using System;
using System.Net.Http;
using System.Threading;
using Microsoft.Extensions.DependencyInjection;
using ProfileJobs.Auth;
using ProfileJobs.SystemJobs;

namespace ProfileJobs.Http
{
    /// <summary>
    /// The HTTP side of one context: an <see cref="IHttpClientFactory"/> with pooled handlers (one connection set
    /// per context) and the handler chain, outermost first: retry, authentication, tracing (so every attempt and
    /// every token replay is traced).
    /// </summary>
    internal sealed class PlatformSession : IDisposable
    {
        private const string PlatformClient = "platform";
        private const string ImsClient = "ims";

        private readonly ServiceProvider _services;
        private readonly IHttpClientFactory _factory;

        public PlatformSession(ExperiencePlatformContext context, ConnectionOptions options)
        {
            var services = new ServiceCollection();
            // Timeouts are per attempt, in the retry handler; the client itself never gives up on its own.
            services.AddHttpClient(ImsClient, client =>
                {
                    client.BaseAddress = options.ImsUri;
                    client.Timeout = Timeout.InfiniteTimeSpan;
                })
                .AddHttpMessageHandler(() => new RetryHandler(options.Retry, retryAnyMethod: true))
                .AddHttpMessageHandler(() => new TracingHandler());
            services.AddHttpClient(PlatformClient, client =>
                {
                    client.BaseAddress = options.PlatformUri;
                    client.Timeout = Timeout.InfiniteTimeSpan;
                })
                .AddHttpMessageHandler(() => new RetryHandler(options.Retry))
                .AddHttpMessageHandler(() => new AuthenticationHandler(Tokens!, context.ApiKey, context.OrgId))
                .AddHttpMessageHandler(() => new TracingHandler());
            _services = services.BuildServiceProvider();
            _factory = _services.GetRequiredService<IHttpClientFactory>();

            Tokens = options.Mode == AuthenticationMode.ClientCredentials
                ? new ImsTokenSource(() => _factory.CreateClient(ImsClient), options.ImsUri, options.ClientId, options.ClientSecret!, options.Scopes)
                : (ITokenSource)new StaticTokenSource(options.AccessToken!, AccessTokenClaims.ExpiresOn(options.AccessToken!));
            Http = new PlatformHttp(() => _factory.CreateClient(PlatformClient));
            SystemJobs = new SystemJobsClient(context, Http);
            Hygiene = new Hygiene.HygieneClient(context, Http);
        }

        public ITokenSource Tokens { get; }
        public PlatformHttp Http { get; }
        public SystemJobsClient SystemJobs { get; }
        public Hygiene.HygieneClient Hygiene { get; }

        public void Dispose() => _services.Dispose();
    }
}
