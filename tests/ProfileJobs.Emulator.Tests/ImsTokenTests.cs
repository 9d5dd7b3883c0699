using System;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using ProfileJobs.Emulator.Tests.Infrastructure;
using Xunit;

namespace ProfileJobs.Emulator.Tests;

/// <summary>The emulated IMS token endpoint (docs/emulator.md "Emulated IMS").</summary>
public sealed class ImsTokenTests
{
    private static HttpRequestMessage TokenRequest(string path, HttpContent content) => new(HttpMethod.Post, path) { Content = content };

    [Fact]
    public async Task A_valid_request_gets_a_bearer_token_with_the_lifetime_in_seconds_and_ms_claims()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o => o.TokenLifetimeSeconds = 3600);
        Answer answer = await emu.SendAsync(TokenRequest("ims/token/v3", TestEmulator.TokenForm()));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        JsonElement json = answer.Json;
        Assert.Equal("bearer", json.GetProperty("token_type").GetString());
        Assert.Equal(3600, json.GetProperty("expires_in").GetInt32());
        string token = json.GetProperty("access_token").GetString()!;
        string[] parts = token.Split('.');
        Assert.Equal(3, parts.Length);
        JsonElement payload = JsonDocument.Parse(Base64Url(parts[1])).RootElement;
        Assert.Equal("access_token", payload.GetProperty("type").GetString());
        Assert.Equal(TestEmulator.ClientId, payload.GetProperty("client_id").GetString());
        Assert.Equal(TestEmulator.OrgId, payload.GetProperty("org").GetString());
        Assert.Equal("3600000", payload.GetProperty("expires_in").GetString());
        long createdMs = long.Parse(payload.GetProperty("created_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(emu.Clock.GetUtcNow().ToUnixTimeMilliseconds(), createdMs);
    }

    [Fact]
    public async Task Every_token_is_new_and_the_legacy_v2_path_works_too()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        Answer first = await emu.SendAsync(TokenRequest("ims/token/v3", TestEmulator.TokenForm()));
        Answer second = await emu.SendAsync(TokenRequest("ims/token/v2", TestEmulator.TokenForm()));

        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.NotEqual(first.Json.GetProperty("access_token").GetString(), second.Json.GetProperty("access_token").GetString());
    }

    [Fact]
    public async Task Fields_may_come_as_query_parameters_and_the_body_wins()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        string query = "?grant_type=client_credentials&client_id=emulator-client&client_secret=wrong&scope=openid";
        Answer fromQuery = await emu.SendAsync(TokenRequest("ims/token/v3" + query.Replace("wrong", "emulator-secret"), new StringContent(string.Empty)));
        Answer bodyWins = await emu.SendAsync(TokenRequest("ims/token/v3" + query, TestEmulator.TokenForm()));

        Assert.Equal(HttpStatusCode.OK, fromQuery.Status);
        Assert.Equal(HttpStatusCode.OK, bodyWins.Status);
    }

    [Theory]
    [InlineData("grant_type", null, 400, "invalid_request")]
    [InlineData("grant_type", "password", 400, "unsupported_grant_type")]
    [InlineData("client_id", null, 400, "invalid_request")]
    [InlineData("client_secret", null, 400, "invalid_request")]
    [InlineData("client_id", "someone-else", 401, "invalid_client")]
    [InlineData("client_secret", "wrong", 401, "invalid_client")]
    [InlineData("scope", null, 400, "invalid_scope")]
    [InlineData("scope", " ", 400, "invalid_scope")]
    public async Task Each_bad_field_gets_its_documented_error(string field, string? value, int status, string error)
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        Answer answer = await emu.SendAsync(TokenRequest("ims/token/v3", TestEmulator.TokenForm((field, value))));

        Assert.Equal(status, answer.Code);
        Assert.Equal(error, answer.Json.GetProperty("error").GetString());
        Assert.False(string.IsNullOrEmpty(answer.Json.GetProperty("error_description").GetString()));
    }

    [Fact]
    public async Task The_checks_run_in_order_grant_type_before_client_before_scope()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        Answer badGrantAndClient = await emu.SendAsync(TokenRequest("ims/token/v3",
            TestEmulator.TokenForm(("grant_type", "password"), ("client_secret", "wrong"), ("scope", null))));
        Answer badClientAndScope = await emu.SendAsync(TokenRequest("ims/token/v3", TestEmulator.TokenForm(("client_secret", "wrong"), ("scope", null))));

        Assert.Equal("unsupported_grant_type", badGrantAndClient.Json.GetProperty("error").GetString());
        Assert.Equal("invalid_client", badClientAndScope.Json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_token_expires_with_the_clock_and_revoked_tokens_are_refused()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o => o.TokenLifetimeSeconds = 60);
        Assert.Equal(HttpStatusCode.OK, (await emu.GetAsync("data/core/ups/system/jobs")).Status);

        emu.Clock.Advance(TimeSpan.FromSeconds(61));
        Answer expired = await emu.GetAsync("data/core/ups/system/jobs");
        Assert.Equal(HttpStatusCode.Unauthorized, expired.Status);
        Assert.Equal("401013", expired.Json.GetProperty("error_code").GetString());

        string fresh = await emu.NewTokenAsync();
        JsonElement revoked = await emu.ControlAsync(HttpMethod.Post, "tokens/expire", "{}");
        Assert.True(revoked.GetProperty("expired").GetInt32() >= 1);
        var request = await emu.ApiRequestAsync(HttpMethod.Get, "data/core/ups/system/jobs");
        request.Headers.Remove("Authorization");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + fresh);
        Assert.Equal(HttpStatusCode.Unauthorized, (await emu.SendAsync(request)).Status);
    }

    [Fact]
    public async Task A_zero_lifetime_issues_tokens_that_are_already_expired()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o => o.TokenLifetimeSeconds = 0);
        Answer answer = await emu.GetAsync("data/core/ups/system/jobs");

        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
    }

    private static string Base64Url(string s)
    {
        string padded = s.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        return Encoding.UTF8.GetString(Convert.FromBase64String(padded));
    }
}
