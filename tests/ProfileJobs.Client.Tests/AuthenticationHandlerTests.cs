using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using ProfileJobs.Auth;
using ProfileJobs.Connection;
using ProfileJobs.Http;
using Xunit;

namespace ProfileJobs.Client.Tests
{
    public sealed class AuthenticationHandlerTests
    {
        private const string Jobs = "https://platform.example.test/data/core/ups/system/jobs";

        private sealed class CountingTokens : ITokenSource
        {
            public int Issued;
            public int Renewals;
            public DateTimeOffset? ExpiresOn => null;
            public Task<string> GetTokenAsync(CancellationToken cancellationToken) => Task.FromResult("token-" + Math.Max(1, Volatile.Read(ref Issued)));

            public Task<string> RenewAsync(string rejectedToken, CancellationToken cancellationToken)
            {
                Interlocked.Increment(ref Renewals);
                return Task.FromResult("token-" + Interlocked.Increment(ref Issued) + "-renewed");
            }

            public void Forget()
            {
            }
        }

        private static (HttpMessageInvoker Invoker, CountingTokens Tokens, ConnectionLifetime Lifetime) Build(FakeHandler inner)
        {
            var tokens = new CountingTokens();
            var lifetime = new ConnectionLifetime("test");
            var guard = new RequestGuard(TestConnection.Platform, lifetime);
            return (Chain.Of(inner, new AuthenticationHandler(tokens, guard, "the-api-key", "ORG@AdobeOrg")), tokens, lifetime);
        }

        [Fact]
        public async Task Every_request_carries_the_token_the_api_key_and_the_org()
        {
            var inner = new FakeHandler((_, _) => Responses.Status(200));
            var (invoker, _, _) = Build(inner);

            await invoker.SendAsync(Chain.Request(HttpMethod.Get, Jobs, ApiOperation.ListSystemJobs), CancellationToken.None);

            var seen = Assert.Single(inner.Seen);
            Assert.Equal("Bearer token-1", seen.Header("Authorization"));
            Assert.Equal("the-api-key", seen.Header("x-api-key"));
            Assert.Equal("ORG@AdobeOrg", seen.Header("x-gw-ims-org-id"));
        }

        [Fact]
        public async Task A_401_renews_the_token_once_and_replays_even_a_create()
        {
            var inner = new FakeHandler((_, call) => call == 1 ? Responses.Status(401) : Responses.Status(200));
            var (invoker, tokens, _) = Build(inner);

            var response = await invoker.SendAsync(Chain.Request(HttpMethod.Post, Jobs, ApiOperation.CreateSystemJob, new StringContent("{}")), CancellationToken.None);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(1, tokens.Renewals);
            Assert.Equal(new[] { "Bearer token-1", "Bearer token-1-renewed" }, inner.Seen.Select(s => s.Header("Authorization")));
        }

        [Fact]
        public async Task A_second_401_is_returned_not_renewed_again()
        {
            var inner = new FakeHandler((_, _) => Responses.Status(401));
            var (invoker, tokens, _) = Build(inner);

            var response = await invoker.SendAsync(Chain.Request(HttpMethod.Get, Jobs, ApiOperation.ListSystemJobs), CancellationToken.None);

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal(1, tokens.Renewals);
            Assert.Equal(2, inner.Calls);
        }

        [Fact]
        public async Task No_credential_is_attached_to_a_request_for_another_origin()
        {
            var inner = new FakeHandler((_, _) => Responses.Status(200));
            var (invoker, _, _) = Build(inner);

            var failure = await Assert.ThrowsAsync<PlatformApiException>(() =>
                invoker.SendAsync(Chain.Request(HttpMethod.Get, "https://elsewhere.example.test/data/core/ups/system/jobs", ApiOperation.ListSystemJobs), CancellationToken.None));

            Assert.Equal("ForeignOriginRefused", failure.ErrorId);
            Assert.Equal(0, inner.Calls);
        }

