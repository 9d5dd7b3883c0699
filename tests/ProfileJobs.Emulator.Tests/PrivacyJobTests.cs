using System;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using ProfileJobs.Emulator.Tests.Infrastructure;
using Xunit;

namespace ProfileJobs.Emulator.Tests;

/// <summary>/data/core/privacy/jobs: create (202), get and list, for Privacy jobs and hygiene-beta record deletes.</summary>
public sealed class PrivacyJobTests
{
    private const string Jobs = "data/core/privacy/jobs";

    /// <summary>Tests that move the clock by days keep one token valid throughout.</summary>
    private const int LongLivedToken = 100 * 86400;

    private static string User(string? key, string action, params (string Ns, string Value, string Type)[] ids) =>
        "{" + (key == null ? string.Empty : $"\"key\":\"{key}\",") + $"\"action\":[\"{action}\"],\"userIDs\":[" +
        string.Join(",", ids.Select(i => $"{{\"namespace\":\"{i.Ns}\",\"value\":\"{i.Value}\",\"type\":\"{i.Type}\"}}")) + "]}";

    private static string Body(string users, string? regulation = null, string? include = null) =>
        "{\"companyContexts\":[{\"namespace\":\"imsOrgID\",\"value\":\"" + TestEmulator.OrgId + "\"}],\"users\":[" + users + "]" +
        (include == null ? string.Empty : ",\"include\":[" + include + "]") +
        (regulation == null ? string.Empty : ",\"regulation\":\"" + regulation + "\"") + "}";

    private static string RecordDelete(params string[] emails) =>
        Body(string.Join(",", emails.Select((e, i) => User("c" + i, "delete", ("email", e, "standard")))));

    [Fact]
    public async Task A_record_delete_is_accepted_with_202_one_job_per_customer_in_order()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        string body = Body(User("John Doe", "delete", ("email", "johnd@example.com", "standard"), ("ECID", "9cbe", "standard")) + "," +
                           User(null, "delete", ("Loyalty ID", "305", "custom")));
        Answer answer = await emu.PostAsync(Jobs, body);

        Assert.Equal(202, answer.Code);
        JsonElement json = answer.Json;
        Assert.Matches(@"^\d{17}RX-\d{3}$", json.GetProperty("requestId").GetString());
        Assert.Equal(2, json.GetProperty("totalRecords").GetInt32());
        JsonElement[] jobs = json.GetProperty("jobs").EnumerateArray().ToArray();
        Assert.Equal(2, jobs.Length);
        JsonElement user0 = jobs[0].GetProperty("customer").GetProperty("user");
        Assert.Equal("John Doe", user0.GetProperty("key").GetString());
        Assert.Equal("delete", user0.GetProperty("action")[0].GetString());
        JsonElement[] ids = user0.GetProperty("userIDs").EnumerateArray().ToArray();
        Assert.Equal(6, ids[0].GetProperty("namespaceId").GetInt32());
        Assert.Equal(4, ids[1].GetProperty("namespaceId").GetInt32());
        Assert.False(ids[0].GetProperty("isDeletedClientSide").GetBoolean());
        JsonElement user1 = jobs[1].GetProperty("customer").GetProperty("user");
        Assert.False(user1.TryGetProperty("key", out _));
        Assert.False(user1.GetProperty("userIDs")[0].TryGetProperty("namespaceId", out _));

