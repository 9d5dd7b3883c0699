using System;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using ProfileJobs.Emulator.Tests.Infrastructure;
using Xunit;

namespace ProfileJobs.Emulator.Tests;

/// <summary>Create, get and delete of system jobs per generation, their errors and their status over time.</summary>
public sealed class SystemJobLifecycleTests
{
    private const string Jobs = "data/core/ups/system/jobs";
    private const string Dataset = "66a92c5910df2d1767de13f3";
    private const string RecordDataset = "65e1d0c0ffee00000000a001";

    [Fact]
    public async Task Azure_creates_dataset_and_batch_deletes_in_its_own_shape()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(EmulatorMode.Azure);
        Answer dataset = await emu.PostAsync(Jobs, $"{{\"dataSetId\":\"{Dataset}\"}}");
        Answer batch = await emu.PostAsync(Jobs, $"{{\"datasetId\":\"{Dataset}\",\"batchId\":\"9d07\"}}");
        Answer batchOnly = await emu.PostAsync(Jobs, "{\"batchId\":\"b-only\"}");

        Assert.Equal(200, dataset.Code);
        JsonElement d = dataset.Json;
        Assert.True(Guid.TryParse(d.GetProperty("id").GetString(), out _));
        Assert.Equal(Dataset, d.GetProperty("dataSetId").GetString());
        Assert.Equal("DELETE", d.GetProperty("jobType").GetString());
        Assert.Equal("NEW", d.GetProperty("status").GetString());
        Assert.Equal(TestEmulator.OrgId, d.GetProperty("imsOrgId").GetString());
        Assert.Equal(emu.Clock.GetUtcNow().ToUnixTimeSeconds(), d.GetProperty("createEpoch").GetInt64());
        Assert.False(d.TryGetProperty("metrics", out _));

