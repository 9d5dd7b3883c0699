using System;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using ProfileJobs.Connection;
using ProfileJobs.Http;
using Xunit;

namespace ProfileJobs.Client.Tests
{
    /// <summary>Every failure comes out of <see cref="ApiTransport"/> as one PlatformApiException with its final id and kind.</summary>
    public sealed class ErrorTranslationTests
    {
        private static async Task<PlatformApiException> FailAsync(ApiOperation operation, HttpMethod method, string path, Func<HttpResponseMessage> answer, int attempts = 1)
        {
            var inner = new FakeHandler((request, _) =>
            {
                RequestMetadata.SetAttempt(request, attempts);
                return answer();
            });
            var transport = new ApiTransport(() => new HttpClient(inner) { BaseAddress = TestConnection.Platform }, new ConnectionLifetime("test"));
            return await Assert.ThrowsAsync<PlatformApiException>(() => transport.SendAsync(RequestMetadata.Create(method, path, operation), CancellationToken.None));
        }

        private const string Gateway403 = "{\"error_code\":\"403025\",\"message\":\"Profile is not valid\"}";
        private const string Unified422Batch = "{\"type\":\"https://ns.adobe.com/aep/errors/UPAPI-036002-422\",\"title\":\"Invalid system job payload.\",\"status\":422,\"requestId\":\"r-1\"}";
        private const string Azure400Batch = "{\"requestId\":\"r-2\",\"errors\":{\"400\":[{\"code\":\"500\",\"message\":\"Batch can only be specified for EE type 'ds1'\"}]}}";
        private const string Duplicate422 = "{\"type\":\"https://ns.adobe.com/aep/errors/EMU-0007-422\",\"title\":\"Delete request already exists\",\"status\":422,\"detail\":\"A delete request for dataset 'ds1' already exists and is not finished.\"}";

        [Theory]
        [InlineData(nameof(ApiOperation.GetSystemJob), "GET", 404, "{\"message\":\"no such job\"}", "JobNotFound", PlatformErrorKind.NotFound)]
        [InlineData(nameof(ApiOperation.DeleteSystemJob), "DELETE", 404, "{}", "JobNotFound", PlatformErrorKind.NotFound)]
        [InlineData(nameof(ApiOperation.ListSystemJobs), "GET", 404, "{}", "NotFound", PlatformErrorKind.NotFound)]
        [InlineData(nameof(ApiOperation.GetRecordDelete), "GET", 404, "{\"errors\":[{\"code\":\"1000-404\",\"message\":\"not found\"}]}", "RecordDeleteNotFound", PlatformErrorKind.NotFound)]
        [InlineData(nameof(ApiOperation.GetWorkOrder), "GET", 404, "{}", "RecordDeleteNotFound", PlatformErrorKind.NotFound)]
        [InlineData(nameof(ApiOperation.GetQuota), "GET", 404, "{}", "NotFound", PlatformErrorKind.NotFound)]
        [InlineData(nameof(ApiOperation.DeleteSystemJob), "DELETE", 405, "", "RemoveNotSupported", PlatformErrorKind.NotSupported)]
        [InlineData(nameof(ApiOperation.DeleteSystemJob), "DELETE", 501, "", "RemoveNotSupported", PlatformErrorKind.NotSupported)]
        [InlineData(nameof(ApiOperation.CreateSystemJob), "POST", 422, Unified422Batch, "BatchRequiresTimeSeriesDataset", PlatformErrorKind.InvalidRequest)]
        [InlineData(nameof(ApiOperation.CreateSystemJob), "POST", 400, Azure400Batch, "BatchRequiresTimeSeriesDataset", PlatformErrorKind.InvalidRequest)]
        [InlineData(nameof(ApiOperation.CreateSystemJob), "POST", 422, Duplicate422, "DeleteRequestExists", PlatformErrorKind.Conflict)]
        [InlineData(nameof(ApiOperation.CreateSystemJob), "POST", 409, "{}", "DeleteRequestExists", PlatformErrorKind.Conflict)]
        [InlineData(nameof(ApiOperation.CreateSystemJob), "POST", 400, "{\"title\":\"Bad request\",\"detail\":\"datasetId is required\"}", "InvalidRequest", PlatformErrorKind.InvalidRequest)]
        [InlineData(nameof(ApiOperation.SubmitWorkOrder), "POST", 422, Duplicate422, "InvalidRequest", PlatformErrorKind.InvalidRequest)]
        [InlineData(nameof(ApiOperation.ListSystemJobs), "GET", 401, "{\"error_code\":\"401013\",\"message\":\"Oauth token is not valid\"}", "Unauthorized", PlatformErrorKind.Unauthorized)]
        [InlineData(nameof(ApiOperation.ListSystemJobs), "GET", 403, Gateway403, "Forbidden", PlatformErrorKind.Forbidden)]
        [InlineData(nameof(ApiOperation.ListSystemJobs), "GET", 429, "{\"message\":\"Too many requests\",\"retryAfterMs\":\"500\"}", "RateLimited", PlatformErrorKind.RateLimited)]
        [InlineData(nameof(ApiOperation.ListSystemJobs), "GET", 500, "oops", "ServerError", PlatformErrorKind.ServerError)]
        [InlineData(nameof(ApiOperation.ListSystemJobs), "GET", 503, "", "ServerError", PlatformErrorKind.ServerError)]
        [InlineData(nameof(ApiOperation.ListSystemJobs), "GET", 418, "", "InvalidRequest", PlatformErrorKind.InvalidRequest)]
        public async Task A_status_and_body_mean_one_id_and_kind_for_the_operation(string operationName, string method, int status, string body, string errorId, PlatformErrorKind kind)
        {
            var operation = Enum.Parse<ApiOperation>(operationName);
            var failure = await FailAsync(operation, new HttpMethod(method), "data/core/x", () => Responses.Json((HttpStatusCode)status, body));

            Assert.Equal(errorId, failure.ErrorId);
            Assert.Equal(kind, failure.Kind);
            Assert.Equal(status, (int)failure.StatusCode!.Value);
            Assert.StartsWith($"{method} /data/core/x failed with {status}", failure.Message);
        }