        JsonElement stored = await emu.ControlAsync(HttpMethod.Get, "privacy-jobs");
        Assert.Equal(2, stored.GetProperty("count").GetInt32());
        Assert.Equal("hygiene-beta", stored.GetProperty("jobs")[0].GetProperty("mode").GetString());
        Assert.Equal(JsonValueKind.Null, stored.GetProperty("jobs")[1].GetProperty("userKey").ValueKind);
    }

    [Fact]
    public async Task A_privacy_job_needs_include_and_regulation_together_and_makes_one_job_per_action()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        string both = "{\"key\":\"a\",\"action\":[\"access\",\"DELETE\"],\"userIDs\":[{\"namespace\":\"email\",\"value\":\"a@example.com\",\"type\":\"standard\"}]}";
        Answer ok = await emu.PostAsync(Jobs, Body(both, "GDPR", "\"profileService\""));
        Answer onlyRegulation = await emu.PostAsync(Jobs, Body(User("a", "delete", ("email", "a@example.com", "standard")), "gdpr"));
        Answer accessWithoutRegulation = await emu.PostAsync(Jobs, Body(User("acc", "access", ("email", "a@example.com", "standard"))));

        Assert.Equal(202, ok.Code);
        Assert.Equal(new[] { "access", "delete" }, ok.Json.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("customer").GetProperty("user").GetProperty("action")[0].GetString()));
        Assert.Equal(1, ok.Json.GetProperty("totalRecords").GetInt32());
        Assert.Equal(400, onlyRegulation.Code);
        Assert.StartsWith("regulation was given without include", onlyRegulation.Json.GetProperty("message").GetString());
        Assert.Equal(400, accessWithoutRegulation.Code);
        Assert.StartsWith("users[0] (key 'acc'): action 'access' needs include and regulation", accessWithoutRegulation.Json.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Validation_reports_every_problem_in_one_error_shape()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o => o.PrivacyMaxUsers = 2);
        string tenIds = "{\"key\":\"alice\",\"action\":[\"delete\"],\"userIDs\":[" + string.Join(",", Enumerable.Range(0, 10).Select(i => $"{{\"namespace\":\"email\",\"value\":\"v{i}\",\"type\":\"standard\"}}")) + "]}";
        Answer tooManyIds = await emu.PostAsync(Jobs, Body(tenIds));
        Answer badType = await emu.PostAsync(Jobs, Body(User(null, "delete", ("email", "x", "x")) + "," + User("b", "delete", ("email", "y", "standard"))));
        Answer tooManyUsers = await emu.PostAsync(Jobs, RecordDelete("a@x", "b@x", "c@x"));
        Answer otherOrg = await emu.PostAsync(Jobs, Body(User("a", "delete", ("email", "a", "standard"))).Replace(TestEmulator.OrgId, "X@AdobeOrg"));

        Assert.Equal(400, tooManyIds.Code);
        Assert.Equal("users[0] (key 'alice'): userIDs has 10 identities; at most 9 are allowed.", tooManyIds.Json.GetProperty("message").GetString());
        Assert.Equal("1000-400", tooManyIds.Json.GetProperty("errors")[0].GetProperty("code").GetString());
        Assert.Equal(tooManyIds.Header("x-request-id"), tooManyIds.Json.GetProperty("requestId").GetString());
        Assert.StartsWith("users[0]: userIDs[0].type 'x' is not one of", badType.Json.GetProperty("message").GetString());
        Assert.Equal("users has 3 entries; at most 2 are allowed per request.", tooManyUsers.Json.GetProperty("message").GetString());
        Assert.Equal($"companyContexts names org 'X@AdobeOrg', which is not the x-gw-ims-org-id org '{TestEmulator.OrgId}'.", otherOrg.Json.GetProperty("message").GetString());
        Assert.Equal(0, (await emu.ControlAsync(HttpMethod.Get, "privacy-jobs")).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task A_job_moves_from_submitted_to_complete_with_the_clock_and_a_fail_identity_ends_error()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o =>
        {
            o.JobStepMs = 1000;
            o.FailIdentities.Add("bad@example.com");
        });
        JsonElement created = (await emu.PostAsync(Jobs, RecordDelete("good@example.com", "bad@example.com"))).Json;
        string good = created.GetProperty("jobs")[0].GetProperty("jobId").GetString()!;
        string bad = created.GetProperty("jobs")[1].GetProperty("jobId").GetString()!;

        async Task<JsonElement> Get(string id) => (await emu.GetAsync($"{Jobs}/{id}")).Json;

        JsonElement submitted = await Get(good);
        Assert.Equal("submitted", submitted.GetProperty("status").GetString());
        Assert.Equal("c0", submitted.GetProperty("userKey").GetString());
        Assert.Equal("delete", submitted.GetProperty("action").GetString());
        Assert.Equal(JsonValueKind.Null, submitted.GetProperty("regulation").ValueKind);
        Assert.Equal(new[] { "profileService", "AdobeCloudPlatform", "Identity" },
            submitted.GetProperty("productResponses").EnumerateArray().Select(p => p.GetProperty("product").GetString()));
        Assert.Equal(JsonValueKind.Null, submitted.GetProperty("productResponses")[0].GetProperty("productStatusResponse").GetProperty("responseMsgCode").ValueKind);
        Assert.Matches(@"^\d\d/\d\d/\d{4} \d\d:\d\d (AM|PM) GMT$", submitted.GetProperty("createdDate").GetString());

        emu.Clock.AdvanceMs(1200);
        Assert.Equal("processing", (await Get(good)).GetProperty("status").GetString());
        emu.Clock.AdvanceMs(1000);
        JsonElement complete = await Get(good);
        Assert.Equal("complete", complete.GetProperty("status").GetString());
        Assert.Equal("PRVCY-6000-200", complete.GetProperty("productResponses")[0].GetProperty("productStatusResponse").GetProperty("responseMsgCode").GetString());
        Assert.Equal(JsonValueKind.Null, complete.GetProperty("downloadURL").ValueKind);
        JsonElement error = await Get(bad);
        Assert.Equal("error", error.GetProperty("status").GetString());
        Assert.Equal("PRVCY-1024-400", error.GetProperty("productResponses")[0].GetProperty("productStatusResponse").GetProperty("responseMsgCode").GetString());
    }

    [Fact]
    public async Task A_complete_access_job_has_a_download_url_that_serves_a_zip()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o => o.JobStepMs = 0);
        string access = Body(User("a", "access", ("email", "a@example.com", "standard")), "ccpa", "\"profileService\",\"Analytics\"");
        string id = (await emu.PostAsync(Jobs, access)).Json.GetProperty("jobs")[0].GetProperty("jobId").GetString()!;
        JsonElement job = (await emu.GetAsync($"{Jobs}/{id}")).Json;

        Assert.Equal("ccpa", job.GetProperty("regulation").GetString());
        Assert.Equal(new[] { "profileService", "Analytics" }, job.GetProperty("productResponses").EnumerateArray().Select(p => p.GetProperty("product").GetString()));
        string url = job.GetProperty("downloadURL").GetString()!;
        Assert.Equal($"{emu.BaseUrl}/__emulator/privacy-downloads/{id}.zip", url);
        byte[] zip = await emu.Http.GetByteArrayAsync(url);
        Assert.Equal(new byte[] { 0x50, 0x4B, 0x05, 0x06 }, zip.Take(4));
    }

    [Fact]
    public async Task An_unknown_job_and_one_past_its_30_day_retention_are_404()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o =>
        {
            o.JobStepMs = 0;
            o.TokenLifetimeSeconds = LongLivedToken;
        });
        string id = (await emu.PostAsync(Jobs, RecordDelete("a@example.com"))).Json.GetProperty("jobs")[0].GetProperty("jobId").GetString()!;
        Answer unknown = await emu.GetAsync($"{Jobs}/nope");

        Assert.Equal(404, unknown.Code);
        Assert.Equal("1000-404", unknown.Json.GetProperty("errors")[0].GetProperty("code").GetString());
        emu.Clock.Advance(TimeSpan.FromDays(29));
        Assert.Equal(200, (await emu.GetAsync($"{Jobs}/{id}")).Code);
        emu.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(404, (await emu.GetAsync($"{Jobs}/{id}")).Code);
    }

    [Fact]
    public async Task The_list_filters_by_regulation_with_hygiene_for_record_deletes_newest_first()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o => o.JobStepMs = 0);
        JsonElement first = (await emu.PostAsync(Jobs, RecordDelete("a@x", "b@x"))).Json;
        emu.Clock.Advance(TimeSpan.FromMinutes(1));
        JsonElement second = (await emu.PostAsync(Jobs, RecordDelete("c@x"))).Json;
        await emu.PostAsync(Jobs, Body(User("g", "delete", ("email", "g@x", "standard")), "gdpr", "\"profileService\""));

        Answer hygiene = await emu.GetAsync($"{Jobs}?regulation=hygiene");
        Answer gdpr = await emu.GetAsync($"{Jobs}?regulation=GDPR");

        Assert.Equal(3, hygiene.Json.GetProperty("totalRecords").GetInt32());
        string[] listed = hygiene.Json.GetProperty("jobDetails").EnumerateArray().Select(j => j.GetProperty("jobId").GetString()!).ToArray();
        string[] expected = second.GetProperty("jobs").EnumerateArray().Concat(first.GetProperty("jobs").EnumerateArray())
            .Select(j => j.GetProperty("jobId").GetString()!).ToArray();
        Assert.Equal(expected, listed);
        JsonElement entry = hygiene.Json.GetProperty("jobDetails")[0];
        Assert.Equal(new[] { "jobId", "requestId", "userKey", "action", "status", "submittedBy", "createdDate", "lastModifiedDate" },
            entry.EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, gdpr.Json.GetProperty("totalRecords").GetInt32());
    }

    [Fact]
    public async Task The_list_pages_by_page_and_size_with_a_maximum_and_total_records_counts_every_match()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o =>
        {
            o.JobStepMs = 0;
            o.PrivacyMaxPageSize = 4;
        });
        await emu.PostAsync(Jobs, RecordDelete("a@x", "b@x", "c@x", "d@x", "e@x", "f@x", "g@x"));

        Answer defaultPage = await emu.GetAsync($"{Jobs}?regulation=hygiene");
        Answer page1 = await emu.GetAsync($"{Jobs}?regulation=hygiene&page=1&size=3");
        Answer past = await emu.GetAsync($"{Jobs}?regulation=hygiene&page=5&size=3");
        Answer tooBig = await emu.GetAsync($"{Jobs}?regulation=hygiene&size=5");

        Assert.Equal(4, defaultPage.Json.GetProperty("jobDetails").GetArrayLength());
        Assert.Equal(7, page1.Json.GetProperty("totalRecords").GetInt32());
        Assert.Equal(new[] { "c3", "c4", "c5" }, page1.Json.GetProperty("jobDetails").EnumerateArray().Select(j => j.GetProperty("userKey").GetString()));
        Assert.Equal(0, past.Json.GetProperty("jobDetails").GetArrayLength());
        Assert.Equal(400, tooBig.Code);
        Assert.Equal("size must be an integer between 1 and 4, got '5'.", tooBig.Json.GetProperty("message").GetString());
    }

    [Fact]
    public async Task The_list_window_is_seven_days_by_default_and_date_ranges_are_inclusive_up_to_thirty_days()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o =>
        {
            o.JobStepMs = 0;
            o.TokenLifetimeSeconds = LongLivedToken;
        });
        DateTime created = emu.Clock.GetUtcNow().UtcDateTime;
        await emu.PostAsync(Jobs, RecordDelete("a@x"));
        string day = created.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        emu.Clock.Advance(TimeSpan.FromDays(8));
        DateTime now = emu.Clock.GetUtcNow().UtcDateTime;
        string today = now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        async Task<int> Count(string query) => (await emu.GetAsync($"{Jobs}?regulation=hygiene{query}")).Json.GetProperty("totalRecords").GetInt32();

        Assert.Equal(0, await Count(string.Empty));
        Assert.Equal(1, await Count($"&fromDate={day}&toDate={day}"));
        Assert.Equal(1, await Count($"&filterDate={day}"));
        Assert.Equal(0, await Count($"&fromDate={created.AddDays(1):yyyy-MM-dd}&toDate={today}"));
        Assert.Equal(1, await Count($"&fromDate={day}&toDate={today}&status=complete,error"));
        Assert.Equal(0, await Count($"&fromDate={day}&toDate={today}&status=processing"));

        foreach ((string query, string message) in new[]
                 {
                     ($"&fromDate={day}", "fromDate and toDate must be given together."),
                     ($"&fromDate={now.AddDays(-31):yyyy-MM-dd}&toDate={today}", "fromDate and toDate may be at most 30 days apart."),
                     ($"&fromDate={today}&toDate={day}", "toDate is before fromDate."),
                     ($"&fromDate=2020-13-01&toDate={today}", "fromDate '2020-13-01' must be a date in the form YYYY-MM-DD (GMT)."),
                     ($"&filterDate={day}&fromDate={day}&toDate={day}", "filterDate cannot be combined with fromDate/toDate."),
                     ("&status=done", "status 'done' is not one of submitted, processing, complete, error."),
                 })
        {
            Answer answer = await emu.GetAsync($"{Jobs}?regulation=hygiene{query}");
            Assert.True(answer.Code == 400, query);
            Assert.Equal(message, answer.Json.GetProperty("message").GetString());
        }

        Answer noRegulation = await emu.GetAsync(Jobs);
        Assert.Equal(400, noRegulation.Code);
        Assert.StartsWith("regulation is required", noRegulation.Json.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Other_methods_get_405()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        Answer answer = await emu.ApiAsync(HttpMethod.Delete, $"{Jobs}/x");

        Assert.Equal(405, answer.Code);
        Assert.Equal("GET", answer.Header("Allow"));
    }
}
