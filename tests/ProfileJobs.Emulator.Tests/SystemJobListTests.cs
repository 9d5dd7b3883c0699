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

/// <summary>List shape, paging and order of /data/core/ups/system/jobs in each generation.</summary>
public sealed class SystemJobListTests
{
    private const string Jobs = "data/core/ups/system/jobs";

    private static string[] Ids(JsonElement items, string idField) =>
        items.EnumerateArray().Select(j => j.GetProperty(idField).GetString()!).ToArray();

    /// <summary>Creation times of the seeded jobs, from the control API, keyed by id.</summary>
    private static async Task<Dictionary<string, DateTime>> CreatedAt(TestEmulator emu) =>
        (await emu.ControlAsync(HttpMethod.Get, "jobs")).GetProperty("jobs").EnumerateArray()
            .ToDictionary(j => j.GetProperty("id").GetString()!, j => j.GetProperty("createdAt").GetDateTime());

    [Fact]
    public async Task Azure_pages_newest_first_with_count_and_an_opaque_next_until_the_last_page()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(EmulatorMode.Azure, seedJobs: 250);
        Answer page0 = await emu.GetAsync(Jobs);
        Answer page1 = await emu.GetAsync($"{Jobs}?page=1");
        Answer page2 = await emu.GetAsync($"{Jobs}?start=2");

        Assert.Equal(new[] { 100, 100, 50 }, new[] { page0, page1, page2 }.Select(p => p.Json.GetProperty("_page").GetProperty("count").GetInt32()));
        Assert.True(page0.Json.GetProperty("_page").TryGetProperty("next", out _));
        Assert.False(page2.Json.GetProperty("_page").TryGetProperty("next", out _));

        string[] all = new[] { page0, page1, page2 }.SelectMany(p => Ids(p.Json.GetProperty("children"), "id")).ToArray();
        Assert.Equal(250, all.Distinct().Count());
        Dictionary<string, DateTime> created = await CreatedAt(emu);
        Assert.Equal(all.OrderByDescending(id => created[id]), all);