        [Fact]
        public async Task The_message_quotes_the_API_its_code_request_id_and_attempts()
        {
            var failure = await FailAsync(ApiOperation.ListSystemJobs, HttpMethod.Get, "data/core/x", () =>
            {
                var response = Responses.Json(HttpStatusCode.Forbidden, Gateway403);
                response.Headers.TryAddWithoutValidation("x-request-id", "req-77");
                return response;
            }, attempts: 3);

            Assert.Equal("403025", failure.ErrorCode);
            Assert.Equal("req-77", failure.RequestId);
            Assert.Equal("GET /data/core/x failed with 403 Forbidden: Profile is not valid (request id req-77, after 3 attempts)", failure.Message);
        }

        [Fact]
        public async Task The_items_of_an_Azure_error_body_are_joined()
        {
            var failure = await FailAsync(ApiOperation.CreateSystemJob, HttpMethod.Post, "data/core/x", () => Responses.Json(HttpStatusCode.BadRequest, Azure400Batch));

            Assert.Equal("500", failure.ErrorCode);
            Assert.Equal("r-2", failure.RequestId);
            Assert.Contains("Batch can only be specified for EE type 'ds1'", failure.Message);
        }

        [Fact]
        public async Task Secrets_in_an_error_body_are_masked()
        {
            var failure = await FailAsync(ApiOperation.ListSystemJobs, HttpMethod.Get, "data/core/x",
                () => Responses.Json(HttpStatusCode.BadRequest, "{\"message\":\"bad\",\"access_token\":\"leaked-token\"}"));

            Assert.DoesNotContain("leaked-token", failure.ResponseBody);
            Assert.Contains("\"access_token\":\"***\"", failure.ResponseBody);
        }

        [Fact]
        public async Task An_IMS_refusal_is_AuthenticationFailed_whatever_its_status()
        {
            var failure = await FailAsync(ApiOperation.ImsToken, HttpMethod.Post, "ims/token/v3",
                () => Responses.Json(HttpStatusCode.BadRequest, "{\"error\":\"invalid_scope\",\"error_description\":\"bad scope\"}"));

            Assert.Equal("AuthenticationFailed", failure.ErrorId);
            Assert.Equal("invalid_scope", failure.ErrorCode);
            Assert.Contains("invalid_scope: bad scope", failure.Message);
        }

