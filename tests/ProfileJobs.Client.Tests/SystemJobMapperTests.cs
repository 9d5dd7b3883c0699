using System;
using System.Text.Json;
using ProfileJobs.Json;
using ProfileJobs.SystemJobs;
using Xunit;

namespace ProfileJobs.Client.Tests
{
    public sealed class SystemJobMapperTests
    {
        private static readonly TestConnection Connection = new TestConnection(new FakeHandler((_, _) => Responses.Status(200)), "prod", "5b1c1b3a-0000-4000-8000-00000000e001");

        private static ProfileSystemJob Map(string json, ApiGeneration generation) =>
            SystemJobMapper.ToJob(JsonSerializer.Deserialize(json, ClientJsonContext.Default.SystemJobBody)!, generation, Connection.Context);

        [Fact]
        public void An_Azure_job_with_metrics_as_a_JSON_string_and_epoch_seconds()
        {
            var job = Map("{\"id\":\"a1\",\"imsOrgId\":\"ORG@AdobeOrg\",\"dataSetId\":\"ds1\",\"jobType\":\"DELETE\",\"status\":\"PROCESSING\"," +
                          "\"metrics\":\"{\\\"recordsProcessed\\\":\\\"1200\\\",\\\"timeTakenInSec\\\":3.5}\",\"createEpoch\":1700000000,\"updateEpoch\":1700000060000}",
                ApiGeneration.Azure);

            Assert.Equal("a1", job.Id);
            Assert.Equal("TRUNCATE_DATASET", job.Type);
            Assert.Equal("ds1", job.DatasetId);
            Assert.Null(job.BatchId);
            Assert.Equal(JobState.Running, job.State);
            Assert.False(job.IsFinal);
            Assert.Equal(1200, job.RecordsProcessed);
            Assert.Equal(TimeSpan.FromSeconds(3.5), job.TimeTaken);
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), job.CreatedAt);
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000060000), job.UpdatedAt);
            Assert.Equal("ORG@AdobeOrg", job.OrgId);
            Assert.Equal(ApiGeneration.Azure, job.ApiGeneration);
        }

        [Fact]
        public void An_Azure_batch_delete_is_a_DELETE_EE_BATCH()
        {
            var job = Map("{\"id\":\"a2\",\"dataSetId\":\"ds1\",\"batchId\":\"b1\",\"jobType\":\"DELETE\",\"status\":\"COMPLETED\"}", ApiGeneration.Azure);

            Assert.Equal("DELETE_EE_BATCH", job.Type);
            Assert.Equal("b1", job.BatchId);
            Assert.Equal(JobState.Succeeded, job.State);
        }

        [Fact]
        public void An_AWS_or_unified_job_with_properties_sandbox_and_ISO_times()
        {
            var job = Map("{\"requestId\":\"r1\",\"requestType\":\"DELETE_EE_BATCH\",\"imsOrgId\":\"ORG@AdobeOrg\"," +
                          "\"sandbox\":{\"sandboxName\":\"dev\",\"sandboxId\":\"s-1\"},\"status\":\"ERROR\"," +
                          "\"properties\":{\"datasetId\":\"ds2\",\"batchId\":\"b2\"},\"createdAt\":\"2026-01-02T03:04:05.123456Z\",\"updatedAt\":\"2026-01-02T03:05:00Z\"," +
                          "\"metrics\":{\"recordsProcessed\":7}}",
                ApiGeneration.Unified);

            Assert.Equal("r1", job.Id);
            Assert.Equal("DELETE_EE_BATCH", job.Type);
            Assert.Equal("ds2", job.DatasetId);
            Assert.Equal("b2", job.BatchId);
            Assert.Equal("dev", job.SandboxName);
            Assert.Equal("s-1", job.SandboxId);
            Assert.Equal(JobState.Failed, job.State);
            Assert.True(job.IsFinal);
            Assert.Equal(7, job.RecordsProcessed);
            Assert.Null(job.TimeTaken);
            Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, 123, TimeSpan.Zero).AddTicks(4560), job.CreatedAt);
        }

        [Fact]
        public void What_the_body_leaves_out_comes_from_the_connection()
        {
            var job = Map("{\"requestId\":\"r2\",\"status\":\"NEW\"}", ApiGeneration.Aws);

            Assert.Equal("TESTORG0000000000000000@AdobeOrg", job.OrgId);
            Assert.Equal("prod", job.SandboxName);
            Assert.Equal("5b1c1b3a-0000-4000-8000-00000000e001", job.SandboxId);
            Assert.Equal("TRUNCATE_DATASET", job.Type);
            Assert.Equal(JobState.Pending, job.State);
        }

        [Theory]
        [InlineData("NEW", JobState.Pending)]
        [InlineData("PROCESSING", JobState.Running)]
        [InlineData("IN-PROGRESS", JobState.Running)]
        [InlineData("in_progress", JobState.Running)]
        [InlineData("COMPLETED", JobState.Succeeded)]
        [InlineData("SUCCESS", JobState.Succeeded)]
        [InlineData("ERROR", JobState.Failed)]
        [InlineData("FAILED", JobState.Failed)]
        [InlineData("PAUSED", JobState.Unknown)]
        public void Every_generation_s_status_maps_to_one_state(string status, JobState state) =>
            Assert.Equal(state, JobStates.FromStatus(status));
    }
}
