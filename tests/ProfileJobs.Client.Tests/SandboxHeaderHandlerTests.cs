using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using ProfileJobs.Http;
using Xunit;

namespace ProfileJobs.Client.Tests
{
    public sealed class SandboxHeaderHandlerTests
    {
        private const string SandboxId = "5b1c1b3a-0000-4000-8000-00000000e001";

        private static async Task<SeenRequest> SendAsync(ApiOperation operation, string? name, string? id, ApiGeneration generation)
        {
            var inner = new FakeHandler((_, _) => Responses.Status(200));
            var invoker = Chain.Of(inner, new SandboxHeaderHandler(name, id, () => generation));
            await invoker.SendAsync(Chain.Request(HttpMethod.Get, "https://platform.example.test/x", operation), CancellationToken.None);
            return Assert.Single(inner.Seen);
        }

        [Theory]
        [InlineData(nameof(ApiOperation.ListSystemJobs), ApiGeneration.Aws, null, SandboxId)]
        [InlineData(nameof(ApiOperation.CreateSystemJob), ApiGeneration.Aws, null, SandboxId)]
        [InlineData(nameof(ApiOperation.GetSystemJob), ApiGeneration.Unified, "prod", null)]
        [InlineData(nameof(ApiOperation.ListSystemJobs), ApiGeneration.Azure, "prod", null)]
        [InlineData(nameof(ApiOperation.ListSystemJobs), ApiGeneration.Auto, "prod", null)]
        [InlineData(nameof(ApiOperation.SubmitWorkOrder), ApiGeneration.Aws, "prod", null)]
        [InlineData(nameof(ApiOperation.ListWorkOrders), ApiGeneration.Aws, "prod", null)]
        [InlineData(nameof(ApiOperation.SubmitRecordDeletes), ApiGeneration.Aws, null, null)]
        [InlineData(nameof(ApiOperation.GetRecordDelete), ApiGeneration.Unified, null, null)]
        [InlineData(nameof(ApiOperation.GetQuota), ApiGeneration.Unified, null, null)]
        public async Task Each_API_gets_the_header_it_needs_from_a_connection_that_has_both(string operationName, ApiGeneration generation, string? expectedName, string? expectedId)
        {
            var operation = Enum.Parse<ApiOperation>(operationName);
            var seen = await SendAsync(operation, "prod", SandboxId, generation);

            Assert.Equal(expectedName, seen.Header("x-sandbox-name"));
            Assert.Equal(expectedId, seen.Header("x-sandbox-id"));
        }

        [Fact]
        public async Task A_work_order_on_a_connection_with_only_an_id_is_refused_before_sending()
        {
            var inner = new FakeHandler((_, _) => Responses.Status(200));
            var invoker = Chain.Of(inner, new SandboxHeaderHandler(null, SandboxId, () => ApiGeneration.Aws));

            var failure = await Assert.ThrowsAsync<PlatformApiException>(() =>
                invoker.SendAsync(Chain.Request(HttpMethod.Post, "https://platform.example.test/x", ApiOperation.SubmitWorkOrder), CancellationToken.None));

            Assert.Equal("SandboxNameRequired", failure.ErrorId);
            Assert.Equal(PlatformErrorKind.MissingConnectionValue, failure.Kind);
            Assert.Contains($"-Sandbox <name> -SandboxId {SandboxId}", failure.Message);
            Assert.Equal(0, inner.Calls);
        }

        [Fact]
        public async Task AWS_system_jobs_on_a_connection_with_only_a_name_are_refused_before_sending()
        {
            var inner = new FakeHandler((_, _) => Responses.Status(200));
            var invoker = Chain.Of(inner, new SandboxHeaderHandler("prod", null, () => ApiGeneration.Aws));

            var failure = await Assert.ThrowsAsync<PlatformApiException>(() =>
                invoker.SendAsync(Chain.Request(HttpMethod.Get, "https://platform.example.test/x", ApiOperation.ListSystemJobs), CancellationToken.None));

            Assert.Equal("SandboxIdRequired", failure.ErrorId);
            Assert.Contains("-SandboxId <id>", failure.Message);
            Assert.Equal(0, inner.Calls);
        }

        [Fact]
        public async Task A_header_set_by_someone_else_is_replaced()
        {
            var inner = new FakeHandler((_, _) => Responses.Status(200));
            var invoker = Chain.Of(inner, new SandboxHeaderHandler("prod", null, () => ApiGeneration.Unified));
            var request = Chain.Request(HttpMethod.Get, "https://platform.example.test/x", ApiOperation.GetQuota);
            request.Headers.TryAddWithoutValidation("x-sandbox-name", "other");

            await invoker.SendAsync(request, CancellationToken.None);

            Assert.Null(Assert.Single(inner.Seen).Header("x-sandbox-name"));
        }
    }
}
