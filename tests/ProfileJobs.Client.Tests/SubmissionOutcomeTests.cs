using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using ProfileJobs.Hygiene;
using ProfileJobs.Submissions;
using Xunit;

namespace ProfileJobs.Client.Tests
{
    /// <summary>What the clients make of each answer to a create, in the one SubmissionOutcome every kind of create has.</summary>
    public sealed class SubmissionOutcomeTests
    {
        private const string CreatedJob = "{\"requestId\":\"new-1\",\"requestType\":\"TRUNCATE_DATASET\",\"status\":\"NEW\",\"properties\":{\"datasetId\":\"ds1\"}}";

        private static string Listing(params string[] jobs) =>
            $"{{\"_page\":{{\"pageSize\":100,\"totalCount\":{jobs.Length},\"next\":null}},\"children\":[{string.Join(",", jobs)}]}}";

        private static string Job(string id, string dataset, string status) =>
            $"{{\"requestId\":\"{id}\",\"requestType\":\"TRUNCATE_DATASET\",\"status\":\"{status}\",\"properties\":{{\"datasetId\":\"{dataset}\"}},\"createdAt\":\"2999-01-01T00:00:00Z\"}}";

        private static async Task<(SubmissionOutcome<ProfileSystemJob> Outcome, FakeHandler Server)> CreateAsync(
            System.Func<HttpRequestMessage, HttpResponseMessage> post, System.Func<HttpResponseMessage> list)
        {
            var server = new FakeHandler((request, _) => request.Method == HttpMethod.Post ? post(request) : list());
            var connection = new TestConnection(server, configured: ApiGeneration.Unified);
            var outcome = await connection.SystemJobs().CreateAsync("ds1", null, CancellationToken.None);
            return (outcome, server);
        }

        [Fact]
        public async Task A_created_job_is_the_outcome_with_its_report()
        {
            var (outcome, _) = await CreateAsync(_ => Responses.Json(HttpStatusCode.OK, CreatedJob), () => Responses.Json(HttpStatusCode.OK, Listing()));

            Assert.Equal(SubmissionState.Created, outcome.State);
            Assert.Equal("new-1", outcome.Created!.Id);
            Assert.Null(outcome.Failure);
            Assert.StartsWith("Created profile system job new-1 for dataset ds1 (sandbox prod", outcome.Report);
        }

        [Fact]
        public async Task A_lost_answer_is_looked_up_and_the_job_found_comes_with_a_warning_and_is_not_sent_again()
        {
            var posted = false;
            var (outcome, server) = await CreateAsync(_ => { posted = true; return Responses.Status(503); },
                () => Responses.Json(HttpStatusCode.OK, posted ? Listing(Job("other", "ds2", "NEW"), Job("found", "ds1", "NEW")) : Listing(Job("other", "ds2", "NEW"))));

            Assert.Equal(SubmissionState.CreatedAfterLostAnswer, outcome.State);
            Assert.Equal("found", outcome.Created!.Id);
            Assert.Contains("but the platform did create job found; the request was not sent again", outcome.Warning);
            Assert.Equal(1, server.Seen.Count(s => s.Method == HttpMethod.Post));
        }

        [Fact]
        public async Task A_lost_answer_is_not_taken_for_a_job_of_the_dataset_that_the_pre_send_listing_held()
        {
            var (outcome, server) = await CreateAsync(_ => Responses.Status(503), () => Responses.Json(HttpStatusCode.OK, Listing(Job("earlier", "ds1", "NEW"))));

            Assert.Equal(SubmissionState.Failed, outcome.State);
            Assert.Equal("SubmissionFailed", outcome.Failure!.ErrorId);
            Assert.DoesNotContain("earlier", outcome.Failure.Message);
            Assert.Equal(new[] { "GET", "POST", "GET" }, server.Seen.Select(s => s.Method.Method));
        }

        [Fact]
        public async Task A_lost_answer_with_no_job_in_the_list_is_SubmissionFailed()
        {
            var (outcome, _) = await CreateAsync(_ => Responses.Status(503), () => Responses.Json(HttpStatusCode.OK, Listing(Job("other", "ds2", "NEW"))));

            Assert.Equal(SubmissionState.Failed, outcome.State);
            Assert.Equal("SubmissionFailed", outcome.Failure!.ErrorId);
            Assert.Equal(PlatformErrorKind.ServerError, outcome.Failure.Kind);
            Assert.Contains("failed and no job was created (the job list has none for it)", outcome.Failure.Message);
        }

