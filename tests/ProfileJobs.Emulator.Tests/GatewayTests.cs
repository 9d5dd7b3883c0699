using System;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using ProfileJobs.Emulator.Tests.Infrastructure;
using Xunit;

namespace ProfileJobs.Emulator.Tests;

/// <summary>The gateway checks of every /data route, in their documented order, and the sandbox headers.</summary>
public sealed class GatewayTests
{
    private const string Jobs = "data/core/ups/system/jobs";

    private static void Replace(HttpRequestMessage request, string header, string? value)
    {
        request.Headers.Remove(header);
        if (value != null)
        {
            request.Headers.TryAddWithoutValidation(header, value);
        }
    }

    [Theory]
    [InlineData(Jobs)]
    [InlineData("data/core/privacy/jobs?regulation=gdpr")]
    [InlineData("data/core/hygiene/workorder")]
    [InlineData("data/core/hygiene/quota")]
    public async Task Checks_run_in_order_token_then_api_key_then_org(string route)
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();

        // Everything wrong at once: the first check answers; fixing one at a time reveals the next.
        var request = await emu.ApiRequestAsync(HttpMethod.Get, route);
        Replace(request, "Authorization", null);
        Replace(request, "x-api-key", null);
        Replace(request, "x-gw-ims-org-id", null);
        await AssertGateway(emu, request, 403, "403010", "Oauth token is missing.");

        request = await emu.ApiRequestAsync(HttpMethod.Get, route);
        Replace(request, "Authorization", "Basic abc");
        Replace(request, "x-api-key", null);
        await AssertGateway(emu, request, 401, "401013", "Oauth token is not valid");

        request = await emu.ApiRequestAsync(HttpMethod.Get, route);
        Replace(request, "Authorization", "Bearer not-a-token");
        await AssertGateway(emu, request, 401, "401013", "Oauth token is not valid");

        request = await emu.ApiRequestAsync(HttpMethod.Get, route);
        Replace(request, "x-api-key", null);
        Replace(request, "x-gw-ims-org-id", null);
        await AssertGateway(emu, request, 403, "403000", "Api Key is required");

        request = await emu.ApiRequestAsync(HttpMethod.Get, route);
        Replace(request, "x-api-key", "other-client");
        Replace(request, "x-gw-ims-org-id", null);
        await AssertGateway(emu, request, 403, "403003", "Api Key is invalid");

        request = await emu.ApiRequestAsync(HttpMethod.Get, route);
        Replace(request, "x-gw-ims-org-id", null);
        await AssertGateway(emu, request, 400, "400003", "Missing header");

