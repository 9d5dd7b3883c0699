using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using ProfileJobs.SystemJobs;
using Xunit;

namespace ProfileJobs.Client.Tests
{
    /// <summary>Page shapes of the three generations, what they tell about the generation, and when listing stops.</summary>
    public sealed class SystemJobPagingTests
    {
        private static string AwsJob(int n) => $"{{\"requestId\":\"aws-{n}\",\"requestType\":\"TRUNCATE_DATASET\",\"status\":\"SUCCESS\",\"properties\":{{\"datasetId\":\"ds{n}\"}}}}";
        private static string UnifiedJob(int n) => AwsJob(n).Replace("aws-", "uni-");
        private static string AzureJob(int n) => $"{{\"id\":\"az-{n}\",\"jobType\":\"DELETE\",\"dataSetId\":\"ds{n}\",\"status\":\"COMPLETED\"}}";

        private static string Jobs(Func<int, string> job, int from, int count) => string.Join(",", Enumerable.Range(from, count).Select(job));

        private static (SystemJobsClient Client, FakeHandler Server, TestConnection Connection) Serve(Func<int, int, string> page, ApiGeneration configured = ApiGeneration.Auto, string? sandboxId = null)
        {
            var server = new FakeHandler((request, _) =>
            {
                var query = System.Web.HttpUtility.ParseQueryString(request.RequestUri!.Query);
                return Responses.Json(HttpStatusCode.OK, page(int.Parse(query["start"]!), int.Parse(query["limit"]!)));
            });
            var connection = new TestConnection(server, sandboxId: sandboxId, configured: configured);
            return (connection.SystemJobs(), server, connection);
        }

        private static async Task<List<ProfileSystemJob>> ListAll(SystemJobsClient client, int pageSize)
        {
            var all = new List<ProfileSystemJob>();
            await client.ListAsync(pageSize, page =>
            {
                all.AddRange(page);
                return true;
            }, CancellationToken.None);
            return all;
        }

        [Fact]
        public async Task AWS_answers_one_bare_array_and_one_request_is_made()
        {
            var (client, server, connection) = Serve((_, _) => "[" + Jobs(AwsJob, 0, 100) + "]");

            var jobs = await ListAll(client, 100);

            Assert.Equal(100, jobs.Count);
            Assert.Equal(1, server.Calls);
            Assert.Equal(ApiGeneration.Aws, connection.Generations.Current);
            Assert.All(jobs, j => Assert.Equal(ApiGeneration.Aws, j.ApiGeneration));
        }

        [Fact]
        public async Task Unified_pages_stop_at_the_total_count()
        {
            var (client, server, connection) = Serve((start, limit) =>
            {
                var count = Math.Max(0, Math.Min(limit, 5 - start * limit));
                return $"{{\"_page\":{{\"pageSize\":{limit},\"start\":\"{start}\",\"totalCount\":5,\"next\":{start + 1}}},\"children\":[{Jobs(UnifiedJob, start * limit, count)}]}}";
            });

            var jobs = await ListAll(client, 2);

            Assert.Equal(5, jobs.Count);
            Assert.Equal(3, server.Calls);
            Assert.Equal(ApiGeneration.Unified, connection.Generations.Current);
            Assert.Equal(new[] { "uni-0", "uni-1", "uni-2", "uni-3", "uni-4" }, jobs.Select(j => j.Id));
        }

        [Fact]
        public async Task Unified_pages_stop_when_next_is_null_even_if_full()
        {
            var (client, server, _) = Serve((start, limit) =>
                $"{{\"_page\":{{\"pageSize\":{limit},\"start\":\"{start}\",\"totalCount\":100,\"next\":{(start == 1 ? "null" : (start + 1).ToString())}}},\"children\":[{Jobs(UnifiedJob, start * limit, limit)}]}}");

            var jobs = await ListAll(client, 2);

            Assert.Equal(4, jobs.Count);
            Assert.Equal(2, server.Calls);
        }

        [Fact]
        public async Task Azure_pages_follow_an_opaque_next_until_a_short_page()
        {
            var (client, server, connection) = Serve((start, limit) =>
            {
                var count = start < 2 ? limit : 1;
                return $"{{\"_page\":{{\"count\":{count},\"next\":\"K0RJRD0xMjM={start}\"}},\"children\":[{Jobs(AzureJob, start * limit, count)}]}}";
            });

            var jobs = await ListAll(client, 3);

            Assert.Equal(7, jobs.Count);
            Assert.Equal(3, server.Calls);
            Assert.Equal(ApiGeneration.Azure, connection.Generations.Current);
            Assert.Equal("ds0", jobs[0].DatasetId);
        }

        [Fact]
        public async Task Azure_pages_stop_when_next_is_empty()
        {
            var (client, server, _) = Serve((start, limit) =>
                $"{{\"_page\":{{\"count\":{limit},\"next\":\"\"}},\"children\":[{Jobs(AzureJob, start * limit, limit)}]}}");

            var jobs = await ListAll(client, 3);

            Assert.Equal(3, jobs.Count);
            Assert.Equal(1, server.Calls);
        }

        [Fact]
        public async Task An_empty_page_ends_the_listing()
        {
            var (client, server, _) = Serve((_, _) => "{\"_page\":{\"count\":0,\"next\":\"x\"},\"children\":[]}");

            Assert.Empty(await ListAll(client, 3));
            Assert.Equal(1, server.Calls);
        }

