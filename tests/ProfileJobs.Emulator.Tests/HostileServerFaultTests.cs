using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using ProfileJobs.Emulator.Tests.Infrastructure;
using Xunit;

namespace ProfileJobs.Emulator.Tests;

/// <summary>
/// The fault kinds for hostile servers: redirect, endless and alternating paging, page cap, drip, endless body and
/// the short privacy acknowledgement.
/// </summary>
public sealed class HostileServerFaultTests
{
    private const string Jobs = "data/core/ups/system/jobs";
    private const string WorkOrders = "data/core/hygiene/workorder";
    private const string Privacy = "data/core/privacy/jobs";

    private static string[] Ids(JsonElement items, string idField) =>
        items.EnumerateArray().Select(j => j.GetProperty(idField).GetString()!).ToArray();

    /// <summary>A valid record-delete body for five customers, keys k0..k4.</summary>
    private static readonly string FiveCustomers =
        $"{{\"companyContexts\":[{{\"namespace\":\"imsOrgID\",\"value\":\"{TestEmulator.OrgId}\"}}],\"users\":[" +
        string.Join(",", Enumerable.Range(0, 5).Select(i => $"{{\"key\":\"k{i}\",\"action\":[\"delete\"],\"userIDs\":[{{\"namespace\":\"email\",\"value\":\"u{i}\",\"type\":\"standard\"}}]}}")) + "]}";

    [Fact]
    public async Task Redirect_on_the_token_route_answers_307_with_the_location_and_issues_no_token()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        await emu.SetFaultsAsync("[{\"path\":\"/ims/token\",\"fault\":\"redirect\",\"location\":\"http://127.0.0.1:9/steal\"}]");
        long since = await emu.LogPositionAsync();
        Answer answer = await emu.SendAsync(new HttpRequestMessage(HttpMethod.Post, "ims/token/v3") { Content = TestEmulator.TokenForm() });

        Assert.Equal(307, answer.Code);
        Assert.Equal("http://127.0.0.1:9/steal", answer.Header("Location"));
        Assert.Equal(string.Empty, answer.Text);
        Assert.Equal(0, emu.State.Tokens.Count);
        JsonElement entry = (await emu.RequestsAsync(since)).Single();
        Assert.Equal("redirect", entry.GetProperty("fault").GetString());
        Assert.Equal(307, entry.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Redirect_with_append_path_sends_a_client_to_another_emulator_whose_log_shows_what_arrived()
    {
        await using TestEmulator ims = await TestEmulator.StartAsync();
        await using TestEmulator other = await TestEmulator.StartAsync();
        await ims.SetFaultsAsync($"[{{\"path\":\"/ims/token\",\"fault\":\"redirect\",\"status\":308,\"location\":\"{other.BaseUrl}/\",\"appendPath\":true}}]");

        Answer redirected = await ims.SendAsync(new HttpRequestMessage(HttpMethod.Post, "ims/token/v3?x=1") { Content = TestEmulator.TokenForm() });
        Assert.Equal(308, redirected.Code);
        string location = redirected.Header("Location")!;
        Assert.Equal($"{other.BaseUrl}/ims/token/v3?x=1", location);

        // What a client that follows the redirect would do: send the same form to the other host.
        await other.SendAsync(new HttpRequestMessage(HttpMethod.Post, location) { Content = TestEmulator.TokenForm() });
        JsonElement arrived = (await other.RequestsAsync()).Single();
        Assert.Equal("/ims/token/v3", arrived.GetProperty("path").GetString());
        Assert.Contains("client_secret=***", arrived.GetProperty("body").GetString());
        Assert.Equal(TestEmulator.Sha256Hex(TestEmulator.ClientSecret), arrived.GetProperty("clientSecretSha256").GetString());
    }

    [Fact]
    public async Task Redirect_on_a_data_route_takes_any_3xx_and_a_relative_location_and_creates_nothing()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(EmulatorMode.Unified);
        await emu.TokenAsync();
        await emu.SetFaultsAsync("[{\"method\":\"POST\",\"path\":\"/data\",\"fault\":\"redirect\",\"status\":303,\"location\":\"/elsewhere/jobs\"}]");
        Answer answer = await emu.PostAsync(Jobs, "{\"datasetId\":\"66a92c5910df2d1767de13f3\"}");

        Assert.Equal(303, answer.Code);
        Assert.Equal("/elsewhere/jobs", answer.Header("Location"));
        Assert.Equal(0, await emu.StoredJobCountAsync());
    }

