using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text.Json;

namespace ProfileJobs.Benchmarks;

/// <summary>
/// Runs one module command in a process of its own and reports time, allocations, collections and peak working set.
/// Used for the hygiene scenarios' memory, and for profiling by hand, e.g. under dotnet-trace:
/// <c>dotnet-trace collect -- dotnet ProfileJobs.Benchmarks.dll --child profile --url http://127.0.0.1:PORT/ --identities 1000000 --repeat 3 --script 'New-HygieneRecordDelete -Namespace email -Value $values -Force | Out-Null'</c>.
/// The emulator is started separately. <c>$values</c> holds the identities (user0000000@example.com, ...);
/// <c>--module path/ProfileJobs.psd1</c> imports another build of the module (to compare two builds).
/// </summary>
internal static class ProfileChild
{
    internal sealed record Report(double Milliseconds, double AllocatedMb, int Gen0, int Gen1, int Gen2, double PauseMs, double BaselineWorkingSetMb, double PeakWorkingSetMb, string Output);

    public static int Run(string[] args)
    {
        string? url = null, script = null, module = null;
        int identities = 0, repeat = 1;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--url": url = args[i + 1]; break;
                case "--script": script = args[i + 1]; break;
                case "--module": module = args[i + 1]; break;
                case "--identities": identities = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--repeat": repeat = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"Unknown option {args[i]} for --child profile.");
            }
        }

        if (url == null || script == null) throw new ArgumentException("--child profile needs --url and --script.");
        using var engine = new Engine(module);
        engine.SetVariable("values", HygieneScenario.Values(identities));
        engine.Connect(new Uri(url));
        for (var i = 0; i < repeat; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            using var self = Process.GetCurrentProcess();
            var baseline = self.WorkingSet64;
            int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
            var pause = GC.GetTotalPauseDuration();
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var watch = Stopwatch.StartNew();
            var output = engine.Run(script);
            watch.Stop();
            self.Refresh();
            var report = new Report(
                watch.Elapsed.TotalMilliseconds,
                (GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1048576.0,
                GC.CollectionCount(0) - gen0,
                GC.CollectionCount(1) - gen1,
                GC.CollectionCount(2) - gen2,
                (GC.GetTotalPauseDuration() - pause).TotalMilliseconds,
                baseline / 1048576.0,
                self.PeakWorkingSet64 / 1048576.0,
                string.Join(",", output.Select(o => o?.ToString())));
            Console.Out.WriteLine("CHILD " + JsonSerializer.Serialize(report));
        }

        return 0;
    }

    /// <summary>Runs this program as a profile child and returns its (last) report.</summary>
    public static Report Start(Uri emulator, int identities, string script)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { BenchPaths.SelfDll, "--child", "profile", "--url", emulator.ToString(), "--identities", identities.ToString(CultureInfo.InvariantCulture), "--script", script })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the profile child.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var line = stdout.Split('\n').LastOrDefault(l => l.StartsWith("CHILD ", StringComparison.Ordinal))
                   ?? throw new InvalidOperationException($"The child exited with {process.ExitCode}: {stdout} {stderr.Result}");
        return JsonSerializer.Deserialize<Report>(line.Substring(6))!;
    }
}
