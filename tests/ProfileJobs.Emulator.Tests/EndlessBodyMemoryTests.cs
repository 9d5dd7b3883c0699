using System;
using System.Net.Http;
using System.Threading.Tasks;
using ProfileJobs.Emulator.Tests.Infrastructure;
using Xunit;

namespace ProfileJobs.Emulator.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "Serial (measures the process)";
}

/// <summary>The endless body is streamed from constant buffers: serving it allocates far less than it sends.</summary>
[Collection(SerialCollection.Name)]
public sealed class EndlessBodyMemoryTests
{
    [Fact]
    public async Task Sending_a_256_MB_body_allocates_a_small_fraction_of_it()
    {
        await using TestEmulator emu = await TestEmulator.StartAsync();
        const long size = 256L * 1024 * 1024;
        await emu.SetFaultsAsync($"[{{\"path\":\"/data\",\"fault\":\"endless-body\",\"bytes\":{size}}}]");
        byte[] buffer = new byte[1 << 20];

        // The whole process is measured (server and client run here), and nothing else runs in parallel with it.
        long before = GC.GetTotalAllocatedBytes(precise: true);
        long read = 0;
        using (HttpResponseMessage response = await emu.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "data/core/ups/system/jobs"), HttpCompletionOption.ResponseHeadersRead))
        {
            await using var stream = await response.Content.ReadAsStreamAsync();
            int n;
            while ((n = await stream.ReadAsync(buffer)) > 0)
            {
                read += n;
            }
        }

        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Equal(size, read);
        Assert.True(allocated < size / 8, $"{allocated:N0} bytes allocated to send {size:N0}");
    }
}