        [Fact]
        public async Task A_disconnected_session_renews_no_token()
        {
            var inner = new FakeHandler((_, _) => Responses.Status(401));
            var (invoker, tokens, lifetime) = Build(inner);
            lifetime.Disconnect();

            var failure = await Assert.ThrowsAsync<PlatformApiException>(() =>
                invoker.SendAsync(Chain.Request(HttpMethod.Get, Jobs, ApiOperation.ListSystemJobs), CancellationToken.None));

            Assert.Equal("ContextDisconnected", failure.ErrorId);
            Assert.Equal(0, tokens.Renewals);
            Assert.Equal(0, inner.Calls);
        }

        [Fact]
        public async Task Requests_that_meet_a_rejected_token_at_the_same_time_share_one_renewal()
        {
            var ims = new FakeHandler(async (_, call, token) =>
            {
                await Task.Delay(200, token);
                return Responses.Json(HttpStatusCode.OK, $"{{\"access_token\":\"token-{call}\",\"token_type\":\"bearer\",\"expires_in\":86399}}");
            });
            var lifetime = new ConnectionLifetime("test");
            var client = new HttpClient(ims) { BaseAddress = new Uri("https://ims.example.test/") };
            var tokens = new ImsTokenSource(new ApiTransport(() => client, lifetime), lifetime, "client", SecretText.Protect("secret"), new[] { "openid" });
            var first = await tokens.GetTokenAsync(CancellationToken.None);

            var renewed = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => tokens.RenewAsync(first, CancellationToken.None))));

            Assert.Equal("token-1", first);
            Assert.All(renewed, token => Assert.Equal("token-2", token));
            Assert.Equal(2, ims.Calls);
        }

        [Fact]
        public async Task The_token_request_sends_the_secret_in_the_form_body_only()
        {
            var ims = new FakeHandler((_, _) => Responses.Json(HttpStatusCode.OK, "{\"access_token\":\"t\",\"expires_in\":100}"));
            var lifetime = new ConnectionLifetime("test");
            var client = new HttpClient(ims) { BaseAddress = new Uri("https://ims.example.test/") };
            var tokens = new ImsTokenSource(new ApiTransport(() => client, lifetime), lifetime, "client", SecretText.Protect("s3cret"), new[] { "openid", "AdobeID" });

            await tokens.GetTokenAsync(CancellationToken.None);

            var seen = Assert.Single(ims.Seen);
            Assert.Equal("/ims/token/v3", seen.Uri.AbsolutePath);
            Assert.Equal("", seen.Uri.Query);
            Assert.Equal("grant_type=client_credentials&client_id=client&client_secret=s3cret&scope=openid%2CAdobeID", seen.Body);
        }

        [Fact]
        public async Task An_IMS_refusal_is_AuthenticationFailed_with_the_IMS_error()
        {
            var ims = new FakeHandler((_, _) => Responses.Json(HttpStatusCode.Unauthorized, "{\"error\":\"invalid_client\",\"error_description\":\"invalid client_secret parameter\"}"));
            var lifetime = new ConnectionLifetime("test");
            var client = new HttpClient(ims) { BaseAddress = new Uri("https://ims.example.test/") };
            var tokens = new ImsTokenSource(new ApiTransport(() => client, lifetime), lifetime, "my-client", SecretText.Protect("wrong"), new[] { "openid" });

            var failure = await Assert.ThrowsAsync<PlatformApiException>(() => tokens.GetTokenAsync(CancellationToken.None));

            Assert.Equal(PlatformErrorKind.AuthenticationFailed, failure.Kind);
            Assert.Equal("AuthenticationFailed", failure.ErrorId);
            Assert.Equal("invalid_client", failure.ErrorCode);
            Assert.Contains("client 'my-client'", failure.Message);
            Assert.DoesNotContain("wrong", failure.Message);
        }
    }
}