        [Fact]
        public async Task A_lost_answer_that_cannot_be_checked_is_SubmissionOutcomeUnknown()
        {
            var (outcome, _) = await CreateAsync(_ => Responses.Status(503), () => Responses.Status(503));

            Assert.Equal(SubmissionState.Unknown, outcome.State);
            Assert.False(outcome.OutcomeKnown);
            Assert.Equal("SubmissionOutcomeUnknown", outcome.Failure!.ErrorId);
            Assert.Contains("Look with Get-ProfileSystemJob before running the command again", outcome.Failure.Message);
        }

        [Fact]
        public async Task A_refusal_keeps_its_own_id_and_nothing_is_looked_up()
        {
            var (outcome, server) = await CreateAsync(_ => Responses.Json(HttpStatusCode.Forbidden, "{\"error_code\":\"403025\",\"message\":\"Profile is not valid\"}"),
                () => Responses.Json(HttpStatusCode.OK, Listing()));

            Assert.Equal("Forbidden", outcome.Failure!.ErrorId);
            // Only the pre-send snapshot (the clock is not known yet) came before it; nothing after.
            Assert.Equal(new[] { "GET", "POST" }, server.Seen.Select(s => s.Method.Method));
        }

        [Fact]
        public async Task A_running_delete_of_the_same_dataset_is_DeleteRequestExists_naming_that_job()
        {
            var (outcome, _) = await CreateAsync(
                _ => Responses.Json(HttpStatusCode.UnprocessableEntity, "{\"title\":\"Delete request already exists\",\"status\":422}"),
                () => Responses.Json(HttpStatusCode.OK, Listing(Job("done", "ds1", "SUCCESS"), Job("running", "ds1", "IN-PROGRESS"))));

            Assert.Equal("DeleteRequestExists", outcome.Failure!.ErrorId);
            Assert.Contains("already exists: job running (status IN-PROGRESS). No second one was created.", outcome.Failure.Message);
            Assert.Equal("running", Assert.IsType<ProfileSystemJob>(outcome.Failure.Target).Id);
        }

        [Fact]
        public async Task A_batch_of_a_record_dataset_is_BatchRequiresTimeSeriesDataset_saying_what_to_do()
        {
            var server = new FakeHandler((_, _) => Responses.Json(HttpStatusCode.UnprocessableEntity,
                "{\"type\":\"https://ns.adobe.com/aep/errors/UPAPI-036002-422\",\"title\":\"Invalid system job payload.\",\"status\":422}"));
            var outcome = await new TestConnection(server, configured: ApiGeneration.Unified).SystemJobs().CreateAsync("ds1", "b1", CancellationToken.None);

            Assert.Equal("BatchRequiresTimeSeriesDataset", outcome.Failure!.ErrorId);
            Assert.Contains("Batch b1 cannot be deleted on its own: dataset ds1 is a record dataset", outcome.Failure.Message);
        }

        [Fact]
        public async Task A_create_sends_the_body_of_the_generation()
        {
            var server = new FakeHandler((request, _) => Responses.Json(HttpStatusCode.OK, "{\"id\":\"az\",\"dataSetId\":\"ds1\",\"status\":\"NEW\"}"));
            await new TestConnection(server, configured: ApiGeneration.Azure).SystemJobs().CreateAsync("ds1", null, CancellationToken.None);
            await new TestConnection(server, configured: ApiGeneration.Unified).SystemJobs().CreateAsync("ds1", "b1", CancellationToken.None);

            Assert.Equal(new[] { "{\"dataSetId\":\"ds1\"}", "{\"datasetId\":\"ds1\",\"batchId\":\"b1\"}" }, server.Seen.Where(s => s.Method == HttpMethod.Post).Select(s => s.Body));
        }

