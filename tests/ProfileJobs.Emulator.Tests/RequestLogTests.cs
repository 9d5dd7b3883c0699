using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using ProfileJobs.Emulator.Tests.Infrastructure;
using Xunit;

namespace ProfileJobs.Emulator.Tests;

/// <summary>What /__emulator/requests records: enough to prove a credential did or did not reach this host.</summary>
public sealed class RequestLogTests
{
    private const string Jobs = "data/core/ups/system/jobs";

    private static string? Header(JsonElement entry, string name) =>
        entry.GetProperty("headers").TryGetProperty(name, out JsonElement v) ? v.GetString() : null;

    [Fact]
    public async Task Platform_requests_are_logged_with_their_headers_as_sent_including_rejected_ones()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        string token = await emu.TokenAsync();
        long since = await emu.LogPositionAsync();
        await emu.GetAsync($"{Jobs}?limit=5");
        var noKey = await emu.ApiRequestAsync(HttpMethod.Get, Jobs);
        noKey.Headers.Remove("x-api-key");
        await emu.SendAsync(noKey);
        await emu.ControlAsync(HttpMethod.Get, "health");

        JsonElement[] log = await emu.RequestsAsync(since);
        Assert.Equal(2, log.Length);
        Assert.Equal(log[0].GetProperty("seq").GetInt64() + 1, log[1].GetProperty("seq").GetInt64());
        Assert.Equal("GET", log[0].GetProperty("method").GetString());
        Assert.Equal("/data/core/ups/system/jobs", log[0].GetProperty("path").GetString());
        Assert.Equal("limit=5", log[0].GetProperty("query").GetString());
        Assert.Equal("Bearer " + token, Header(log[0], "authorization"));
        Assert.Equal(TestEmulator.ClientId, Header(log[0], "x-api-key"));
        Assert.Equal(TestEmulator.OrgId, Header(log[0], "x-gw-ims-org-id"));
        Assert.Equal(JsonValueKind.Null, log[0].GetProperty("body").ValueKind);
        Assert.Equal(JsonValueKind.Null, log[0].GetProperty("clientSecretSha256").ValueKind);
        Assert.Equal(200, log[0].GetProperty("status").GetInt32());
        Assert.Null(Header(log[1], "x-api-key"));
        Assert.Equal(403, log[1].GetProperty("status").GetInt32());

        JsonElement page = await emu.ControlAsync(HttpMethod.Get, $"requests?since={log[1].GetProperty("seq").GetInt64() + 1}");
        Assert.Equal(0, page.GetProperty("requests").GetArrayLength());
        Assert.Equal(log[1].GetProperty("seq").GetInt64() + 1, page.GetProperty("next").GetInt64());
    }

    [Fact]
    public async Task A_token_request_is_logged_with_the_secret_masked_and_its_sha256()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        await emu.NewTokenAsync();
        await emu.SendAsync(new HttpRequestMessage(HttpMethod.Post, "ims/token/v3?client_secret=in%20query") { Content = TestEmulator.TokenForm(("client_secret", "wrong secret")) });

        JsonElement[] log = await emu.RequestsAsync();
        string body = log[0].GetProperty("body").GetString()!;
        Assert.Contains("client_secret=***", body);
        Assert.DoesNotContain(TestEmulator.ClientSecret, body);
        Assert.Contains("client_id=emulator-client", body);
        Assert.Equal(TestEmulator.Sha256Hex(TestEmulator.ClientSecret), log[0].GetProperty("clientSecretSha256").GetString());

        Assert.Equal("client_secret=***", log[1].GetProperty("query").GetString());
        Assert.DoesNotContain("wrong", log[1].GetProperty("body").GetString());
        Assert.Equal(TestEmulator.Sha256Hex("in query"), log[1].GetProperty("clientSecretSha256").GetString());
    }

    [Fact]
    public async Task A_secret_sent_as_a_form_or_query_to_any_other_route_is_masked_and_hashed_too()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        await emu.SendAsync(new HttpRequestMessage(HttpMethod.Post, "stolen/token") { Content = TestEmulator.TokenForm() });
        await emu.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"{Jobs}?a=1&client_secret={TestEmulator.ClientSecret}"));
        await emu.SendAsync(new HttpRequestMessage(HttpMethod.Post, Jobs) { Content = new StringContent("{\"client_secret\":\"json\"}", Encoding.UTF8, "application/json") });

        JsonElement[] log = await emu.RequestsAsync();
        string hash = TestEmulator.Sha256Hex(TestEmulator.ClientSecret);
        Assert.Equal("/stolen/token", log[0].GetProperty("path").GetString());
        Assert.Equal(404, log[0].GetProperty("status").GetInt32());
        Assert.Contains("client_secret=***", log[0].GetProperty("body").GetString());
        Assert.Equal(hash, log[0].GetProperty("clientSecretSha256").GetString());
        Assert.Equal("a=1&client_secret=***", log[1].GetProperty("query").GetString());
        Assert.Equal(hash, log[1].GetProperty("clientSecretSha256").GetString());
        Assert.Equal("{\"client_secret\":\"json\"}", log[2].GetProperty("body").GetString());
        Assert.Equal(JsonValueKind.Null, log[2].GetProperty("clientSecretSha256").ValueKind);
    }

    [Fact]
    public async Task Bodies_are_capped_at_64_KB_with_the_full_size_kept()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        string big = "{\"datasetId\":\"" + new string('a', 70_000) + "\"}";
        await emu.PostAsync(Jobs, big);

        JsonElement entry = (await emu.RequestsAsync()).Last();
        Assert.True(entry.GetProperty("bodyTruncated").GetBoolean());
        Assert.Equal(big.Length, entry.GetProperty("bodyBytes").GetInt64());
        Assert.Equal(64 * 1024, entry.GetProperty("body").GetString()!.Length);
    }

    [Fact]
    public async Task The_log_keeps_at_most_the_limit_and_a_reset_clears_it_without_reusing_numbers()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o => o.RequestLogLimit = 3);
        for (int i = 0; i < 30; i++)
        {
            await emu.GetAsync($"{Jobs}?n={i}");
        }

        JsonElement[] kept = await emu.RequestsAsync();
        Assert.InRange(kept.Length, 3, 3 + 16);
        Assert.Equal("n=29", kept[^1].GetProperty("query").GetString());
        long last = kept[^1].GetProperty("seq").GetInt64();

        await emu.ControlAsync(HttpMethod.Post, "reset", "{}");
        Assert.Empty(await emu.RequestsAsync());
        await emu.SendAsync(new HttpRequestMessage(HttpMethod.Get, Jobs));
        Assert.Equal(last + 1, (await emu.RequestsAsync()).Single().GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task A_limit_of_zero_records_nothing()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o => o.RequestLogLimit = 0);
        await emu.GetAsync(Jobs);

        Assert.Empty(await emu.RequestsAsync());
    }
}