        request = await emu.ApiRequestAsync(HttpMethod.Get, route);
        Replace(request, "x-gw-ims-org-id", "OTHER@AdobeOrg");
        await AssertGateway(emu, request, 403, "403025", "Profile is not valid");
    }

    [Fact]
    public async Task A_write_with_a_body_that_is_not_json_is_refused_after_the_header_checks()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        var request = await emu.ApiRequestAsync(HttpMethod.Post, Jobs);
        request.Content = new StringContent("{\"datasetId\":\"x\"}", Encoding.UTF8, "text/plain");
        Answer answer = await emu.SendAsync(request);

        Assert.Equal(400, answer.Code);
        Assert.Equal("BadRequestError", answer.Json.GetProperty("title").GetString());
        Assert.Equal("A valid content-type must be specified", answer.Json.GetProperty("detail").GetString());
        Assert.Equal(0, await emu.StoredJobCountAsync());

        var charset = await emu.ApiRequestAsync(HttpMethod.Post, Jobs);
        charset.Content = new StringContent("{\"datasetId\":\"66a92c5910df2d1767de13f3\"}", Encoding.UTF8);
        charset.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("application/json; charset=utf-8");
        Assert.Equal(200, (await emu.SendAsync(charset)).Code);
    }

    [Fact]
    public async Task Every_answer_echoes_the_request_id_or_makes_one()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        var request = await emu.ApiRequestAsync(HttpMethod.Get, Jobs);
        request.Headers.TryAddWithoutValidation("x-request-id", "trace-42");
        Answer echoed = await emu.SendAsync(request);
        Answer made = await emu.GetAsync(Jobs);

        Assert.Equal("trace-42", echoed.Header("x-request-id"));
        Assert.True(Guid.TryParse(made.Header("x-request-id"), out _));
    }

    [Theory]
    [InlineData(EmulatorMode.Unified, Jobs)]
    [InlineData(EmulatorMode.Azure, Jobs)]
    [InlineData(EmulatorMode.Aws, "data/core/hygiene/workorder")]
    public async Task A_missing_sandbox_name_gets_the_invented_400(EmulatorMode mode, string route)
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(mode);
        Answer answer = await emu.ApiAsync(HttpMethod.Get, route, sandboxName: null);

        Assert.Equal(400, answer.Code);
        Assert.EndsWith("EMU-0001-400", answer.Json.GetProperty("type").GetString());
        Assert.Equal("x-sandbox-name is required", answer.Json.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Aws_system_jobs_need_a_uuid_sandbox_id()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(EmulatorMode.Aws);
        var missing = await emu.ApiRequestAsync(HttpMethod.Get, Jobs);
        Replace(missing, "x-sandbox-id", null);
        Answer noId = await emu.SendAsync(missing);
        Answer badId = await emu.ApiAsync(HttpMethod.Get, Jobs, sandboxId: "abc");

        Assert.EndsWith("EMU-0001-400", noId.Json.GetProperty("type").GetString());
        Assert.Equal("x-sandbox-id is required", noId.Json.GetProperty("detail").GetString());
        Assert.EndsWith("EMU-0002-400", badId.Json.GetProperty("type").GetString());
        Assert.Equal("x-sandbox-id must be a UUID, got 'abc'", badId.Json.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Privacy_and_quota_routes_need_no_sandbox()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();

        Assert.Equal(200, (await emu.ApiAsync(HttpMethod.Get, "data/core/privacy/jobs?regulation=gdpr", sandboxName: null)).Code);
        Assert.Equal(200, (await emu.ApiAsync(HttpMethod.Get, "data/core/hygiene/quota", sandboxName: null)).Code);
    }

    [Fact]
    public async Task Jobs_are_partitioned_by_sandbox()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(EmulatorMode.Unified, seedJobs: 3);
        string id = (await emu.CreateJobAsync("66a92c5910df2d1767de13f3")).GetProperty("requestId").GetString()!;

        Answer other = await emu.ApiAsync(HttpMethod.Get, $"{Jobs}/{id}", sandboxName: "dev");
        Answer otherList = await emu.ApiAsync(HttpMethod.Get, Jobs, sandboxName: "dev");
        Answer own = await emu.GetAsync($"{Jobs}/{id}");

        Assert.Equal(404, other.Code);
        Assert.Equal(0, otherList.Json.GetProperty("_page").GetProperty("totalCount").GetInt32());
        Assert.Equal(200, own.Code);
        Assert.Equal("prod", own.Json.GetProperty("sandbox").GetProperty("sandboxName").GetString());
    }

    [Fact]
    public async Task An_unknown_route_gets_the_invented_404()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        Answer answer = await emu.GetAsync("data/core/nothing/here");

        Assert.Equal(404, answer.Code);
        Assert.EndsWith("EMU-0000-404", answer.Json.GetProperty("type").GetString());
    }

    private static async Task AssertGateway(TestEmulator emu, HttpRequestMessage request, int status, string code, string message)
    {
        Answer answer = await emu.SendAsync(request);
        Assert.Equal(status, answer.Code);
        Assert.Equal(code, answer.Json.GetProperty("error_code").GetString());
        Assert.Equal(message, answer.Json.GetProperty("message").GetString());
    }
}
