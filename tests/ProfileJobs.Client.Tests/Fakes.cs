using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using ProfileJobs.Connection;
using ProfileJobs.Http;

namespace ProfileJobs.Client.Tests
{
    /// <summary>The innermost handler of a test: answers with <see cref="Respond"/> and records every request it got.</summary>
    internal sealed class FakeHandler : HttpMessageHandler
    {
        private readonly Func<HttpRequestMessage, int, CancellationToken, Task<HttpResponseMessage>> _respond;
        private int _calls;

        public FakeHandler(Func<HttpRequestMessage, int, CancellationToken, Task<HttpResponseMessage>> respond) => _respond = respond;

        public FakeHandler(Func<HttpRequestMessage, int, HttpResponseMessage> respond)
            : this((request, call, _) => Task.FromResult(respond(request, call)))
        {
        }

        public ConcurrentQueue<SeenRequest> Seen { get; } = new ConcurrentQueue<SeenRequest>();

        public int Calls => Volatile.Read(ref _calls);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var call = Interlocked.Increment(ref _calls);
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var header in request.Headers) headers[header.Key] = string.Join(", ", header.Value);
            var body = request.Content == null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            Seen.Enqueue(new SeenRequest(request.Method, request.RequestUri!, headers, body, RequestMetadata.AttemptOf(request)));
            var response = await _respond(request, call, cancellationToken);
            response.RequestMessage ??= request;
            return response;
        }
    }

    internal sealed record SeenRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string? Body, int Attempt)
    {
        public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
    }

    internal static class Responses
    {
        public static HttpResponseMessage Json(HttpStatusCode status, string json) =>
            new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

        public static HttpResponseMessage Status(int status) => new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent("") };
    }

    /// <summary>Builds what the clients need around a fake handler: a context, a transport, a session lifetime.</summary>
    internal sealed class TestConnection : IConnectionState
    {
        public static readonly Uri Platform = new Uri("https://platform.example.test/");

        public TestConnection(HttpMessageHandler handler, string? sandboxName = "prod", string? sandboxId = null, ApiGeneration configured = ApiGeneration.Auto)
        {
            Lifetime = new ConnectionLifetime("test-client in TESTORG@AdobeOrg");
            Generations = new SystemJobs.ApiGenerationResolver(configured, sandboxId != null);
            var client = new HttpClient(handler) { BaseAddress = Platform };
            Transport = new ApiTransport(() => client, Lifetime);
            Context = new ExperiencePlatformContext(this, "test-client", "test-client", "TESTORG0000000000000000@AdobeOrg", sandboxName, sandboxId,
                new[] { "openid" }, Platform, new Uri("https://ims.example.test/"), AuthenticationMode.ClientCredentials, configured, new RetrySettings());
        }

        public ConnectionLifetime Lifetime { get; }
        public SystemJobs.ApiGenerationResolver Generations { get; }
        public ApiTransport Transport { get; }
        public ExperiencePlatformContext Context { get; }

        public SystemJobs.SystemJobsClient SystemJobs() => new SystemJobs.SystemJobsClient(Context, Transport, Generations);
        public Hygiene.HygieneClient Hygiene() => new Hygiene.HygieneClient(Context, Transport);

        public DateTimeOffset? TokenExpiresOn => null;
        public ApiGeneration ApiGeneration => Generations.Current;
        public bool IsDisconnected => Lifetime.IsDisconnected;
    }

    /// <summary>Chains handlers, outermost first, ending in <paramref name="inner"/>.</summary>
    internal static class Chain
    {
        public static HttpMessageInvoker Of(HttpMessageHandler inner, params DelegatingHandler[] outermostFirst)
        {
            HttpMessageHandler current = inner;
            for (var i = outermostFirst.Length - 1; i >= 0; i--)
            {
                outermostFirst[i].InnerHandler = current;
                current = outermostFirst[i];
            }
            return new HttpMessageInvoker(current);
        }

        public static HttpRequestMessage Request(HttpMethod method, string url, ApiOperation operation, HttpContent? content = null)
        {
            var request = RequestMetadata.Create(method, url, operation, content);
            return request;
        }
    }
}