        [Fact]
        public async Task A_server_that_ignores_paging_is_stopped_at_the_second_page()
        {
            var (client, server, _) = Serve((_, limit) => $"{{\"_page\":{{\"count\":{limit},\"next\":\"again\"}},\"children\":[{Jobs(AzureJob, 0, limit)}]}}");

            var failure = await Assert.ThrowsAsync<PlatformApiException>(() => ListAll(client, 2));

            Assert.Equal("InvalidResponse", failure.ErrorId);
            Assert.Equal(2, server.Calls);
        }

        [Fact]
        public async Task Azure_pages_capped_below_the_requested_size_are_followed_by_next()
        {
            var (client, server, _) = Serve((start, _) =>
            {
                var count = start < 2 ? 2 : 1;
                var next = start < 2 ? $",\"next\":\"page{start + 1}\"" : "";
                return $"{{\"_page\":{{\"count\":{count}{next}}},\"children\":[{Jobs(AzureJob, start * 2, count)}]}}";
            });

            var jobs = await ListAll(client, 10);

            Assert.Equal(5, jobs.Count);
            Assert.Equal(3, server.Calls);
        }

        [Fact]
        public async Task A_next_cursor_announced_twice_ends_the_listing()
        {
            var (client, server, _) = Serve((start, limit) =>
                $"{{\"_page\":{{\"pageSize\":{limit},\"totalCount\":1000,\"next\":{(start % 2 == 0 ? 1 : 0)}}},\"children\":[{Jobs(UnifiedJob, start * limit, limit)}]}}");

            var failure = await Assert.ThrowsAsync<PlatformApiException>(() => ListAll(client, 2));

            Assert.Equal("InvalidResponse", failure.ErrorId);
            Assert.Contains("announces the next page as '1', as page 1 did", failure.Message);
            Assert.Equal(3, server.Calls);
        }

        [Fact]
        public async Task A_listing_reads_at_most_its_page_bound()
        {
            var (client, server, _) = Serve((start, limit) =>
                $"{{\"_page\":{{\"pageSize\":{limit},\"next\":{start + 1}}},\"children\":[{Jobs(UnifiedJob, start * limit, limit)}]}}");

            var failure = await Assert.ThrowsAsync<PlatformApiException>(() => client.ListAsync(2, _ => true, CancellationToken.None, maxPages: 5));

            Assert.Equal(PlatformErrorKind.InvalidResponse, failure.Kind);
            Assert.Contains("after 5 pages", failure.Message);
            Assert.Equal(5, server.Calls);
        }

        [Fact]
        public async Task The_page_handler_can_stop_the_listing()
        {
            var (client, server, _) = Serve((start, limit) =>
                $"{{\"_page\":{{\"pageSize\":{limit},\"totalCount\":100,\"next\":{start + 1}}},\"children\":[{Jobs(UnifiedJob, start * limit, limit)}]}}");

            await client.ListAsync(10, _ => false, CancellationToken.None);

            Assert.Equal(1, server.Calls);
        }

        [Fact]
        public async Task Unreadable_JSON_is_InvalidResponse()
        {
            var (client, _, _) = Serve((_, _) => "{\"_page\":{\"count\":");

            var failure = await Assert.ThrowsAsync<PlatformApiException>(() => ListAll(client, 2));

            Assert.Equal(PlatformErrorKind.InvalidResponse, failure.Kind);
        }

        [Fact]
        public void The_configured_generation_wins_and_a_sandbox_id_implies_AWS()
        {
            var configured = new ApiGenerationResolver(ApiGeneration.Azure, hasSandboxId: true);
            configured.OfPage(bareArray: true, hasTotalCount: false, numericNext: false);
            Assert.Equal(ApiGeneration.Azure, configured.Current);

            var implied = new ApiGenerationResolver(ApiGeneration.Auto, hasSandboxId: true);
            Assert.Equal(ApiGeneration.Aws, implied.Current);

            var detected = new ApiGenerationResolver(ApiGeneration.Auto, hasSandboxId: false);
            Assert.Equal(ApiGeneration.Auto, detected.Current);
            Assert.Equal(ApiGeneration.Azure, detected.OfJob(new Json.SystemJobBody { Id = "a" }));
            Assert.Equal(ApiGeneration.Azure, detected.Current);
            Assert.Equal(ApiGeneration.Azure, detected.OfJob(new Json.SystemJobBody { RequestId = "b" }));
        }

        [Fact]
        public async Task The_generation_is_probed_once_with_a_one_job_listing_and_unified_is_assumed_without_an_answer_shape()
        {
            var (client, server, _) = Serve((_, _) => "{\"_page\":{\"pageSize\":1,\"totalCount\":0,\"next\":null},\"children\":[]}");

            Assert.Equal(ApiGeneration.Unified, await client.ResolveGenerationAsync(CancellationToken.None));
            Assert.Equal(ApiGeneration.Unified, await client.ResolveGenerationAsync(CancellationToken.None));

            var probe = Assert.Single(server.Seen);
            Assert.Equal("?start=0&limit=1", probe.Uri.Query);
        }

        [Fact]
        public async Task A_configured_generation_needs_no_probe()
        {
            var (client, server, _) = Serve((_, _) => "[]", configured: ApiGeneration.Azure);

            Assert.Equal(ApiGeneration.Azure, await client.ResolveGenerationAsync(CancellationToken.None));
            Assert.Equal(0, server.Calls);
        }
    }
}
