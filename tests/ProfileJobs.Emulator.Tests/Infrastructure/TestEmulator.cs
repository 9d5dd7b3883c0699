using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Xunit;

namespace ProfileJobs.Emulator.Tests.Infrastructure;

/// <summary>An answer as a test sees it: status, headers and the body parsed as JSON (default when empty or not JSON).</summary>
public sealed record Answer(HttpStatusCode Status, HttpResponseMessage Response, string Text)
{
    public int Code => (int)Status;

    public JsonElement Json => JsonDocument.Parse(Text).RootElement.Clone();

    public string? Header(string name) =>
        Response.Headers.TryGetValues(name, out IEnumerable<string>? values) || Response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : null;
}

/// <summary>
/// One emulator hosted in-process on a free loopback port, with a manual clock, an HttpClient that follows no
/// redirects (and closes a connection whose answer it stops reading instead of draining it), and helpers for the
/// platform headers and the control API. Each test starts its own.
/// </summary>
public sealed class TestEmulator : IAsyncDisposable
{
    public const string OrgId = "EMULATOR00000000000000000@AdobeOrg";
    public const string ClientId = "emulator-client";
    public const string ClientSecret = "emulator-secret";

    private string? _token;

    private TestEmulator(WebApplication app, EmulatorOptions options, ManualClock clock)
    {
        App = app;
        Options = options;
        Clock = clock;
        BaseUrl = EmulatorHost.GetBaseUrl(app);
        State = EmulatorHost.GetState(app);
        Http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, MaxResponseDrainSize = 0 })
        {
            BaseAddress = new Uri(BaseUrl + "/"),
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public WebApplication App { get; }

    public EmulatorOptions Options { get; }

    public ManualClock Clock { get; }

    public string BaseUrl { get; }

    public EmulatorState State { get; }

    public HttpClient Http { get; }

    public static async Task<TestEmulator> StartAsync(Action<EmulatorOptions>? configure = null)
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var options = new EmulatorOptions { Clock = clock };
        configure?.Invoke(options);
        WebApplication app = await EmulatorHost.StartAsync(options);
        return new TestEmulator(app, options, clock);
    }

    public static Task<TestEmulator> StartAsync(EmulatorMode mode, int seedJobs = 0, int jobStepMs = 2000) =>
        StartAsync(o =>
        {
            o.Mode = mode;
            o.SeedJobs = seedJobs;
            o.JobStepMs = jobStepMs;
        });

    /// <summary>The form body of a valid token request, with fields replaced or removed (null) as given.</summary>
    public static FormUrlEncodedContent TokenForm(params (string Key, string? Value)[] overrides)
    {
        var fields = new Dictionary<string, string?>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = ClientId,
            ["client_secret"] = ClientSecret,
            ["scope"] = "openid,AdobeID,read_organizations",
        };
        foreach ((string key, string? value) in overrides)
        {
            fields[key] = value;
        }

        return new FormUrlEncodedContent(fields.Where(f => f.Value != null).Select(f => new KeyValuePair<string, string>(f.Key, f.Value!)));
    }

    /// <summary>A new access token from the emulated IMS.</summary>
    public async Task<string> NewTokenAsync()
    {
        Answer answer = await SendAsync(new HttpRequestMessage(HttpMethod.Post, "ims/token/v3") { Content = TokenForm() });
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        return answer.Json.GetProperty("access_token").GetString()!;
    }

    /// <summary>A token shared by the test's platform calls (issued on first use).</summary>
    public async Task<string> TokenAsync() => _token ??= await NewTokenAsync();

    /// <summary>
    /// A platform request with the gateway headers (bearer token, x-api-key, org) and the sandbox header the route
    /// needs by default: <c>x-sandbox-id</c> for system jobs in aws mode, else <c>x-sandbox-name: prod</c>.
    /// </summary>
    public async Task<HttpRequestMessage> ApiRequestAsync(HttpMethod method, string pathAndQuery, string? json = null, string? sandboxName = "prod", string? sandboxId = null)
    {
        var request = new HttpRequestMessage(method, pathAndQuery.TrimStart('/'));
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + await TokenAsync());
        request.Headers.TryAddWithoutValidation("x-api-key", ClientId);
        request.Headers.TryAddWithoutValidation("x-gw-ims-org-id", OrgId);
        bool awsJobs = Options.Mode == EmulatorMode.Aws && pathAndQuery.TrimStart('/').StartsWith("data/core/ups/system/jobs", StringComparison.Ordinal);
        if (awsJobs)
        {
            request.Headers.TryAddWithoutValidation("x-sandbox-id", sandboxId ?? EmulatorOptions.DefaultSandboxId);
        }
        else if (sandboxName != null)
        {
            request.Headers.TryAddWithoutValidation("x-sandbox-name", sandboxName);
        }

        if (json != null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return request;
    }

    public async Task<Answer> ApiAsync(HttpMethod method, string pathAndQuery, string? json = null, string? sandboxName = "prod", string? sandboxId = null) =>
        await SendAsync(await ApiRequestAsync(method, pathAndQuery, json, sandboxName, sandboxId));

    public Task<Answer> GetAsync(string pathAndQuery) => ApiAsync(HttpMethod.Get, pathAndQuery);

    public Task<Answer> PostAsync(string path, string json) => ApiAsync(HttpMethod.Post, path, json);

    public async Task<Answer> SendAsync(HttpRequestMessage request)
    {
        HttpResponseMessage response = await Http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        return new Answer(response.StatusCode, response, text);
    }

    /// <summary>A control API call (<c>/__emulator/...</c>); the answer must be 200 unless <paramref name="expect"/> says otherwise.</summary>
    public async Task<JsonElement> ControlAsync(HttpMethod method, string path, string? json = null, HttpStatusCode expect = HttpStatusCode.OK)
    {
        var request = new HttpRequestMessage(method, "__emulator/" + path.TrimStart('/'));
        if (json != null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        Answer answer = await SendAsync(request);
        Assert.True(answer.Status == expect, $"{method} {path}: {answer.Code} {answer.Text}");
        return answer.Json;
    }

    public Task<JsonElement> SetFaultsAsync(string rulesJson) => ControlAsync(HttpMethod.Post, "faults", rulesJson);

    public async Task<long> LogPositionAsync() => (await ControlAsync(HttpMethod.Get, "requests?since=0")).GetProperty("next").GetInt64();

    /// <summary>The request log's entries since a position (inclusive).</summary>
    public async Task<JsonElement[]> RequestsAsync(long since = 0) =>
        (await ControlAsync(HttpMethod.Get, $"requests?since={since}")).GetProperty("requests").EnumerateArray().ToArray();

    /// <summary>
    /// The newest request log entry since a position, waiting for it: an entry appears once its response is complete
    /// (a dropped or abandoned connection completes shortly after the client sees it end).
    /// </summary>
    public async Task<JsonElement> LastLoggedAsync(long since)
    {
        for (int i = 0; i < 500; i++)
        {
            JsonElement[] entries = await RequestsAsync(since);
            if (entries.Length > 0)
            {
                return entries[^1];
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"no request was logged since {since}");
    }

    /// <summary>System jobs the emulator holds, in every partition (control API).</summary>
    public async Task<int> StoredJobCountAsync() => (await ControlAsync(HttpMethod.Get, "jobs")).GetProperty("count").GetInt32();

    /// <summary>What the request log's <c>clientSecretSha256</c> holds for a request that carried <paramref name="secret"/>.</summary>
    public static string Sha256Hex(string secret) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Creates a system job and returns its answer (must be 200).</summary>
    public async Task<JsonElement> CreateJobAsync(string datasetId, string? batchId = null)
    {
        string body = batchId == null ? $"{{\"datasetId\":\"{datasetId}\"}}" : $"{{\"datasetId\":\"{datasetId}\",\"batchId\":\"{batchId}\"}}";
        Answer answer = await PostAsync("data/core/ups/system/jobs", body);
        Assert.True(answer.Status == HttpStatusCode.OK, answer.Text);
        return answer.Json;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
