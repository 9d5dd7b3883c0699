using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using ProfileJobs.Auth;
using ProfileJobs.Connection;
using ProfileJobs.Http;
using Xunit;

namespace ProfileJobs.Client.Tests
{
    public sealed class OriginAndRedirectTests
    {
        [Theory]
        [InlineData("https://platform.example.test/data/x", true)]
        [InlineData("https://PLATFORM.example.test:443/data/x", true)]
        [InlineData("http://platform.example.test/data/x", false)]
        [InlineData("https://platform.example.test:8443/data/x", false)]
        [InlineData("https://evil.example.test/data/x", false)]
        [InlineData("https://platform.example.test.evil.test/data/x", false)]
        public async Task The_guard_lets_through_only_the_configured_origin(string url, bool allowed)
        {
            var inner = new FakeHandler((_, _) => Responses.Status(200));
            var invoker = Chain.Of(inner, new RequestGuardHandler(new RequestGuard(TestConnection.Platform, new ConnectionLifetime("test"))));
            var send = invoker.SendAsync(Chain.Request(HttpMethod.Get, url, ApiOperation.ListSystemJobs), CancellationToken.None);

            if (allowed)
            {
                await send;
                Assert.Equal(1, inner.Calls);
            }
            else
            {
                var failure = await Assert.ThrowsAsync<PlatformApiException>(() => send);
                Assert.Equal("ForeignOriginRefused", failure.ErrorId);
                Assert.Equal(PlatformErrorKind.OriginRefused, failure.Kind);
                Assert.Equal(0, inner.Calls);
            }
        }

        [Fact]
        public async Task The_guard_checks_every_attempt_so_a_retry_cannot_go_elsewhere()
        {
            var inner = new FakeHandler((_, _) => Responses.Status(503));
            var retry = new RetryHandler(new RetrySettings { MaxRetries = 3, BaseDelay = TimeSpan.FromMilliseconds(1) });
            var lifetime = new ConnectionLifetime("test");
            var invoker = Chain.Of(inner, retry, new MovingHandler(), new RequestGuardHandler(new RequestGuard(TestConnection.Platform, lifetime)));

            var failure = await Assert.ThrowsAsync<PlatformApiException>(() =>
                invoker.SendAsync(Chain.Request(HttpMethod.Get, "https://platform.example.test/data/x", ApiOperation.ListSystemJobs), CancellationToken.None));

            Assert.Equal("ForeignOriginRefused", failure.ErrorId);
            Assert.Equal(1, inner.Calls);
        }

        [Fact]
        public async Task A_disconnected_session_sends_nothing()
        {
            var inner = new FakeHandler((_, _) => Responses.Status(200));
            var lifetime = new ConnectionLifetime("test");
            var invoker = Chain.Of(inner, new RequestGuardHandler(new RequestGuard(TestConnection.Platform, lifetime)));
            lifetime.Disconnect();

            var failure = await Assert.ThrowsAsync<PlatformApiException>(() =>
                invoker.SendAsync(Chain.Request(HttpMethod.Get, "https://platform.example.test/data/x", ApiOperation.ListSystemJobs), CancellationToken.None));

            Assert.Equal("ContextDisconnected", failure.ErrorId);
            Assert.Equal(0, inner.Calls);
        }

        [Fact]
        public void A_disconnected_session_releases_its_resources_once_the_last_request_in_flight_ends()
        {
            var lifetime = new ConnectionLifetime("test");
            var released = 0;
            lifetime.OnRelease(() => released++);
            var inFlight = lifetime.Enter();

            lifetime.Disconnect();
            Assert.Equal(0, released);
            Assert.Throws<PlatformApiException>(() => lifetime.Enter());
            inFlight.Dispose();
            Assert.Equal(1, released);
        }

        /// <summary>
        /// A whole session against two loopback servers: the platform and IMS answer with redirects to a third one,
        /// which must never hear from the module (no token request with the secret, no API call).
        /// </summary>
        [Fact]
        public async Task A_session_follows_no_redirect_and_the_other_host_receives_nothing()
        {
            using var other = new RecordingServer(_ => (200, "{}", null));
            using var redirecting = new RecordingServer(path => (307, "", other.Uri + path.TrimStart('/')));

            var options = new ConnectionOptions
            {
                ClientId = "client", ClientSecret = SecretText.Protect("s3cret"), OrgId = "ORG@AdobeOrg",
                PlatformUri = redirecting.Uri, ImsUri = redirecting.Uri,
                Retry = new RetrySettings { MaxRetries = 2, BaseDelay = TimeSpan.FromMilliseconds(1) },
            };
            var failure = await Assert.ThrowsAsync<PlatformApiException>(() => PlatformSession.ConnectAsync(options, CancellationToken.None));

            Assert.Equal("RedirectRefused", failure.ErrorId);
            Assert.Contains(redirecting.Uri.Authority, failure.Message);
            Assert.Contains(other.Uri.Authority, failure.Message);
            Assert.Single(redirecting.Paths);
            Assert.Empty(other.Paths);
        }

        /// <summary>Moves every request to another host, as a redirect that was followed would.</summary>
        private sealed class MovingHandler : DelegatingHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                if (RequestMetadata.AttemptOf(request) > 1) request.RequestUri = new Uri("https://elsewhere.example.test/data/x");
                return base.SendAsync(request, cancellationToken);
            }
        }

        /// <summary>A loopback HTTP server answering each request from <c>answer(path)</c> (status, body, Location) and recording the paths.</summary>
        private sealed class RecordingServer : IDisposable
        {
            private readonly HttpListener _listener = new HttpListener();
            private readonly Func<string, (int Status, string Body, string? Location)> _answer;
            private readonly Task _loop;

            public RecordingServer(Func<string, (int, string, string?)> answer)
            {
                _answer = answer;
                var probe = new TcpListener(IPAddress.Loopback, 0);
                probe.Start();
                var port = ((IPEndPoint)probe.LocalEndpoint).Port;
                probe.Stop();
                Uri = new Uri($"http://127.0.0.1:{port}/");
                _listener.Prefixes.Add(Uri.ToString());
                _listener.Start();
                _loop = Task.Run(LoopAsync);
            }

            public Uri Uri { get; }
            public ConcurrentQueue<string> Paths { get; } = new ConcurrentQueue<string>();

            private async Task LoopAsync()
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await _listener.GetContextAsync();
                    }
                    catch (Exception)
                    {
                        return;
                    }
                    var path = context.Request.Url!.PathAndQuery;
                    Paths.Enqueue(path);
                    using (var reader = new StreamReader(context.Request.InputStream)) await reader.ReadToEndAsync();
                    var (status, body, location) = _answer(path);
                    context.Response.StatusCode = status;
                    if (location != null) context.Response.RedirectLocation = location;
                    var bytes = System.Text.Encoding.UTF8.GetBytes(body);
                    await context.Response.OutputStream.WriteAsync(bytes);
                    context.Response.Close();
                }
            }

            public void Dispose()
            {
                _listener.Stop();
                _listener.Close();
                try
                {
                    _loop.Wait(TimeSpan.FromSeconds(5));
                }
                catch (AggregateException)
                {
                }
            }
        }
    }
}