        [Theory]
        [InlineData(301)]
        [InlineData(302)]
        [InlineData(307)]
        [InlineData(308)]
        public async Task A_redirect_is_refused_naming_both_hosts(int status)
        {
            var failure = await FailAsync(ApiOperation.ListSystemJobs, HttpMethod.Get, "data/core/x", () =>
            {
                var response = Responses.Status(status);
                response.Headers.Location = new Uri("https://attacker.example.test:8443/steal");
                return response;
            });

            Assert.Equal("RedirectRefused", failure.ErrorId);
            Assert.Equal(PlatformErrorKind.OriginRefused, failure.Kind);
            Assert.Contains("https://platform.example.test", failure.Message);
            Assert.Contains("https://attacker.example.test:8443", failure.Message);
        }

        [Fact]
        public async Task A_transport_failure_is_Network_with_the_attempt_count()
        {
            var inner = new FakeHandler((request, _, _) =>
            {
                RequestMetadata.SetAttempt(request, 5);
                throw new HttpRequestException("Connection refused (127.0.0.1:9)", new SocketException((int)SocketError.ConnectionRefused));
            });
            var transport = new ApiTransport(() => new HttpClient(inner) { BaseAddress = TestConnection.Platform }, new ConnectionLifetime("test"));

            var failure = await Assert.ThrowsAsync<PlatformApiException>(() =>
                transport.SendAsync(RequestMetadata.Create(HttpMethod.Post, "ims/token/v3", ApiOperation.ImsToken), CancellationToken.None));

            Assert.Equal("Network", failure.ErrorId);
            Assert.Equal(PlatformErrorKind.Network, failure.Kind);
            Assert.Equal("POST /ims/token/v3 failed: Connection refused (127.0.0.1:9) (after 5 attempts)", failure.Message);
        }

        [Fact]
        public async Task A_timeout_is_Timeout_with_the_attempt()
        {
            var inner = new FakeHandler((_, _, _) => throw new TimeoutException("got no answer within 1 s"));
            var transport = new ApiTransport(() => new HttpClient(inner) { BaseAddress = TestConnection.Platform }, new ConnectionLifetime("test"));

            var failure = await Assert.ThrowsAsync<PlatformApiException>(() =>
                transport.SendAsync(RequestMetadata.Create(HttpMethod.Get, "data/core/x", ApiOperation.GetSystemJob), CancellationToken.None));

            Assert.Equal("Timeout", failure.ErrorId);
            Assert.Equal("GET /data/core/x got no answer within 1 s (attempt 1).", failure.Message);
        }

        [Fact]
        public async Task A_disconnected_session_refuses_before_sending()
        {
            var inner = new FakeHandler((_, _) => Responses.Status(200));
            var lifetime = new ConnectionLifetime("client in ORG (sandbox prod)");
            var transport = new ApiTransport(() => new HttpClient(inner) { BaseAddress = TestConnection.Platform }, lifetime);
            lifetime.Disconnect();

            var failure = await Assert.ThrowsAsync<PlatformApiException>(() =>
                transport.SendAsync(RequestMetadata.Create(HttpMethod.Get, "data/core/x", ApiOperation.GetSystemJob), CancellationToken.None));

            Assert.Equal("ContextDisconnected", failure.ErrorId);
            Assert.Equal(PlatformErrorKind.Disconnected, failure.Kind);
            Assert.Equal(0, inner.Calls);
        }

        [Fact]
        public void Refine_keeps_the_platform_facts_and_changes_what_the_caller_knows()
        {
            var original = new PlatformApiException(PlatformErrorKind.Conflict, "422 already exists", HttpStatusCode.UnprocessableEntity, "EMU-0007", "req-1", "{}", errorId: "DeleteRequestExists");

            var refined = original.Refine("A delete request for dataset ds1 already exists: job j1.", target: "j1");

            Assert.Equal("DeleteRequestExists", refined.ErrorId);
            Assert.Equal(PlatformErrorKind.Conflict, refined.Kind);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refined.StatusCode);
            Assert.Equal("EMU-0007", refined.ErrorCode);
            Assert.Equal("req-1", refined.RequestId);
            Assert.Equal("j1", refined.Target);
            Assert.Same(original, refined.InnerException);
        }
    }
}