    [Theory]
    [InlineData("{\"fault\":\"redirect\"}", "a redirect fault needs \"location\"")]
    [InlineData("{\"fault\":\"redirect\",\"location\":\"//evil.example/x\"}", "a redirect fault needs \"location\"")]
    [InlineData("{\"fault\":\"redirect\",\"location\":\"ftp://evil.example/x\"}", "a redirect fault needs \"location\"")]
    [InlineData("{\"fault\":\"redirect\",\"location\":\"/x\",\"status\":304}", "a redirect fault's \"status\" must be one of 301, 302, 303, 307, 308")]
    [InlineData("{\"fault\":\"redirect\",\"location\":\"/x\",\"appendPath\":\"yes\"}", "appendPath must be a boolean")]
    [InlineData("{\"fault\":\"next-endless\",\"content\":\"old\"}", "content must be \"same\"")]
    [InlineData("{\"fault\":\"next-alternate\",\"content\":\"new\"}", "content applies only to fault \"next-endless\"")]
    [InlineData("{\"fault\":\"page-cap\"}", "a page-cap fault needs \"maxPageSize\"")]
    [InlineData("{\"fault\":\"page-cap\",\"maxPageSize\":0}", "a page-cap fault needs \"maxPageSize\"")]
    [InlineData("{\"fault\":\"drip\"}", "a drip fault needs \"delayMs\"")]
    [InlineData("{\"fault\":\"endless-body\",\"bytes\":0}", "bytes must be a positive integer")]
    [InlineData("{\"fault\":\"short-ack\",\"keep\":-1}", "keep must be a non-negative integer")]
    [InlineData("{\"fault\":\"short-ack\",\"process\":\"some\"}", "process must be \"all\"")]
    [InlineData("{\"fault\":\"status\",\"status\":500,\"keep\":1}", "keep applies only to fault \"short-ack\"")]
    public async Task New_kinds_validate_their_fields(string rule, string message)
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        JsonElement error = await emu.ControlAsync(HttpMethod.Post, "faults", rule, System.Net.HttpStatusCode.BadRequest);

        Assert.Contains(message, error.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task The_rule_list_shows_each_kinds_own_fields()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        JsonElement rules = (await emu.SetFaultsAsync(
            "[{\"fault\":\"redirect\",\"location\":\"/x\"},{\"fault\":\"next-endless\",\"content\":\"new\"},{\"fault\":\"page-cap\",\"maxPageSize\":100}," +
            "{\"fault\":\"drip\",\"delayMs\":5},{\"fault\":\"endless-body\",\"bytes\":10},{\"fault\":\"short-ack\",\"keep\":2,\"process\":\"listed\"},{\"fault\":\"next-alternate\"}]"))
            .GetProperty("faults");

        Assert.Equal(307, rules[0].GetProperty("status").GetInt32());
        Assert.Equal("/x", rules[0].GetProperty("location").GetString());
        Assert.False(rules[0].GetProperty("appendPath").GetBoolean());
        Assert.Equal("new", rules[1].GetProperty("content").GetString());
        Assert.Equal(100, rules[2].GetProperty("maxPageSize").GetInt32());
        Assert.Equal(5, rules[3].GetProperty("delayMs").GetInt32());
        Assert.Equal(10, rules[4].GetProperty("bytes").GetInt64());
        Assert.Equal(2, rules[5].GetProperty("keep").GetInt32());
        Assert.Equal("listed", rules[5].GetProperty("process").GetString());
        Assert.Equal("next-alternate", rules[6].GetProperty("fault").GetString());
        Assert.Equal(JsonValueKind.Null, rules[6].GetProperty("content").ValueKind);
    }

