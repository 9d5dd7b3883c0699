using System;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using ProfileJobs.Emulator.Tests.Infrastructure;
using Xunit;

namespace ProfileJobs.Emulator.Tests;

/// <summary>Data Hygiene work orders (create, get, PUT, list) and the identity quota.</summary>
public sealed class WorkOrderTests
{
    private const string WorkOrders = "data/core/hygiene/workorder";
    private const string Dataset = "66a92c5910df2d1767de13f3";

    private static string Order(string displayName, string datasetId = Dataset, string? description = "d", string action = "delete_identity", params string[] emails)
    {
        string[] ids = emails.Length == 0 ? new[] { "a@example.com" } : emails;
        return JsonSerializer.Serialize(new
        {
            action,
            displayName,
            description,
            datasetId,
            namespacesIdentities = new[] { new { @namespace = new { code = "email" }, IDs = ids } },
        });
    }

    private static async Task<JsonElement> Create(TestEmulator emu, string body)
    {
        Answer answer = await emu.PostAsync(WorkOrders, body);
        Assert.True(answer.Code == 200, answer.Text);
        return answer.Json;
    }

    [Fact]
    public async Task A_work_order_is_created_with_200_in_the_documented_shape()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        await emu.ControlAsync(HttpMethod.Post, "datasets", $"{{\"id\":\"{Dataset}\",\"name\":\"Acme_Loyalty_2023\"}}");
        JsonElement wo = await Create(emu, Order("small", emails: new[] { "a@x", "b@x", "a@x" }));