        JsonElement job = page0.Json.GetProperty("children")[0];
        Assert.Equal("DELETE", job.GetProperty("jobType").GetString());
        Assert.Equal(JsonValueKind.Number, job.GetProperty("createEpoch").ValueKind);
    }

    [Fact]
    public async Task Azure_next_token_decodes_to_a_continuation_and_can_be_passed_back_as_page_or_start()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(EmulatorMode.Azure, seedJobs: 25);
        Answer first = await emu.GetAsync($"{Jobs}?limit=10");
        string next = first.Json.GetProperty("_page").GetProperty("next").GetString()!;
        string decoded = Encoding.UTF8.GetString(Convert.FromBase64String(next));

        Assert.StartsWith("+RID:", decoded);
        Assert.Contains("#TRC:10#", decoded);
        Assert.EndsWith("#FPC:10", decoded);

        Answer viaPage = await emu.GetAsync($"{Jobs}?page={Uri.EscapeDataString(next)}");
        Answer viaStartWithSpace = await emu.GetAsync($"{Jobs}?start={next.Replace("+", "%20")}");
        Answer byNumber = await emu.GetAsync($"{Jobs}?limit=10&page=1");
        Assert.Equal(Ids(byNumber.Json.GetProperty("children"), "id"), Ids(viaPage.Json.GetProperty("children"), "id"));
        Assert.Equal(Ids(byNumber.Json.GetProperty("children"), "id"), Ids(viaStartWithSpace.Json.GetProperty("children"), "id"));
    }

    [Fact]
    public async Task Azure_sort_applies_on_the_first_page_only_and_bad_parameters_are_400()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(EmulatorMode.Azure, seedJobs: 30);
        Answer sorted = await emu.GetAsync($"{Jobs}?limit=10&sort=id:asc");
        Answer page1Sorted = await emu.GetAsync($"{Jobs}?limit=10&page=1&sort=id:asc");
        Answer page1 = await emu.GetAsync($"{Jobs}?limit=10&page=1");

        string[] ids = Ids(sorted.Json.GetProperty("children"), "id");
        Assert.Equal(ids.OrderBy(i => i, StringComparer.Ordinal), ids);
        Assert.Equal(Ids(page1.Json.GetProperty("children"), "id"), Ids(page1Sorted.Json.GetProperty("children"), "id"));

        foreach (string bad in new[] { "limit=0", "limit=x", "page=-1", "page=abc", "sort=color:asc", "sort=id:sideways" })
        {
            Answer answer = await emu.GetAsync($"{Jobs}?{bad}");
            Assert.True(answer.Code == 400, bad);
            Assert.EndsWith("EMU-0004-400", answer.Json.GetProperty("type").GetString());
        }
    }

    [Fact]
    public async Task Aws_returns_a_bare_array_of_the_newest_100_and_ignores_parameters()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(EmulatorMode.Aws, seedJobs: 250);
        Answer plain = await emu.GetAsync(Jobs);
        Answer withParameters = await emu.GetAsync($"{Jobs}?limit=5&start=2&page=3");

        Assert.Equal(JsonValueKind.Array, plain.Json.ValueKind);
        Assert.Equal(100, plain.Json.GetArrayLength());
        Assert.Equal(plain.Text, withParameters.Text);

        Dictionary<string, DateTime> created = await CreatedAt(emu);
        string[] ids = Ids(plain.Json, "requestId");
        Assert.Equal(created.OrderByDescending(p => p.Value).Take(100).Select(p => p.Key), ids);
        Assert.Equal(EmulatorOptions.DefaultSandboxId, plain.Json[0].GetProperty("sandbox").GetProperty("sandboxId").GetString());
    }

    [Fact]
    public async Task Unified_pages_by_start_and_limit_oldest_first_with_total_and_numeric_next()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(EmulatorMode.Unified, seedJobs: 250);
        Answer page0 = await emu.GetAsync(Jobs);
        Answer page2 = await emu.GetAsync($"{Jobs}?start=2");
        Answer past = await emu.GetAsync($"{Jobs}?start=9");

        JsonElement p0 = page0.Json.GetProperty("_page");
        Assert.Equal(100, p0.GetProperty("pageSize").GetInt32());
        Assert.Equal("0", p0.GetProperty("start").GetString());
        Assert.Equal(250, p0.GetProperty("totalCount").GetInt32());
        Assert.Equal(1, p0.GetProperty("next").GetInt32());
        Assert.Equal(50, page2.Json.GetProperty("children").GetArrayLength());
        Assert.False(page2.Json.GetProperty("_page").TryGetProperty("next", out _));
        Assert.Equal(0, past.Json.GetProperty("children").GetArrayLength());
        Assert.False(past.Json.GetProperty("_page").TryGetProperty("next", out _));

        Dictionary<string, DateTime> created = await CreatedAt(emu);
        string[] ids = Ids(page0.Json.GetProperty("children"), "requestId");
        Assert.Equal(created.OrderBy(p => p.Value).Take(100).Select(p => p.Key), ids);

        Answer small = await emu.GetAsync($"{Jobs}?start=1&limit=10");
        Assert.Equal(created.OrderBy(p => p.Value).Skip(10).Take(10).Select(p => p.Key), Ids(small.Json.GetProperty("children"), "requestId"));
        Assert.Equal(400, (await emu.GetAsync($"{Jobs}?start=-1")).Code);
        Assert.Equal(400, (await emu.GetAsync($"{Jobs}?limit=0")).Code);
    }

    [Fact]
    public async Task Unified_order_desc_lists_newest_first()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(o =>
        {
            o.Mode = EmulatorMode.Unified;
            o.SeedJobs = 20;
            o.Order = ListOrder.Descending;
        });
        Answer page0 = await emu.GetAsync($"{Jobs}?limit=20");

        Dictionary<string, DateTime> created = await CreatedAt(emu);
        Assert.Equal(created.OrderByDescending(p => p.Value).Select(p => p.Key), Ids(page0.Json.GetProperty("children"), "requestId"));
    }

    [Theory]
    [InlineData(EmulatorMode.Azure)]
    [InlineData(EmulatorMode.Unified)]
    public async Task A_new_job_appears_at_the_newest_end_of_the_list(EmulatorMode mode)
    {
        await using TestEmulator emu = await TestEmulator.StartAsync(mode, seedJobs: 5);
        JsonElement created = await emu.CreateJobAsync("66a92c5910df2d1767de13f3");
        string idField = mode == EmulatorMode.Azure ? "id" : "requestId";
        string id = created.GetProperty(idField).GetString()!;
        string[] ids = Ids((await emu.GetAsync(Jobs)).Json.GetProperty("children"), idField);

        Assert.Equal(6, ids.Length);
        Assert.Equal(id, mode == EmulatorMode.Azure ? ids[0] : ids[^1]);
    }

    [Fact]
    public async Task Seeded_jobs_are_the_same_on_every_run_and_cover_the_status_vocabulary()
    {
        string[] first;
        await using (TestEmulator emu = await TestEmulator.StartAsync(EmulatorMode.Unified, seedJobs: 60))
        {
            first = Ids((await emu.GetAsync($"{Jobs}?limit=60")).Json.GetProperty("children"), "requestId");
            string[] statuses = (await emu.GetAsync($"{Jobs}?limit=60")).Json.GetProperty("children").EnumerateArray()
                .Select(j => j.GetProperty("status").GetString()!).ToArray();
            Assert.Equal("ERROR", statuses[0]);
            Assert.Equal("FAILED", statuses[1]);
            Assert.Equal("IN-PROGRESS", statuses[^2]);
            Assert.Equal("NEW", statuses[^1]);
            Assert.Contains("SUCCESS", statuses);
        }

        await using TestEmulator again = await TestEmulator.StartAsync(EmulatorMode.Unified, seedJobs: 60);
        Assert.Equal(first, Ids((await again.GetAsync($"{Jobs}?limit=60")).Json.GetProperty("children"), "requestId"));
    }
}