    [Fact]
    public async Task Next_endless_same_in_unified_repeats_the_first_page_with_an_ever_advancing_next()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(EmulatorMode.Unified, seedJobs: 30);
        await emu.SetFaultsAsync("[{\"fault\":\"next-endless\"}]");
        var pages = new List<JsonElement>();
        long start = 0;
        for (int i = 0; i < 6; i++)
        {
            JsonElement page = (await emu.GetAsync($"{Jobs}?start={start}&limit=10")).Json;
            pages.Add(page);
            start = page.GetProperty("_page").GetProperty("next").GetInt64();
        }

        Assert.Equal(6, start);
        string[] first = Ids(pages[0].GetProperty("children"), "requestId");
        Assert.Equal(10, first.Length);
        Assert.All(pages, p => Assert.Equal(first, Ids(p.GetProperty("children"), "requestId")));
        Assert.All(pages, p => Assert.True(p.GetProperty("_page").GetProperty("totalCount").GetInt64() > (p.GetProperty("_page").GetProperty("next").GetInt64() + 1) * 10));
        Assert.Equal(200, (await emu.GetAsync($"{Jobs}/{first[0]}")).Code);
    }

    [Fact]
    public async Task Next_endless_fills_pages_by_cycling_a_short_list_and_new_content_is_unique_per_page_and_not_stored()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(EmulatorMode.Unified, seedJobs: 3);
        await emu.SetFaultsAsync("[{\"fault\":\"next-endless\",\"count\":1},{\"fault\":\"next-endless\",\"content\":\"new\"}]");
        string[] cycled = Ids((await emu.GetAsync($"{Jobs}?limit=7")).Json.GetProperty("children"), "requestId");
        string[] page5 = Ids((await emu.GetAsync($"{Jobs}?start=5&limit=7")).Json.GetProperty("children"), "requestId");
        string[] page6 = Ids((await emu.GetAsync($"{Jobs}?start=6&limit=7")).Json.GetProperty("children"), "requestId");
        string[] page5Again = Ids((await emu.GetAsync($"{Jobs}?start=5&limit=7")).Json.GetProperty("children"), "requestId");

        Assert.Equal(7, cycled.Length);
        Assert.Equal(3, cycled.Distinct().Count());
        Assert.Equal(cycled.Take(3), cycled.Skip(3).Take(3));
        Assert.Equal(7, page5.Distinct().Count());
        Assert.Empty(page5.Intersect(page6));
        Assert.Equal(page5, page5Again);
        Assert.Equal(404, (await emu.GetAsync($"{Jobs}/{page5[0]}")).Code);
    }

    [Fact]
    public async Task Next_alternate_in_unified_bounces_between_pages_0_and_1()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(EmulatorMode.Unified, seedJobs: 30);
        await emu.SetFaultsAsync("[{\"fault\":\"next-alternate\"}]");
        var seen = new List<(long Start, long Next, string First)>();
        long start = 0;
        for (int i = 0; i < 4; i++)
        {
            JsonElement page = (await emu.GetAsync($"{Jobs}?start={start}&limit=10")).Json;
            long next = page.GetProperty("_page").GetProperty("next").GetInt64();
            seen.Add((start, next, page.GetProperty("children")[0].GetProperty("requestId").GetString()!));
            start = next;
        }

        Assert.Equal(new long[] { 0, 1, 0, 1 }, seen.Select(s => s.Start));
        Assert.Equal(new long[] { 1, 0, 1, 0 }, seen.Select(s => s.Next));
        Assert.NotEqual(seen[0].First, seen[1].First);
        Assert.Equal(seen[0].First, seen[2].First);
    }

    [Fact]
    public async Task Azure_endless_tokens_keep_advancing_and_alternating_tokens_point_back_to_the_first_page()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(EmulatorMode.Azure, seedJobs: 30);
        await emu.SetFaultsAsync("[{\"fault\":\"next-endless\",\"count\":3},{\"fault\":\"next-alternate\"}]");

        static string Decode(JsonElement page) => Encoding.UTF8.GetString(Convert.FromBase64String(page.GetProperty("_page").GetProperty("next").GetString()!));

        JsonElement e0 = (await emu.GetAsync($"{Jobs}?limit=10")).Json;
        JsonElement e1 = (await emu.GetAsync($"{Jobs}?limit=10&page={Uri.EscapeDataString(e0.GetProperty("_page").GetProperty("next").GetString()!)}")).Json;
        JsonElement e2 = (await emu.GetAsync($"{Jobs}?limit=10&page={Uri.EscapeDataString(e1.GetProperty("_page").GetProperty("next").GetString()!)}")).Json;
        Assert.Contains("#TRC:10#", Decode(e0));
        Assert.Contains("#TRC:20#", Decode(e1));
        Assert.Contains("#TRC:30#", Decode(e2));
        Assert.Equal(Ids(e0.GetProperty("children"), "id"), Ids(e2.GetProperty("children"), "id"));
        Assert.Equal(10, e2.GetProperty("_page").GetProperty("count").GetInt32());

        JsonElement a0 = (await emu.GetAsync($"{Jobs}?limit=10")).Json;
        JsonElement a1 = (await emu.GetAsync($"{Jobs}?page={Uri.EscapeDataString(a0.GetProperty("_page").GetProperty("next").GetString()!)}")).Json;
        Assert.Contains("#TRC:10#", Decode(a0));
        Assert.Contains("#TRC:0#", Decode(a1));
        Assert.NotEqual(Ids(a0.GetProperty("children"), "id"), Ids(a1.GetProperty("children"), "id"));
    }

    [Theory]
    [InlineData(EmulatorMode.Unified)]
    [InlineData(EmulatorMode.Azure)]
    public async Task Page_cap_serves_at_most_the_cap_yet_following_next_reaches_every_job(EmulatorMode mode)
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(mode, seedJobs: 350);
        await emu.SetFaultsAsync("[{\"fault\":\"page-cap\",\"maxPageSize\":100}]");
        string idField = mode == EmulatorMode.Azure ? "id" : "requestId";
        var all = new List<string>();
        string query = "limit=500";
        int pages = 0;
        while (true)
        {
            JsonElement page = (await emu.GetAsync($"{Jobs}?{query}")).Json;
            pages++;
            string[] ids = Ids(page.GetProperty("children"), idField);
            Assert.True(ids.Length <= 100);
            all.AddRange(ids);
            JsonElement meta = page.GetProperty("_page");
            if (mode == EmulatorMode.Unified)
            {
                Assert.Equal(100, meta.GetProperty("pageSize").GetInt32());
                Assert.Equal(350, meta.GetProperty("totalCount").GetInt32());
            }

            if (!meta.TryGetProperty("next", out JsonElement next))
            {
                break;
            }

            query = mode == EmulatorMode.Unified ? $"limit=500&start={next.GetInt64()}" : $"limit=500&page={Uri.EscapeDataString(next.GetString()!)}";
        }

        Assert.Equal(4, pages);
        Assert.Equal(350, all.Distinct().Count());
    }

    [Fact]
    public async Task Paging_faults_apply_only_to_list_requests_and_not_to_the_aws_array()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(EmulatorMode.Aws, seedJobs: 5);
        await emu.SetFaultsAsync("[{\"fault\":\"next-endless\"},{\"fault\":\"page-cap\",\"maxPageSize\":1}]");
        Answer list = await emu.GetAsync(Jobs);
        string id = list.Json[0].GetProperty("requestId").GetString()!;
        Answer item = await emu.GetAsync($"{Jobs}/{id}");
        Answer quota = await emu.GetAsync("data/core/hygiene/quota");

        Assert.Equal(5, list.Json.GetArrayLength());
        Assert.Equal(200, item.Code);
        Assert.Equal(200, quota.Code);
        JsonElement rules = (await emu.ControlAsync(HttpMethod.Get, "faults")).GetProperty("faults");
        Assert.All(rules.EnumerateArray(), r => Assert.Equal(0, r.GetProperty("matched").GetInt32()));
    }

    private static async Task CreateWorkOrders(TestEmulator emu, int n)
    {
        for (int i = 0; i < n; i++)
        {
            Answer a = await emu.PostAsync(WorkOrders,
                $"{{\"action\":\"delete_identity\",\"displayName\":\"wo {i}\",\"datasetId\":\"ALL\",\"namespacesIdentities\":[{{\"namespace\":{{\"code\":\"email\"}},\"IDs\":[\"u{i}\"]}}]}}");
            Assert.Equal(200, a.Code);
            emu.Clock.AdvanceMs(10);
        }
    }

    [Fact]
    public async Task Work_order_lists_follow_the_paging_faults()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        await CreateWorkOrders(emu, 5);

        static string NextHref(JsonElement page) => page.GetProperty("_links").GetProperty("next").GetProperty("href").GetString()!;
        static string[] Names(JsonElement page) => page.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("displayName").GetString()!).ToArray();

        await emu.SetFaultsAsync("[{\"fault\":\"next-endless\"}]");
        JsonElement endless = (await emu.GetAsync($"{WorkOrders}?page=7&limit=2")).Json;
        Assert.EndsWith("page=8&limit=2", NextHref(endless));
        Assert.Equal(new[] { "wo 0", "wo 1" }, Names(endless));
        Assert.True(endless.GetProperty("total").GetInt32() > 16);

        await emu.SetFaultsAsync("[{\"fault\":\"next-endless\",\"content\":\"new\"}]");
        JsonElement fresh = (await emu.GetAsync($"{WorkOrders}?page=3&limit=2")).Json;
        Assert.Equal(new[] { "fabricated page 3 item 0", "fabricated page 3 item 1" }, Names(fresh));

        await emu.SetFaultsAsync("[{\"fault\":\"next-alternate\"}]");
        JsonElement alt1 = (await emu.GetAsync($"{WorkOrders}?page=1&limit=2")).Json;
        Assert.EndsWith("page=0&limit=2", NextHref(alt1));
        Assert.Equal(new[] { "wo 2", "wo 3" }, Names(alt1));

        await emu.SetFaultsAsync("[{\"fault\":\"page-cap\",\"maxPageSize\":2}]");
        JsonElement capped = (await emu.GetAsync($"{WorkOrders}?limit=4")).Json;
        Assert.Equal(2, capped.GetProperty("count").GetInt32());
        Assert.Equal(5, capped.GetProperty("total").GetInt32());
        Assert.EndsWith("page=1&limit=4", NextHref(capped));
        JsonElement cappedLast = (await emu.GetAsync($"{WorkOrders}?page=2&limit=4")).Json;
        Assert.Equal(new[] { "wo 4" }, Names(cappedLast));
        Assert.False(cappedLast.GetProperty("_links").TryGetProperty("next", out _));
    }

    [Fact]
    public async Task Privacy_lists_follow_the_paging_faults()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o => o.JobStepMs = 0);
        Assert.Equal(202, (await emu.PostAsync(Privacy, FiveCustomers)).Code);

        static string[] Keys(JsonElement page) => page.GetProperty("jobDetails").EnumerateArray().Select(j => j.GetProperty("userKey").GetString()!).ToArray();

        await emu.SetFaultsAsync("[{\"fault\":\"next-endless\"}]");
        JsonElement endless = (await emu.GetAsync($"{Privacy}?regulation=hygiene&page=9&size=4")).Json;
        // The jobs of one request list in submission order.
        Assert.Equal(new[] { "k0", "k1", "k2", "k3" }, Keys(endless));
        Assert.True(endless.GetProperty("totalRecords").GetInt32() > 40);
        JsonElement cycled = (await emu.GetAsync($"{Privacy}?regulation=hygiene&size=7")).Json;
        Assert.Equal(new[] { "k0", "k1", "k2", "k3", "k4", "k0", "k1" }, Keys(cycled));

        await emu.SetFaultsAsync("[{\"fault\":\"next-endless\",\"content\":\"new\"}]");
        JsonElement fresh = (await emu.GetAsync($"{Privacy}?regulation=hygiene&page=2&size=2")).Json;
        Assert.Equal(new[] { "fabricated-2-0", "fabricated-2-1" }, Keys(fresh));

        await emu.SetFaultsAsync("[{\"fault\":\"next-alternate\"}]");
        Assert.Equal(new[] { "k2", "k3" }, Keys((await emu.GetAsync($"{Privacy}?regulation=hygiene&page=3&size=2")).Json));

        await emu.SetFaultsAsync("[{\"fault\":\"page-cap\",\"maxPageSize\":2}]");
        JsonElement capped = (await emu.GetAsync($"{Privacy}?regulation=hygiene&page=1&size=10")).Json;
        Assert.Equal(new[] { "k2", "k3" }, Keys(capped));
        Assert.Equal(5, capped.GetProperty("totalRecords").GetInt32());
    }

    [Fact]
    public async Task Drip_sends_the_headers_at_once_and_the_body_a_byte_at_a_time()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        await emu.SetFaultsAsync("[{\"path\":\"/data\",\"fault\":\"drip\",\"delayMs\":10}]");
        long since = await emu.LogPositionAsync();

        // A request without Authorization: the gateway answers a 58-byte body, dripped over about 0.6 s.
        var watch = Stopwatch.StartNew();
        using HttpResponseMessage response = await emu.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, Jobs), HttpCompletionOption.ResponseHeadersRead);
        TimeSpan headersAt = watch.Elapsed;
        string body = await response.Content.ReadAsStringAsync();
        TimeSpan bodyAt = watch.Elapsed;

        Assert.Equal(403, (int)response.StatusCode);
        Assert.Equal("{\"error_code\":\"403010\",\"message\":\"Oauth token is missing.\"}", body);
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        Assert.True(bodyAt - headersAt >= TimeSpan.FromMilliseconds(body.Length * 10 * 0.8), $"headers {headersAt}, body {bodyAt}");
        JsonElement entry = await emu.LastLoggedAsync(since);
        Assert.Equal("drip", entry.GetProperty("fault").GetString());
        Assert.Equal(body.Length, entry.GetProperty("responseBytes").GetInt64());
        Assert.False(entry.GetProperty("aborted").GetBoolean());
    }

    [Fact]
    public async Task A_client_that_gives_up_on_a_drip_shows_as_aborted_with_the_bytes_it_got()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        await emu.SetFaultsAsync("[{\"path\":\"/data\",\"fault\":\"drip\",\"delayMs\":100}]");
        long since = await emu.LogPositionAsync();
        using (HttpResponseMessage response = await emu.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, Jobs), HttpCompletionOption.ResponseHeadersRead))
        {
            await using var stream = await response.Content.ReadAsStreamAsync();
            byte[] buffer = new byte[1];
            Assert.Equal(1, await stream.ReadAsync(buffer));
        }

        JsonElement entry = await emu.LastLoggedAsync(since);
        Assert.True(entry.GetProperty("aborted").GetBoolean());
        Assert.InRange(entry.GetProperty("responseBytes").GetInt64(), 1, 57);
    }

    [Fact]
    public async Task Endless_body_with_bytes_sends_exactly_that_many_with_a_content_length_and_processes_nothing()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(EmulatorMode.Unified);
        await emu.TokenAsync();
        await emu.SetFaultsAsync("[{\"path\":\"/data\",\"fault\":\"endless-body\",\"bytes\":3000000}]");
        long since = await emu.LogPositionAsync();
        using HttpResponseMessage response = await emu.Http.SendAsync(
            await emu.ApiRequestAsync(HttpMethod.Post, Jobs, "{\"datasetId\":\"66a92c5910df2d1767de13f3\"}"), HttpCompletionOption.ResponseHeadersRead);
        byte[] body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(3_000_000, response.Content.Headers.ContentLength);
        Assert.Equal(3_000_000, body.Length);
        Assert.StartsWith("{\"children\":[\"", Encoding.UTF8.GetString(body, 0, 20));
        Assert.Equal(0, await emu.StoredJobCountAsync());
        JsonElement entry = await emu.LastLoggedAsync(since);
        Assert.Equal("endless-body", entry.GetProperty("fault").GetString());
        Assert.Equal(3_000_000, entry.GetProperty("responseBytes").GetInt64());
    }

    [Fact]
    public async Task Endless_body_without_bytes_is_chunked_and_goes_on_until_the_client_leaves()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        await emu.SetFaultsAsync("[{\"path\":\"/data\",\"fault\":\"endless-body\"}]");
        long since = await emu.LogPositionAsync();
        const int readTarget = 20 * 1024 * 1024;
        long read = 0;
        using (HttpResponseMessage response = await emu.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, Jobs), HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Null(response.Content.Headers.ContentLength);
            await using var stream = await response.Content.ReadAsStreamAsync();
            byte[] buffer = new byte[81920];
            while (read < readTarget)
            {
                int n = await stream.ReadAsync(buffer);
                Assert.True(n > 0, "the endless body ended");
                read += n;
            }
        }

        JsonElement entry = await emu.LastLoggedAsync(since);
        Assert.True(entry.GetProperty("aborted").GetBoolean());
        Assert.True(entry.GetProperty("responseBytes").GetInt64() >= read);
    }

    [Theory]
    [InlineData("all", 0, 5)]
    [InlineData("all", 2, 5)]
    [InlineData("listed", 2, 2)]
    [InlineData("none", 2, 0)]
    public async Task Short_ack_answers_202_with_fewer_jobs_than_customers_and_stores_what_process_says(string process, int keep, int stored)
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        await emu.TokenAsync();
        await emu.SetFaultsAsync($"[{{\"fault\":\"short-ack\",\"keep\":{keep},\"process\":\"{process}\"}}]");
        long since = await emu.LogPositionAsync();
        Answer answer = await emu.PostAsync(Privacy, FiveCustomers);

        Assert.Equal(202, answer.Code);
        Assert.Equal(5, answer.Json.GetProperty("totalRecords").GetInt32());
        string[] answered = answer.Json.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("jobId").GetString()!).ToArray();
        Assert.Equal(keep, answered.Length);
        Assert.Equal(Enumerable.Range(0, keep).Select(i => "k" + i),
            answer.Json.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("customer").GetProperty("user").GetProperty("key").GetString()));
        JsonElement[] held = (await emu.ControlAsync(HttpMethod.Get, "privacy-jobs")).GetProperty("jobs").EnumerateArray().ToArray();
        Assert.Equal(stored, held.Length);
        if (stored > 0)
        {
            Assert.All(answered, id => Assert.Contains(held, h => h.GetProperty("jobId").GetString() == id));
        }

        foreach (string id in answered)
        {
            Assert.Equal(stored > 0 ? 200 : 404, (await emu.GetAsync($"{Privacy}/{id}")).Code);
        }

        Assert.Equal("short-ack", (await emu.RequestsAsync(since))[0].GetProperty("fault").GetString());
    }

    [Fact]
    public async Task Short_ack_leaves_other_requests_alone_and_a_bad_body_still_gets_its_400()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        await emu.SetFaultsAsync("[{\"fault\":\"short-ack\"}]");

        Assert.Equal(200, (await emu.GetAsync($"{Privacy}?regulation=hygiene")).Code);
        Assert.Equal(400, (await emu.PostAsync(Privacy, "{\"users\":[]}")).Code);
        JsonElement rule = (await emu.ControlAsync(HttpMethod.Get, "faults")).GetProperty("faults")[0];
        Assert.Equal(1, rule.GetProperty("matched").GetInt32());
    }
}