        Assert.Matches("^DI-[0-9a-f-]{36}$", wo.GetProperty("workorderId").GetString());
        Assert.Matches("^BN-[0-9a-f-]{36}$", wo.GetProperty("bundleId").GetString());
        Assert.Equal("identity-delete", wo.GetProperty("action").GetString());
        Assert.Equal("received", wo.GetProperty("status").GetString());
        Assert.Equal(3, wo.GetProperty("operationCount").GetInt32());
        Assert.Equal(new[] { "profile", "datalake", "identity" }, wo.GetProperty("targetServices").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("Acme_Loyalty_2023", wo.GetProperty("datasetName").GetString());
        Assert.Equal("small", wo.GetProperty("displayName").GetString());
        Assert.Equal("d", wo.GetProperty("description").GetString());
        Assert.Equal(TestEmulator.OrgId, wo.GetProperty("orgId").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", wo.GetProperty("createdAt").GetString());
        Assert.StartsWith("emulator-client@techacct.adobe.com", wo.GetProperty("createdBy").GetString());
        Assert.False(wo.TryGetProperty("productStatusDetails", out _));

        JsonElement all = await Create(emu, Order("all", datasetId: "all", description: null, action: "delete-identity"));
        Assert.Equal("ALL", all.GetProperty("datasetId").GetString());
        Assert.Equal("ALL", all.GetProperty("datasetName").GetString());
        Assert.Equal(JsonValueKind.Null, all.GetProperty("description").ValueKind);
    }

    [Theory]
    [InlineData("{\"displayName\":\"x\",\"datasetId\":\"ALL\",\"namespacesIdentities\":[{\"namespace\":{\"code\":\"email\"},\"IDs\":[\"a\"]}]}", "action is required")]
    [InlineData("{\"action\":\"purge\",\"displayName\":\"x\",\"datasetId\":\"ALL\",\"namespacesIdentities\":[{\"namespace\":{\"code\":\"email\"},\"IDs\":[\"a\"]}]}", "action 'purge' is not supported")]
    [InlineData("{\"action\":\"delete_identity\",\"displayName\":\" \",\"datasetId\":\"ALL\",\"namespacesIdentities\":[{\"namespace\":{\"code\":\"email\"},\"IDs\":[\"a\"]}]}", "displayName is required")]
    [InlineData("{\"action\":\"delete_identity\",\"displayName\":\"x\",\"namespacesIdentities\":[{\"namespace\":{\"code\":\"email\"},\"IDs\":[\"a\"]}]}", "datasetId is required")]
    [InlineData("{\"action\":\"delete_identity\",\"displayName\":\"x\",\"datasetId\":\"ALL\",\"namespacesIdentities\":[]}", "namespacesIdentities is required")]
    [InlineData("{\"action\":\"delete_identity\",\"displayName\":\"x\",\"datasetId\":\"ALL\",\"namespacesIdentities\":[{\"namespace\":{},\"IDs\":[\"a\"]}]}", "namespacesIdentities[0].namespace.code is required")]
    [InlineData("{\"action\":\"delete_identity\",\"displayName\":\"x\",\"datasetId\":\"ALL\",\"namespacesIdentities\":[{\"namespace\":{\"code\":\"email\"},\"IDs\":[]}]}", "namespacesIdentities[0].IDs must be a non-empty array")]
    [InlineData("{\"action\":\"delete_identity\",\"displayName\":\"x\",\"datasetId\":\"ALL\",\"namespacesIdentities\":[{\"namespace\":{\"code\":\"email\"},\"IDs\":[\"a\",\"\"]}]}", "namespacesIdentities[0].IDs[1] must be a non-empty string.")]
    public async Task Bad_bodies_get_400001_naming_the_first_problem(string body, string message)
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        Answer answer = await emu.PostAsync(WorkOrders, body);

        Assert.Equal(400, answer.Code);
        Assert.Equal("400001", answer.Json.GetProperty("error_code").GetString());
        Assert.StartsWith(message, answer.Json.GetProperty("message").GetString());
        Assert.Equal(0, (await emu.ControlAsync(HttpMethod.Get, "workorders")).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task At_most_100000_identities_go_in_one_work_order()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        static string Many(int n)
        {
            var sb = new StringBuilder("{\"action\":\"delete_identity\",\"displayName\":\"big\",\"datasetId\":\"ALL\",\"namespacesIdentities\":[");
            sb.Append("{\"namespace\":{\"code\":\"email\"},\"IDs\":[");
            sb.AppendJoin(',', Enumerable.Range(0, n - 1).Select(i => "\"u" + i.ToString(CultureInfo.InvariantCulture) + "\""));
            sb.Append("]},{\"namespace\":{\"code\":\"ecid\"},\"IDs\":[\"last\"]}]}");
            return sb.ToString();
        }

        Answer over = await emu.PostAsync(WorkOrders, Many(100_001));
        Answer limit = await emu.PostAsync(WorkOrders, Many(100_000));

        Assert.Equal(400, over.Code);
        Assert.Equal("namespacesIdentities holds 100001 identities; at most 100000 are allowed per work order.", over.Json.GetProperty("message").GetString());
        Assert.Equal(200, limit.Code);
        Assert.Equal(100_000, limit.Json.GetProperty("operationCount").GetInt32());
    }

    [Fact]
    public async Task A_dataset_without_a_primary_identity_is_refused()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        await emu.ControlAsync(HttpMethod.Post, "datasets", "{\"id\":\"no-identity\",\"identity\":false}");
        Answer answer = await emu.PostAsync(WorkOrders, Order("x", datasetId: "no-identity"));

        Assert.Equal(400, answer.Code);
        Assert.Contains("has no primary identity or identityMap", answer.Json.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Get_by_work_order_or_bundle_id_shows_product_status_moving_with_the_clock()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o =>
        {
            o.JobStepMs = 1000;
            o.FailIdentities.Add("fail@x");
        });
        JsonElement wo = await Create(emu, Order("ok"));
        JsonElement failing = await Create(emu, Order("bad", emails: new[] { "a@x", "fail@x" }));
        string id = wo.GetProperty("workorderId").GetString()!;

        async Task<JsonElement> Get(string key) => (await emu.GetAsync($"{WorkOrders}/{key}")).Json;
        static string[] Products(JsonElement w) => w.GetProperty("productStatusDetails").EnumerateArray()
            .Select(p => p.GetProperty("productName").GetString() + "=" + p.GetProperty("productStatus").GetString()).ToArray();

        JsonElement received = await Get(wo.GetProperty("bundleId").GetString()!);
        Assert.Equal(id, received.GetProperty("workorderId").GetString());
        Assert.Equal(new[] { "Data Management=waiting", "Identity Service=waiting", "Profile Service=waiting" }, Products(received));
        string[] statuses = new string[5];
        for (int i = 0; i < 5; i++)
        {
            statuses[i] = (await Get(id)).GetProperty("status").GetString()!;
            emu.Clock.AdvanceMs(1000);
        }

        Assert.Equal(new[] { "received", "validated", "submitted", "ingested", "completed" }, statuses);
        Assert.Equal(new[] { "Data Management=success", "Identity Service=success", "Profile Service=success" }, Products(await Get(id)));
        JsonElement failed = await Get(failing.GetProperty("workorderId").GetString()!);
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal("Profile Service=failed", Products(failed)[2]);

        Answer elsewhere = await emu.ApiAsync(HttpMethod.Get, $"{WorkOrders}/{id}", sandboxName: "dev");
        Assert.Equal(404, elsewhere.Code);
        Assert.Equal("404003", elsewhere.Json.GetProperty("error_code").GetString());
    }