        [Fact]
        public async Task A_record_delete_request_refused_by_the_platform_is_SubmissionFailed_naming_its_customers()
        {
            var server = new FakeHandler((_, _) => Responses.Json(HttpStatusCode.BadRequest, "{\"message\":\"bad\"}"));
            var hygiene = new TestConnection(server).Hygiene();
            var stream = new RecordDeleteStream();
            stream.Add(new RecordDeleteInput { Namespace = "email", Value = "a@example.com", Row = 1 }, new List<RecordDeleteProblem>());
            using var queue = SubmissionQueue<RecordDeleteRequest>.Of(new[] { stream.Finish(new List<RecordDeleteProblem>())! });
            var outcomes = new List<SubmissionOutcome<IReadOnlyList<HygieneRecordDelete>>>();

            await hygiene.SubmitAsync(queue, 1, new BulkObserver<IReadOnlyList<HygieneRecordDelete>> { InOrder = (_, o) => outcomes.Add(o) }, CancellationToken.None, CancellationToken.None);

            var failure = Assert.Single(outcomes).Failure!;
            Assert.Equal("SubmissionFailed", failure.ErrorId);
            Assert.StartsWith("Request 1 with 1 customer (email:a@example.com) failed and no job was created (the platform refused it)", failure.Message);
            Assert.Equal(new[] { "email:a@example.com" }, Assert.IsType<string[]>(failure.Target));
        }

        [Fact]
        public async Task A_work_order_whose_answer_was_lost_is_found_by_the_marker_in_its_display_name()
        {
            var submission = new WorkOrderSubmission("ALL", "Ticket 1", null);
            var stream = new WorkOrderStream();
            stream.Add(new RecordDeleteInput { Namespace = "email", Value = "a@example.com", Row = 1 }, new List<RecordDeleteProblem>());
            var order = stream.Finish()!;
            var server = new FakeHandler((request, _) => request.Method == HttpMethod.Post
                ? Responses.Status(502)
                : Responses.Json(HttpStatusCode.OK, "{\"results\":[{\"workorderId\":\"DI-0\",\"displayName\":\"Ticket 1\",\"status\":\"received\"}," +
                    $"{{\"workorderId\":\"DI-1\",\"displayName\":\"{submission.NameOf(order)}\",\"status\":\"received\"}}],\"_links\":{{}}}}"));
            var hygiene = new TestConnection(server).Hygiene();
            using var queue = SubmissionQueue<WorkOrderRequest>.Of(new[] { order });
            var outcomes = new List<SubmissionOutcome<HygieneWorkOrder>>();

            await hygiene.SubmitAsync(submission, queue, 1, new BulkObserver<HygieneWorkOrder> { InOrder = (_, o) => outcomes.Add(o) }, CancellationToken.None, CancellationToken.None);

            var outcome = Assert.Single(outcomes);
            Assert.Equal(SubmissionState.CreatedAfterLostAnswer, outcome.State);
            Assert.Equal("DI-1", outcome.Created!.WorkOrderId);
            Assert.Contains("search=" + System.Uri.EscapeDataString(submission.Marker), server.Seen.Last().Uri.Query);
        }

        [Fact]
        public async Task A_work_order_the_connection_cannot_send_keeps_the_reason_as_its_id()
        {
            var server = new FakeHandler((_, _) => Responses.Status(200));
            var connection = new TestConnection(new ProfileJobs.Http.SandboxHeaderHandler(null, "5b1c1b3a-0000-4000-8000-00000000e001", () => ApiGeneration.Aws) { InnerHandler = server }, sandboxName: null, sandboxId: "5b1c1b3a-0000-4000-8000-00000000e001");
            var hygiene = connection.Hygiene();
            var stream = new WorkOrderStream();
            stream.Add(new RecordDeleteInput { Namespace = "email", Value = "a@example.com", Row = 1 }, new List<RecordDeleteProblem>());
            using var queue = SubmissionQueue<WorkOrderRequest>.Of(new[] { stream.Finish()! });
            var outcomes = new List<SubmissionOutcome<HygieneWorkOrder>>();

            await hygiene.SubmitAsync(new WorkOrderSubmission("ALL", "n", null), queue, 1, new BulkObserver<HygieneWorkOrder> { InOrder = (_, o) => outcomes.Add(o) }, CancellationToken.None, CancellationToken.None);

            Assert.Equal("SandboxNameRequired", Assert.Single(outcomes).Failure!.ErrorId);
            Assert.Equal(0, server.Calls);
        }
    }
}