        Assert.Equal(Dataset, batch.Json.GetProperty("datasetId").GetString());
        Assert.Equal("9d07", batch.Json.GetProperty("batchId").GetString());
        Assert.Equal(200, batchOnly.Code);
        Assert.False(batchOnly.Json.TryGetProperty("datasetId", out _));
        Assert.False(batchOnly.Json.TryGetProperty("dataSetId", out _));
    }

    [Theory]
    [InlineData(EmulatorMode.Aws)]
    [InlineData(EmulatorMode.Unified)]
    public async Task Aws_and_unified_create_in_the_gen_bc_shape_and_need_a_dataset_with_a_batch(EmulatorMode mode)
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(mode);
        Answer dataset = await emu.PostAsync(Jobs, $"{{\"dataSetId\":\"{Dataset}\"}}");
        Answer batch = await emu.PostAsync(Jobs, $"{{\"datasetId\":\"{Dataset}\",\"batchId\":\"01JFSYFDFW9JAAEKHX672JMPSB\"}}");
        Answer batchOnly = await emu.PostAsync(Jobs, "{\"batchId\":\"b-only\"}");

        JsonElement d = dataset.Json;
        Assert.Equal("TRUNCATE_DATASET", d.GetProperty("requestType").GetString());
        Assert.Equal(Dataset, d.GetProperty("properties").GetProperty("datasetId").GetString());
        Assert.Equal("prod", d.GetProperty("sandbox").GetProperty("sandboxName").GetString());
        Assert.Equal(EmulatorOptions.DefaultSandboxId, d.GetProperty("sandbox").GetProperty("sandboxId").GetString());
        Assert.Equal(d.GetProperty("createdAt").GetString(), d.GetProperty("updatedAt").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", d.GetProperty("createdAt").GetString());
        Assert.Equal("DELETE_EE_BATCH", batch.Json.GetProperty("requestType").GetString());
        Assert.Equal("01JFSYFDFW9JAAEKHX672JMPSB", batch.Json.GetProperty("properties").GetProperty("batchId").GetString());
        Assert.Equal(400, batchOnly.Code);
        Assert.Equal("datasetId is required together with batchId.", batchOnly.Json.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"datasetId\":")]
    [InlineData("[1]")]
    [InlineData("{\"datasetId\":5}")]
    [InlineData("{\"datasetId\":\"\"}")]
    [InlineData("{\"dataSetId\":\"a\",\"datasetId\":\"b\"}")]
    [InlineData("{\"other\":\"x\"}")]
    public async Task Bad_payloads_get_the_invented_400(string body)
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(EmulatorMode.Unified);
        Answer answer = await emu.PostAsync(Jobs, body);

        Assert.Equal(400, answer.Code);
        Assert.EndsWith("EMU-0003-400", answer.Json.GetProperty("type").GetString());
        Assert.Equal(0, await emu.StoredJobCountAsync());
    }

    [Fact]
    public async Task A_record_dataset_batch_is_refused_with_400_errors_in_azure()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(EmulatorMode.Azure);
        var request = await emu.ApiRequestAsync(HttpMethod.Post, Jobs, $"{{\"datasetId\":\"{RecordDataset}\",\"batchId\":\"b1\"}}");
        request.Headers.TryAddWithoutValidation("x-request-id", "req-1");
        Answer answer = await emu.SendAsync(request);

        Assert.Equal(400, answer.Code);
        Assert.Equal("req-1", answer.Json.GetProperty("requestId").GetString());
        JsonElement error = answer.Json.GetProperty("errors").GetProperty("400")[0];
        Assert.Equal("500", error.GetProperty("code").GetString());
        Assert.Equal($"Batch can only be specified for EE type '{RecordDataset}'", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task An_azure_batch_only_request_is_checked_against_a_registered_batch()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(EmulatorMode.Azure);
        await emu.ControlAsync(HttpMethod.Post, "datasets", "{\"id\":\"rec-ds\",\"behavior\":\"record\",\"batches\":[\"b-rec\"]}");
        Answer answer = await emu.PostAsync(Jobs, "{\"batchId\":\"b-rec\"}");

        Assert.Equal(400, answer.Code);
        Assert.Contains("'rec-ds'", answer.Json.GetProperty("errors").GetProperty("400")[0].GetProperty("message").GetString());
    }

    [Theory]
    [InlineData(EmulatorMode.Aws)]
    [InlineData(EmulatorMode.Unified)]
    public async Task A_record_dataset_batch_is_refused_with_422_in_aws_and_unified(EmulatorMode mode)
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o =>
        {
            o.Mode = mode;
            o.RecordDatasets.Add("my-record-ds");
        });
        Answer builtIn = await emu.PostAsync(Jobs, $"{{\"datasetId\":\"{RecordDataset}\",\"batchId\":\"b1\"}}");
        Answer option = await emu.PostAsync(Jobs, "{\"datasetId\":\"my-record-ds\",\"batchId\":\"b1\"}");
        Answer wholeDataset = await emu.PostAsync(Jobs, $"{{\"datasetId\":\"{RecordDataset}\"}}");

        foreach (Answer a in new[] { builtIn, option })
        {
            Assert.Equal(422, a.Code);
            Assert.Equal("https://ns.adobe.com/aep/errors/UPAPI-036002-422", a.Json.GetProperty("type").GetString());
            Assert.Equal("Invalid system job payload.", a.Json.GetProperty("title").GetString());
            Assert.Equal(a.Header("x-request-id"), a.Json.GetProperty("requestId").GetString());
        }

        Assert.Equal(200, wholeDataset.Code);
    }

    [Theory]
    [InlineData(EmulatorMode.Azure)]
    [InlineData(EmulatorMode.Unified)]
    public async Task A_duplicate_of_an_unfinished_request_is_422_and_a_finished_one_does_not_block(EmulatorMode mode)
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(mode, jobStepMs: 1000);
        await emu.CreateJobAsync(Dataset);
        Answer duplicate = await emu.PostAsync(Jobs, $"{{\"datasetId\":\"{Dataset}\"}}");
        Answer otherTarget = await emu.PostAsync(Jobs, $"{{\"datasetId\":\"{Dataset}\",\"batchId\":\"b1\"}}");

        Assert.Equal(422, duplicate.Code);
        Assert.EndsWith("EMU-0007-422", duplicate.Json.GetProperty("type").GetString());
        Assert.Contains($"dataset '{Dataset}'", duplicate.Json.GetProperty("detail").GetString());
        Assert.Equal(200, otherTarget.Code);

        emu.Clock.AdvanceMs(2000);
        Assert.Equal(200, (await emu.PostAsync(Jobs, $"{{\"datasetId\":\"{Dataset}\"}}")).Code);
    }

    [Theory]
    [InlineData(EmulatorMode.Azure, "NEW", "PROCESSING", "COMPLETED", "ERROR")]
    [InlineData(EmulatorMode.Aws, "NEW", "IN-PROGRESS", "SUCCESS", "FAILED")]
    [InlineData(EmulatorMode.Unified, "NEW", "IN-PROGRESS", "SUCCESS", "FAILED")]
    public async Task Status_moves_with_the_clock_and_a_fail_dataset_ends_failed(EmulatorMode mode, string fresh, string running, string done, string failed)
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o =>
        {
            o.Mode = mode;
            o.JobStepMs = 1000;
            o.FailDatasets.Add("bad-ds");
        });
        string idField = mode == EmulatorMode.Azure ? "id" : "requestId";
        string ok = (await emu.CreateJobAsync(Dataset)).GetProperty(idField).GetString()!;
        string bad = (await emu.CreateJobAsync("bad-ds")).GetProperty(idField).GetString()!;

        async Task<JsonElement> Get(string id) => (await emu.GetAsync($"{Jobs}/{id}")).Json;

        Assert.Equal(fresh, (await Get(ok)).GetProperty("status").GetString());
        emu.Clock.AdvanceMs(1500);
        JsonElement inProgress = await Get(ok);
        Assert.Equal(running, inProgress.GetProperty("status").GetString());
        Assert.Equal(mode == EmulatorMode.Azure, inProgress.TryGetProperty("metrics", out JsonElement runningMetrics));
        if (mode == EmulatorMode.Azure)
        {
            Assert.Equal(JsonValueKind.String, runningMetrics.ValueKind);
        }

        emu.Clock.AdvanceMs(1000);
        JsonElement final = await Get(ok);
        Assert.Equal(done, final.GetProperty("status").GetString());
        Assert.Equal(failed, (await Get(bad)).GetProperty("status").GetString());
        JsonElement metrics = final.GetProperty("metrics");
        if (mode == EmulatorMode.Azure)
        {
            JsonElement parsed = JsonDocument.Parse(metrics.GetString()!).RootElement;
            Assert.True(parsed.GetProperty("recordsProcessed").GetInt64() > 0);
            Assert.Equal(final.GetProperty("createEpoch").GetInt64() + 2, final.GetProperty("updateEpoch").GetInt64());
        }
        else
        {
            Assert.True(metrics.GetProperty("recordsProcessed").GetInt64() > 0);
            Assert.Equal(DateTime.Parse(final.GetProperty("createdAt").GetString()!).AddSeconds(2), DateTime.Parse(final.GetProperty("updatedAt").GetString()!));
        }
    }

    [Fact]
    public async Task A_zero_step_makes_jobs_final_at_once()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(EmulatorMode.Unified, jobStepMs: 0);
        Assert.Equal("SUCCESS", (await emu.CreateJobAsync(Dataset)).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(EmulatorMode.Azure)]
    [InlineData(EmulatorMode.Aws)]
    [InlineData(EmulatorMode.Unified)]
    public async Task An_unknown_id_is_404(EmulatorMode mode)
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(mode);
        Answer answer = await emu.GetAsync($"{Jobs}/no-such-job");

        Assert.Equal(404, answer.Code);
        Assert.EndsWith("EMU-0005-404", answer.Json.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Azure_delete_answers_200_empty_and_the_job_is_gone_but_kept_in_the_control_api()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(EmulatorMode.Azure, seedJobs: 2);
        string id = (await emu.CreateJobAsync(Dataset)).GetProperty("id").GetString()!;
        Answer deleted = await emu.ApiAsync(HttpMethod.Delete, $"{Jobs}/{id}");

        Assert.Equal(200, deleted.Code);
        Assert.Equal(string.Empty, deleted.Text);
        Assert.Equal("0", deleted.Header("Content-Length"));
        Assert.Equal(404, (await emu.GetAsync($"{Jobs}/{id}")).Code);
        Assert.DoesNotContain(id, (await emu.GetAsync(Jobs)).Text);
        Assert.Equal(404, (await emu.ApiAsync(HttpMethod.Delete, $"{Jobs}/{id}")).Code);
        JsonElement stored = (await emu.ControlAsync(HttpMethod.Get, "jobs")).GetProperty("jobs").EnumerateArray().Single(j => j.GetProperty("id").GetString() == id);
        Assert.True(stored.GetProperty("deleted").GetBoolean());
        Assert.Equal(200, (await emu.PostAsync(Jobs, $"{{\"datasetId\":\"{Dataset}\"}}")).Code);
    }

    [Theory]
    [InlineData(EmulatorMode.Aws)]
    [InlineData(EmulatorMode.Unified)]
    public async Task Delete_is_405_outside_azure(EmulatorMode mode)
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(mode);
        string id = (await emu.CreateJobAsync(Dataset)).GetProperty("requestId").GetString()!;
        Answer answer = await emu.ApiAsync(HttpMethod.Delete, $"{Jobs}/{id}");

        Assert.Equal(405, answer.Code);
        Assert.Equal("GET", answer.Header("Allow"));
        Assert.EndsWith("EMU-0006-405", answer.Json.GetProperty("type").GetString());
        Assert.Equal(200, (await emu.GetAsync($"{Jobs}/{id}")).Code);
    }

    [Fact]
    public async Task Other_methods_get_405_with_allow()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(EmulatorMode.Azure);
        Answer onList = await emu.ApiAsync(HttpMethod.Put, Jobs, "{}");
        Answer onItem = await emu.ApiAsync(HttpMethod.Patch, $"{Jobs}/x", "{}");

        Assert.Equal(405, onList.Code);
        Assert.Equal("GET, POST", onList.Header("Allow"));
        Assert.Equal("GET, DELETE", onItem.Header("Allow"));
    }
}