    [Fact]
    public async Task Put_renames_and_redescribes_and_moves_updated_at()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o => o.JobStepMs = 60_000);
        JsonElement wo = await Create(emu, Order("first"));
        string id = wo.GetProperty("workorderId").GetString()!;
        emu.Clock.Advance(TimeSpan.FromSeconds(5));

        Answer renamed = await emu.ApiAsync(HttpMethod.Put, $"{WorkOrders}/{id}", "{\"displayName\":\"second\"}");
        Assert.Equal(200, renamed.Code);
        Assert.Equal("second", renamed.Json.GetProperty("displayName").GetString());
        Assert.Equal("d", renamed.Json.GetProperty("description").GetString());
        Assert.True(renamed.Json.TryGetProperty("productStatusDetails", out _));
        Assert.Equal(DateTime.Parse(wo.GetProperty("createdAt").GetString()!, CultureInfo.InvariantCulture).AddSeconds(5),
            DateTime.Parse(renamed.Json.GetProperty("updatedAt").GetString()!, CultureInfo.InvariantCulture));

        Answer byName = await emu.ApiAsync(HttpMethod.Put, $"{WorkOrders}/{wo.GetProperty("bundleId").GetString()}", "{\"name\":\"third\",\"description\":\"new\"}");
        Assert.Equal("third", byName.Json.GetProperty("displayName").GetString());
        Assert.Equal("new", byName.Json.GetProperty("description").GetString());
        Answer both = await emu.ApiAsync(HttpMethod.Put, $"{WorkOrders}/{id}", "{\"name\":\"loses\",\"displayName\":\"wins\"}");
        Assert.Equal("wins", both.Json.GetProperty("displayName").GetString());
        Assert.Equal("wins", (await emu.GetAsync($"{WorkOrders}/{id}")).Json.GetProperty("displayName").GetString());

        foreach ((string body, string message) in new[]
                 {
                     ("{}", "Send displayName (or name) and/or description."),
                     ("{\"displayName\":\"\"}", "displayName must not be empty."),
                     ("{\"name\":7}", "name must be a string."),
                 })
        {
            Answer bad = await emu.ApiAsync(HttpMethod.Put, $"{WorkOrders}/{id}", body);
            Assert.Equal(400, bad.Code);
            Assert.Equal(message, bad.Json.GetProperty("message").GetString());
        }

        Assert.Equal(404, (await emu.ApiAsync(HttpMethod.Put, $"{WorkOrders}/DI-none", "{\"name\":\"x\"}")).Code);
    }

    [Fact]
    public async Task The_list_pages_with_links_oldest_first_by_default()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        for (int i = 0; i < 7; i++)
        {
            await Create(emu, Order("order " + i));
            emu.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        Answer page0 = await emu.GetAsync($"{WorkOrders}?limit=3&search=order");
        Answer page2 = await emu.GetAsync($"{WorkOrders}?page=2&limit=3");
        Answer defaults = await emu.GetAsync(WorkOrders);

        JsonElement p0 = page0.Json;
        Assert.Equal(7, p0.GetProperty("total").GetInt32());
        Assert.Equal(3, p0.GetProperty("count").GetInt32());
        Assert.Equal(new[] { "order 0", "order 1", "order 2" }, p0.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("displayName").GetString()));
        Assert.Equal($"{emu.BaseUrl}/{WorkOrders}?search=order&page=1&limit=3", p0.GetProperty("_links").GetProperty("next").GetProperty("href").GetString());
        Assert.False(p0.GetProperty("_links").GetProperty("next").GetProperty("templated").GetBoolean());
        Assert.Equal($"{emu.BaseUrl}/{WorkOrders}?limit={{limit}}&page={{page}}", p0.GetProperty("_links").GetProperty("page").GetProperty("href").GetString());
        Assert.Equal(1, page2.Json.GetProperty("count").GetInt32());
        Assert.False(page2.Json.GetProperty("_links").TryGetProperty("next", out _));
        Assert.Equal(7, defaults.Json.GetProperty("count").GetInt32());
        Assert.False(p0.GetProperty("results")[0].TryGetProperty("productStatusDetails", out _));

        foreach (string bad in new[] { "limit=0", "limit=101", "page=-1", "status=Completed", "type=ttl", "fromDate=2026-01-01", "orderBy=color" })
        {
            Answer answer = await emu.GetAsync($"{WorkOrders}?{bad}");
            Assert.True(answer.Code == 400, bad);
            Assert.Equal("400001", answer.Json.GetProperty("error_code").GetString());
        }
    }

    [Fact]
    public async Task The_list_filters_and_orders()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o => o.JobStepMs = 1000);
        await Create(emu, Order("alpha", datasetId: "ds-1", description: "nightly"));
        emu.Clock.Advance(TimeSpan.FromSeconds(2));
        await Create(emu, Order("beta", datasetId: "ds-2", emails: new[] { "a", "b" }));
        emu.Clock.Advance(TimeSpan.FromSeconds(2));
        await Create(emu, Order("gamma", datasetId: "ds-1"));

        async Task<string[]> Names(string query) => (await emu.GetAsync($"{WorkOrders}?{query}")).Json.GetProperty("results").EnumerateArray()
            .Select(r => r.GetProperty("displayName").GetString()!).ToArray();

        string today = emu.Clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Equal(new[] { "alpha", "gamma" }, await Names("datasetId=ds-1"));
        Assert.Equal(new[] { "alpha" }, await Names("description=NIGHT"));
        Assert.Equal(new[] { "beta" }, await Names("displayName=et"));
        Assert.Equal(new[] { "gamma" }, await Names("status=received"));
        Assert.Equal(new[] { "alpha", "beta" }, await Names("status=completed,submitted"));
        Assert.Equal(new[] { "gamma", "beta", "alpha" }, await Names("orderBy=-createdAt"));
        Assert.Equal(new[] { "alpha", "gamma", "beta" }, await Names("orderBy=%2BoperationCount"));
        Assert.Equal(new[] { "alpha", "beta", "gamma" }, await Names($"fromDate={today}&toDate={today}"));
        Assert.Equal(new[] { "alpha", "beta", "gamma" }, await Names($"filterDate={today}&type=identity-delete"));
    }

    [Fact]
    public async Task The_daily_quota_refuses_a_work_order_that_would_exceed_it_and_counts_nothing()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o =>
        {
            o.DailyIdentityQuota = 8;
            o.MonthlyIdentityQuota = 10;
            o.TokenLifetimeSeconds = 40 * 86400;
        });
        await Create(emu, Order("six", emails: new[] { "1", "2", "3", "4", "5", "6" }));
        Answer refused = await emu.PostAsync(WorkOrders, Order("three", emails: new[] { "7", "8", "9" }));

        Assert.Equal(400, refused.Code);
        Assert.Equal("application/problem+json", refused.Response.Content.Headers.ContentType!.MediaType);
        JsonElement p = refused.Json;
        Assert.EndsWith("EMU-0010-400", p.GetProperty("type").GetString());
        Assert.Equal("dailyConsumerDeleteIdentitiesQuota", p.GetProperty("quotaName").GetString());
        Assert.Equal(8, p.GetProperty("quota").GetInt32());
        Assert.Equal(6, p.GetProperty("consumed").GetInt32());
        Assert.Equal(3, p.GetProperty("requested").GetInt32());
        Assert.Equal("The work order has 3 identities, but dailyConsumerDeleteIdentitiesQuota allows only 2 more today (GMT) (6 of 8 consumed). Nothing was counted.",
            p.GetProperty("detail").GetString());

        JsonElement quota = (await emu.ApiAsync(HttpMethod.Get, "data/core/hygiene/quota", sandboxName: null)).Json;
        Assert.Equal(new[] { "dailyConsumerDeleteIdentitiesQuota=6/8", "monthlyConsumerDeleteIdentitiesQuota=6/10", "datasetExpirationQuota=0/75" },
            quota.GetProperty("quotas").EnumerateArray().Select(q => $"{q.GetProperty("name").GetString()}={q.GetProperty("consumed").GetInt64()}/{q.GetProperty("quota").GetInt64()}"));

        // The next GMT day resets the daily count; the month's cap still holds unless the month changed too.
        DateTime now = emu.Clock.GetUtcNow().UtcDateTime;
        emu.Clock.Advance(now.Date.AddDays(1).AddMinutes(1) - now);
        bool sameMonth = emu.Clock.GetUtcNow().UtcDateTime.Month == now.Month;
        Answer nextDay = await emu.PostAsync(WorkOrders, Order("five", emails: new[] { "a", "b", "c", "d", "e" }));
        Assert.Equal(sameMonth ? 400 : 200, nextDay.Code);
        if (sameMonth)
        {
            Assert.Equal("monthlyConsumerDeleteIdentitiesQuota", nextDay.Json.GetProperty("quotaName").GetString());
        }

        JsonElement daily = (await emu.ApiAsync(HttpMethod.Get, "data/core/hygiene/quota?quotaType=dailyConsumerDeleteIdentitiesQuota", sandboxName: null)).Json;
        Assert.Equal(sameMonth ? 0 : 5, Assert.Single(daily.GetProperty("quotas").EnumerateArray()).GetProperty("consumed").GetInt64());
        Assert.Equal(400, (await emu.ApiAsync(HttpMethod.Get, "data/core/hygiene/quota?quotaType=nope", sandboxName: null)).Code);
    }
}
