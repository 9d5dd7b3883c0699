using System;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using ProfileJobs.Emulator.Faults;
using ProfileJobs.Emulator.Tests.Infrastructure;
using Xunit;

namespace ProfileJobs.Emulator.Tests;

/// <summary>Fault rules: their JSON, matching (method, path, count, skip, probability) and the original kinds.</summary>
public sealed class FaultTests
{
    private const string Jobs = "data/core/ups/system/jobs";
    private const string Dataset = "66a92c5910df2d1767de13f3";

    [Fact]
    public async Task A_status_fault_answers_at_once_with_a_problem_body_and_processes_nothing()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(EmulatorMode.Unified);
        await emu.TokenAsync();
        await emu.SetFaultsAsync("[{\"method\":\"POST\",\"path\":\"/data/core/ups/system/jobs\",\"fault\":\"status\",\"status\":503,\"count\":1}]");
        long since = await emu.LogPositionAsync();
        Answer faulted = await emu.PostAsync(Jobs, $"{{\"datasetId\":\"{Dataset}\"}}");
        Answer next = await emu.PostAsync(Jobs, $"{{\"datasetId\":\"{Dataset}\"}}");

        Assert.Equal(503, faulted.Code);
        Assert.Equal("https://ns.adobe.com/aep/errors/EMU-0100-503", faulted.Json.GetProperty("type").GetString());
        Assert.Equal("Service Unavailable", faulted.Json.GetProperty("title").GetString());
        Assert.Equal("Injected fault (rule 0) on POST /data/core/ups/system/jobs.", faulted.Json.GetProperty("detail").GetString());
        Assert.Equal(faulted.Header("x-request-id"), faulted.Json.GetProperty("requestId").GetString());
        Assert.Equal(200, next.Code);
        Assert.Equal(1, await emu.StoredJobCountAsync());
        JsonElement[] log = await emu.RequestsAsync(since);
        Assert.Equal(new[] { "status:503", "-:200" }, log.Select(e => (e.GetProperty("fault").GetString() ?? "-") + ":" + e.GetProperty("status").GetInt32()));
        JsonElement rule = (await emu.ControlAsync(HttpMethod.Get, "faults")).GetProperty("faults")[0];
        Assert.Equal(2, rule.GetProperty("matched").GetInt32());
        Assert.Equal(1, rule.GetProperty("fired").GetInt32());
    }

    [Fact]
    public async Task A_429_can_carry_retry_after_and_the_profile_throttling_body()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        await emu.SetFaultsAsync("[{\"path\":\"/data\",\"fault\":\"status\",\"status\":429,\"retryAfter\":\"2\",\"retryAfterMs\":500}]");
        Answer answer = await emu.GetAsync(Jobs);

        Assert.Equal(429, answer.Code);
        Assert.Equal("2", answer.Header("Retry-After"));
        JsonElement body = answer.Json;
        Assert.Equal("Too many requests", body.GetProperty("message").GetString());
        Assert.Equal("500", body.GetProperty("retryAfterMs").GetString());
        Assert.Equal("429", body.GetProperty("statusCode").GetString());
        Assert.StartsWith("Injected fault (rule 0) on GET", body.GetProperty("cause").GetString());
    }

    [Fact]
    public async Task A_400_on_privacy_is_the_privacy_rate_limit_and_ims_routes_can_fault_too()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        await emu.SetFaultsAsync("[{\"path\":\"/data/core/privacy\",\"fault\":\"status\",\"status\":400},{\"path\":\"/ims/token\",\"fault\":\"status\",\"status\":500,\"skip\":1}]");
        Answer privacy = await emu.GetAsync("data/core/privacy/jobs?regulation=gdpr");
        Answer secondToken = await emu.SendAsync(new HttpRequestMessage(HttpMethod.Post, "ims/token/v3") { Content = TestEmulator.TokenForm() });

        Assert.Equal(400, privacy.Code);
        Assert.Equal("1030-400", privacy.Json.GetProperty("errors")[0].GetProperty("code").GetString());
        Assert.StartsWith("Document rate limit exceeded.", privacy.Json.GetProperty("message").GetString());
        Assert.Equal(500, secondToken.Code);
    }

    [Fact]
    public async Task Method_and_case_insensitive_path_prefix_select_the_requests_and_control_routes_are_never_faulted()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(EmulatorMode.Unified);
        await emu.SetFaultsAsync("[{\"method\":\"post\",\"path\":\"/DATA/core/UPS\",\"fault\":\"status\",\"status\":500}]");

        Assert.Equal(200, (await emu.GetAsync(Jobs)).Code);
        Assert.Equal(500, (await emu.PostAsync(Jobs, $"{{\"datasetId\":\"{Dataset}\"}}")).Code);
        Assert.Equal(200, (await emu.GetAsync("data/core/hygiene/quota")).Code);
        await emu.ControlAsync(HttpMethod.Get, "health");
    }

    [Fact]
    public async Task Skip_lets_requests_pass_first_and_count_limits_the_firings()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        await emu.SetFaultsAsync("[{\"path\":\"/data\",\"fault\":\"status\",\"status\":502,\"skip\":2,\"count\":2}]");
        int[] codes = new int[6];
        for (int i = 0; i < codes.Length; i++)
        {
            codes[i] = (await emu.GetAsync(Jobs)).Code;
        }

        Assert.Equal(new[] { 200, 200, 502, 502, 200, 200 }, codes);
    }

    [Fact]
    public async Task Probability_draws_repeat_after_the_rules_are_replaced_and_zero_never_fires()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        const string rule = "[{\"path\":\"/data\",\"fault\":\"status\",\"status\":503,\"probability\":0.5}]";

        async Task<string> Run()
        {
            await emu.SetFaultsAsync(rule);
            var codes = new char[40];
            for (int i = 0; i < codes.Length; i++)
            {
                codes[i] = (await emu.GetAsync(Jobs)).Code == 503 ? 'x' : '.';
            }

            return new string(codes);
        }

        string first = await Run();
        string second = await Run();
        Assert.Equal(first, second);
        Assert.Contains('x', first);
        Assert.Contains('.', first);

        await emu.SetFaultsAsync("[{\"path\":\"/data\",\"fault\":\"status\",\"status\":503,\"probability\":0}]");
        Assert.Equal(200, (await emu.GetAsync(Jobs)).Code);
    }

    [Fact]
    public async Task The_first_rule_that_fires_wins()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        await emu.SetFaultsAsync("[{\"path\":\"/data\",\"fault\":\"status\",\"status\":500,\"count\":1},{\"path\":\"/data\",\"fault\":\"status\",\"status\":503}]");

        Assert.Equal(500, (await emu.GetAsync(Jobs)).Code);
        Assert.Equal(503, (await emu.GetAsync(Jobs)).Code);
    }

    [Fact]
    public async Task Slow_waits_then_processes()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(EmulatorMode.Unified);
        await emu.TokenAsync();
        await emu.SetFaultsAsync("[{\"method\":\"POST\",\"path\":\"/data\",\"fault\":\"slow\",\"delayMs\":300}]");
        var watch = Stopwatch.StartNew();
        Answer answer = await emu.PostAsync(Jobs, $"{{\"datasetId\":\"{Dataset}\"}}");

        Assert.Equal(200, answer.Code);
        Assert.True(watch.ElapsedMilliseconds >= 290, watch.ElapsedMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1, await emu.StoredJobCountAsync());
    }

    [Fact]
    public async Task A_client_that_gives_up_during_a_slow_fault_leaves_nothing_processed_and_a_499_in_the_log()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(EmulatorMode.Unified);
        await emu.TokenAsync();
        await emu.SetFaultsAsync("[{\"method\":\"POST\",\"path\":\"/data\",\"fault\":\"slow\",\"delayMs\":5000}]");
        long since = await emu.LogPositionAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        HttpRequestMessage request = await emu.ApiRequestAsync(HttpMethod.Post, Jobs, $"{{\"datasetId\":\"{Dataset}\"}}");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => emu.Http.SendAsync(request, cts.Token));

        JsonElement entry = await emu.LastLoggedAsync(since);
        Assert.Equal(499, entry.GetProperty("status").GetInt32());
        Assert.Equal("slow", entry.GetProperty("fault").GetString());
        Assert.True(entry.GetProperty("aborted").GetBoolean());
        Assert.Equal(0, await emu.StoredJobCountAsync());
    }

    [Theory]
    [InlineData("drop-after", 1)]
    [InlineData("drop-before", 0)]
    public async Task Drops_reset_the_connection_after_or_without_processing(string kind, int jobsCreated)
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(EmulatorMode.Unified);
        await emu.TokenAsync();
        await emu.SetFaultsAsync($"[{{\"method\":\"POST\",\"path\":\"/data\",\"fault\":\"{kind}\",\"count\":1}}]");
        long since = await emu.LogPositionAsync();
        HttpRequestMessage request = await emu.ApiRequestAsync(HttpMethod.Post, Jobs, $"{{\"datasetId\":\"{Dataset}\"}}");
        await Assert.ThrowsAsync<HttpRequestException>(() => emu.Http.SendAsync(request));

        JsonElement entry = await emu.LastLoggedAsync(since);
        Assert.Equal(0, entry.GetProperty("status").GetInt32());
        Assert.Equal(kind, entry.GetProperty("fault").GetString());
        Assert.True(entry.GetProperty("aborted").GetBoolean());
        Assert.Equal(jobsCreated, await emu.StoredJobCountAsync());
    }

    [Fact]
    public async Task Malformed_processes_and_answers_200_with_half_the_body()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(EmulatorMode.Unified);
        await emu.TokenAsync();
        await emu.SetFaultsAsync("[{\"method\":\"POST\",\"path\":\"/data\",\"fault\":\"malformed\"}]");
        Answer answer = await emu.PostAsync(Jobs, $"{{\"datasetId\":\"{Dataset}\"}}");

        Assert.Equal(200, answer.Code);
        Assert.StartsWith("{\"requestId\":", answer.Text);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(answer.Text));
        Assert.Equal(1, await emu.StoredJobCountAsync());
    }

    [Theory]
    [InlineData("{\"fault\":\"status\",\"status\":503,\"colour\":1}", "rule [0]: unknown field 'colour'")]
    [InlineData("[{\"fault\":\"slow\",\"delayMs\":1},{\"fault\":\"explode\"}]", "rule [1]: fault 'explode' is not one of")]
    [InlineData("{\"path\":\"/data\"}", "rule [0]: fault is required")]
    [InlineData("{\"fault\":\"status\"}", "rule [0]: a status fault needs \"status\" between 400 and 599")]
    [InlineData("{\"fault\":\"status\",\"status\":302}", "rule [0]: a status fault needs \"status\" between 400 and 599")]
    [InlineData("{\"fault\":\"slow\"}", "rule [0]: a slow fault needs \"delayMs\" between 0 and 600000")]
    [InlineData("{\"fault\":\"slow\",\"delayMs\":10,\"status\":500}", "rule [0]: status applies only to fault \"status\", \"redirect\", not to \"slow\"")]
    [InlineData("{\"fault\":\"drop-after\",\"delayMs\":10}", "rule [0]: delayMs applies only to fault \"slow\", \"drip\", not to \"drop-after\"")]
    [InlineData("{\"fault\":\"status\",\"status\":500,\"path\":\"/__emulator/reset\"}", "rule [0]: faults never apply to the /__emulator control API")]
    [InlineData("{\"fault\":\"status\",\"status\":500,\"path\":\"data\"}", "rule [0]: path must be a path prefix starting with '/'")]
    [InlineData("{\"fault\":\"status\",\"status\":500,\"method\":\"FETCH\"}", "rule [0]: method must be one of")]
    [InlineData("{\"fault\":\"status\",\"status\":500,\"probability\":2}", "rule [0]: probability must be a number between 0 and 1")]
    [InlineData("{\"fault\":\"status\",\"status\":500,\"count\":-1}", "rule [0]: count must be a non-negative integer")]
    [InlineData("{\"fault\":\"status\",\"status\":500,\"skip\":\"x\"}", "rule [0]: skip must be a non-negative integer")]
    [InlineData("42", "the body must be a JSON array of fault rules")]
    public async Task Invalid_rules_are_refused_and_the_old_set_stays(string rules, string message)
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        await emu.SetFaultsAsync("[{\"path\":\"/data\",\"fault\":\"status\",\"status\":418}]");
        JsonElement error = await emu.ControlAsync(HttpMethod.Post, "faults", rules, System.Net.HttpStatusCode.BadRequest);

        Assert.EndsWith("EMU-0003-400", error.GetProperty("type").GetString());
        Assert.StartsWith(message, error.GetProperty("detail").GetString());
        Assert.Equal(418, (await emu.GetAsync(Jobs)).Code);
    }

    [Fact]
    public async Task Rules_are_accepted_as_an_array_one_object_or_a_faults_wrapper_and_null_fields_count_as_absent()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        JsonElement wrapped = await emu.SetFaultsAsync("{\"faults\":[{\"fault\":\"slow\",\"delayMs\":1,\"status\":null}]}");
        JsonElement single = await emu.SetFaultsAsync("{\"fault\":\"status\",\"status\":\"503\"}");

        Assert.Equal("slow", wrapped.GetProperty("faults")[0].GetProperty("fault").GetString());
        JsonElement rule = single.GetProperty("faults")[0];
        Assert.Equal(503, rule.GetProperty("status").GetInt32());
        Assert.Equal("*", rule.GetProperty("method").GetString());
        Assert.Equal("/", rule.GetProperty("path").GetString());
        Assert.Equal(JsonValueKind.Null, rule.GetProperty("count").ValueKind);
        Assert.Equal(1, (await emu.ControlAsync(HttpMethod.Delete, "faults")).GetProperty("cleared").GetInt32());
        Assert.Equal(0, (await emu.ControlAsync(HttpMethod.Get, "faults")).GetProperty("faults").GetArrayLength());
    }

    [Fact]
    public async Task Start_up_rules_come_back_with_zeroed_counters_after_a_reset()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o => o.Faults.Add(new FaultRule { Path = "/data", Kind = FaultKind.Status, Status = 500, Count = 1 }));
        Assert.Equal(500, (await emu.GetAsync(Jobs)).Code);
        Assert.Equal(200, (await emu.GetAsync(Jobs)).Code);

        await emu.ControlAsync(HttpMethod.Delete, "faults");
        JsonElement reset = await emu.ControlAsync(HttpMethod.Post, "reset", "{}");
        Assert.True(reset.GetProperty("reset").GetBoolean());
        JsonElement rule = (await emu.ControlAsync(HttpMethod.Get, "faults")).GetProperty("faults")[0];
        Assert.Equal(0, rule.GetProperty("fired").GetInt32());
        Assert.Equal(500, (await emu.ApiAsync(HttpMethod.Get, Jobs)).Code);
    }

    [Fact]
    public void A_faults_file_takes_every_kind_and_a_bad_rule_in_it_is_a_command_line_error()
    {
        string good = System.IO.Path.GetTempFileName();
        string bad = System.IO.Path.GetTempFileName();
        try
        {
            System.IO.File.WriteAllText(good, "[{\"path\":\"/ims\",\"fault\":\"redirect\",\"location\":\"http://127.0.0.1:1\",\"appendPath\":true},{\"fault\":\"short-ack\",\"keep\":1}]");
            System.IO.File.WriteAllText(bad, "[{\"fault\":\"page-cap\"}]");
            ParseResult parsed = OptionsParser.Parse(new[] { "--faults", good });
            ParseResult refused = OptionsParser.Parse(new[] { "--faults", bad });

            Assert.Null(parsed.Error);
            Assert.Equal(new[] { FaultKind.Redirect, FaultKind.ShortAck }, parsed.Options!.Faults.Select(f => f.Kind));
            Assert.True(parsed.Options.Faults[0].AppendPath);
            Assert.Contains("a page-cap fault needs \"maxPageSize\"", refused.Error);
        }
        finally
        {
            System.IO.File.Delete(good);
            System.IO.File.Delete(bad);
        }
    }
}
