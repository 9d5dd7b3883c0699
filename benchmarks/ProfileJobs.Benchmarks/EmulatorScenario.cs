using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace ProfileJobs.Benchmarks;

/// <summary>
/// The emulator's own rate: several keep-alive HttpClients (the floor's), each with two requests in flight, GETting
/// single jobs as fast as the emulator answers. Client and server share the machine's cores, so this is a lower bound
/// of what the emulator could serve alone.
/// </summary>
internal static class EmulatorScenario
{
    public const string Name = "emulator";
    public const double TargetRps = 10_000;
    private const int Clients = 4;
    private const int PerClient = 2;

    public static ScenarioResult Run(bool smoke, TextWriter log)
    {
        var result = new ScenarioResult(Name);
        using var emulator = new EmulatorProcess(1_000);
        var ids = emulator.JobIds().ToArray();
        var clients = Enumerable.Range(0, Clients).Select(_ => FloorClient.ConnectAsync(emulator.BaseUri).GetAwaiter().GetResult()).ToArray();
        try
        {
            var rates = new Samples();
            var shares = new Samples();
            long total = 0;
            Measure(clients, ids, TimeSpan.FromSeconds(smoke ? 0.3 : 1), out _, out _, out _);
            var rounds = smoke ? 1 : 3;
            for (var i = 0; i < rounds; i++)
            {
                var cpu = emulator.CpuTime;
                var selfCpu = Process.GetCurrentProcess().TotalProcessorTime;
                Measure(clients, ids, TimeSpan.FromSeconds(smoke ? 0.5 : 3), out var count, out var seconds, out var errors);
                if (errors > 0) throw new InvalidOperationException($"{errors} requests failed.");
                total += count;
                rates.Add(count / seconds);
                shares.Add((emulator.CpuTime - cpu).TotalSeconds / seconds);
                var clientShare = (Process.GetCurrentProcess().TotalProcessorTime - selfCpu).TotalSeconds / seconds;
                log.WriteLine($"  emulator round {i + 1}/{rounds}: {count / seconds:N0} requests/s (emulator {shares.Max:0.00} cores, client {clientShare:0.00} cores)");
            }

            var met = rates.Median >= TargetRps;
            result.Rows.Add(new ResultRow(
                "Emulator: `GET /data/core/ups/system/jobs/{id}` on loopback",
                $"{rates.Describe("requests/s")}",
                $"{Clients} clients × {PerClient} in flight",
                "–",
                $"≥ {TargetRps:N0} requests/s",
                met,
                met ? "met" : $"missed by {TargetRps - rates.Median:N0} requests/s"));
            result.Notes.Add($"While serving that rate the emulator used {shares.Median:0.00} of the machine's {Environment.ProcessorCount} cores; the load generator used the rest.");
            result.Value("requests", total);
            result.Value("requests_per_second", Samples.Fmt(rates.Median, "0"));
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }

        return result;
    }

    private static void Measure(FloorClient[] clients, string[] ids, TimeSpan duration, out long count, out double seconds, out long errors)
    {
        long done = 0, failed = 0;
        using var stop = new CancellationTokenSource();
        var watch = Stopwatch.StartNew();
        var loops = clients.SelectMany((client, c) => Enumerable.Range(0, PerClient).Select(p => Task.Run(async () =>
        {
            var i = c * 7919 + p * 104729;
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await client.GetAsync(ids[i++ % ids.Length]).ConfigureAwait(false);
                    Interlocked.Increment(ref done);
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }))).ToArray();
        stop.CancelAfter(duration);
        Task.WaitAll(loops);
        seconds = watch.Elapsed.TotalSeconds;
        count = done;
        errors = failed;
    }
}
