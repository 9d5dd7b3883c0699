using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace ProfileJobs.Benchmarks;

/// <summary>
/// <c>Get-ProfileSystemJob</c> over every job in pages of 100, against the floor's page loop over the same pages;
/// then the peak memory of the listing in fresh processes at 1,000 and at 100,000 jobs.
/// </summary>
internal static class ListScenario
{
    public const string Name = "list";
    public const double TargetRatio = 1.25;
    public const double MemoryBudgetMb = 20;
    private const int PageSize = 100;

    public static ScenarioResult Run(bool smoke, TextWriter log)
    {
        var result = new ScenarioResult(Name);
        var jobs = smoke ? 1_000 : 100_000;
        var runs = smoke ? 1 : 7;
        using var emulator = new EmulatorProcess(jobs);
        using var engine = new Engine();
        engine.Connect(emulator.BaseUri);
        using var floor = FloorClient.ConnectAsync(emulator.BaseUri).GetAwaiter().GetResult();
        var command = $"Get-ProfileSystemJob -PageSize {PageSize}";

        // Warm-up, and the check that every job arrives (timed runs discard them through Out-Null).
        Check(engine.RunCount(command), jobs, "module");
        Check(floor.ListAsync(PageSize).GetAwaiter().GetResult(), jobs, "floor");
        engine.RunDiscard($"Write-BenchObject {jobs}");

        var module = new Samples();
        var floorMs = new Samples();
        var engineOnly = new Samples();
        var consumer = new Samples();
        for (var i = 0; i < runs; i++)
        {
            long count = 0;
            var cpu = emulator.CpuTime;
            var ms = Timing.Milliseconds(() => engine.RunDiscard(command));
            result.Loads.Add(new EmulatorLoad(Name, jobs / PageSize, ms, (emulator.CpuTime - cpu).TotalMilliseconds));
            module.Add(ms);
            floorMs.Add(Timing.Milliseconds(() => count = floor.ListAsync(PageSize).GetAwaiter().GetResult()));
            Check(count, jobs, "floor");
            engineOnly.Add(Timing.Milliseconds(() => engine.RunDiscard($"Write-BenchObject {jobs}")));
            consumer.Add(Timing.Milliseconds(() => engine.RunCount($"Write-BenchObject {jobs}")));
            log.WriteLine($"  list run {i + 1}/{runs}: module {ms:N0} ms, floor {floorMs.Median:N0} ms (median so far)");
        }

        var ratio = module.Median / floorMs.Median;
        result.Rows.Add(new ResultRow(
            $"`Get-ProfileSystemJob`, {jobs:N0} jobs in pages of {PageSize}",
            module.Describe("ms"),
            floorMs.Describe("ms"),
            ImportScenario.Ratio(module.Median, floorMs.Median),
            $"≤ {TargetRatio:0.00}×",
            ratio <= TargetRatio,
            ratio <= TargetRatio ? "met" : $"missed by {(ratio - TargetRatio) * 100:N0} points ({(module.Median - floorMs.Median * TargetRatio):N0} ms over)"));
        result.Notes.Add($"Per job: module {module.Median * 1000 / jobs:N2} µs, floor {floorMs.Median * 1000 / jobs:N2} µs, difference {(module.Median - floorMs.Median) * 1000 / jobs:N2} µs. " +
                         $"Writing {jobs:N0} objects from a compiled cmdlet on the pipeline thread costs the engine {engineOnly.Median:N0} ms ({engineOnly.Median * 1000 / jobs:N2} µs each) when they are discarded " +
                         $"(`> $null`, as in the timed runs); a consuming command (counting cmdlet) adds {consumer.Median * 1000 / jobs - engineOnly.Median * 1000 / jobs:N2} µs per object of parameter binding.");
        result.Value("count", jobs);
        result.Value("module_ms", Samples.Fmt(module.Median, "0.0"));
        result.Value("floor_ms", Samples.Fmt(floorMs.Median, "0.0"));
        result.Value("ratio", Samples.Fmt(ratio, "0.00"));

        MeasureMemory(result, emulator, jobs, smoke, log);
        return result;
    }

    private static void MeasureMemory(ScenarioResult result, EmulatorProcess big, int jobs, bool smoke, TextWriter log)
    {
        var runs = smoke ? 1 : 3;
        if (smoke)
        {
            var one = Child(big.BaseUri, "module", jobs);
            result.Value("memory_peak_mb", Samples.Fmt(one.PeakWorkingSetMb, "0.0"));
            return;
        }

        using var small = new EmulatorProcess(1_000);
        using var middle = new EmulatorProcess(10_000);
        var smallPeak = new Samples();
        var middlePeak = new Samples();
        var bigPeak = new Samples();
        var smallManaged = new Samples();
        var bigManaged = new Samples();
        var floorPeak = new Samples();
        ChildReport? bigReport = null;
        ChildReport? floorReport = null;
        for (var i = 0; i < runs; i++)
        {
            var s = Child(small.BaseUri, "module", 1_000);
            smallPeak.Add(s.PeakWorkingSetMb);
            smallManaged.Add(s.PeakManagedMb);
            middlePeak.Add(Child(middle.BaseUri, "module", 10_000).PeakWorkingSetMb);
            bigReport = Child(big.BaseUri, "module", jobs);
            bigPeak.Add(bigReport.PeakWorkingSetMb);
            bigManaged.Add(bigReport.PeakManagedMb);
            floorReport = Child(big.BaseUri, "floor", jobs);
            floorPeak.Add(floorReport.PeakWorkingSetMb);
            log.WriteLine($"  list memory run {i + 1}/{runs}: peak working set {smallPeak.Median:N1} MB at 1,000, {middlePeak.Median:N1} MB at 10,000, {bigPeak.Median:N1} MB at {jobs:N0}");
        }

        var growth = bigPeak.Median - smallPeak.Median;
        result.Rows.Add(new ResultRow(
            $"Peak working set of the listing process, 1,000 → {jobs:N0} jobs",
            $"{smallPeak.Median:N1} → {bigPeak.Median:N1} MB (+{growth:N1} MB); {middlePeak.Median:N1} MB at 10,000",
            $"{floorPeak.Median:N1} MB at {jobs:N0} (floor process, no engine)",
            "–",
            $"growth ≤ {MemoryBudgetMb:N0} MB",
            growth <= MemoryBudgetMb,
            growth <= MemoryBudgetMb ? "met" : $"missed by {growth - MemoryBudgetMb:N1} MB"));
        var gen0Budget = bigReport!.Gen0 > 0 ? bigReport.AllocatedMb / bigReport.Gen0 : double.NaN;
        result.Notes.Add($"Managed heap peak (sampled every 5 ms) during the listing: {smallManaged.Median:N1} MB at 1,000 jobs, {bigManaged.Median:N1} MB at {jobs:N0}. " +
                         $"At {jobs:N0} jobs the process allocated {bigReport.AllocatedMb:N0} MB ({bigReport.AllocatedMb * 1048576 / jobs:N0} bytes per job; the floor {floorReport!.AllocatedMb * 1048576 / jobs:N0}) " +
                         $"in {bigReport.Gen0} gen0, {bigReport.Gen1} gen1 and {bigReport.Gen2} gen2 collections: nothing survives, and the heap peaks at one gen0 budget " +
                         $"(about {gen0Budget:N0} MB here, the runtime's choice), which 1,000 jobs never fill. Growth from 10,000 to {jobs:N0} jobs: {bigPeak.Median - middlePeak.Median:+0.0;-0.0} MB.");
        result.Value("memory_growth_mb", Samples.Fmt(growth, "0.0"));
    }

    private static void Check(long count, long expected, string what)
    {
        if (count != expected) throw new InvalidOperationException($"{what} listed {count:N0} jobs, expected {expected:N0}.");
    }

    internal sealed record ChildReport(long Count, double PeakWorkingSetMb, double PeakManagedMb, double AllocatedMb, int Gen0, int Gen1, int Gen2, double Milliseconds);

    /// <summary>Runs the listing in a fresh process (this program with --child) and returns what it measured.</summary>
    private static ChildReport Child(Uri emulator, string runner, long expected)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { BenchPaths.SelfDll, "--child", "list-memory", "--url", emulator.ToString(), "--runner", runner })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the memory child.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var line = stdout.Split('\n').FirstOrDefault(l => l.StartsWith("CHILD ", StringComparison.Ordinal))
                   ?? throw new InvalidOperationException($"The memory child exited with {process.ExitCode}: {stdout} {stderr.Result}");
        var report = JsonSerializer.Deserialize<ChildReport>(line.Substring(6))!;
        if (report.Count != expected) throw new InvalidOperationException($"The memory child ({runner}) listed {report.Count:N0} jobs, expected {expected:N0}.");
        return report;
    }

    /// <summary>The child's side: list every job once, through the module or the floor, and report the peaks.</summary>
    public static int ChildMain(Uri emulator, string runner, int warmups = 0)
    {
        Engine? engine = null;
        FloorClient? floor = null;
        if (runner == "module")
        {
            engine = new Engine();
            engine.Connect(emulator);
        }
        else
        {
            floor = FloorClient.ConnectAsync(emulator).GetAwaiter().GetResult();
        }

        for (var i = 0; i < warmups; i++)
        {
            // For profiling (--warmups N): the same listing repeated before the measured one.
            if (engine != null) engine.RunCount($"Get-ProfileSystemJob -PageSize {PageSize}");
            else floor!.ListAsync(PageSize).GetAwaiter().GetResult();
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
        long count;
        var watch = Stopwatch.StartNew();
        var sampler = new MemorySampler();
        count = engine != null
            ? engine.RunCount($"Get-ProfileSystemJob -PageSize {PageSize}")
            : floor!.ListAsync(PageSize).GetAwaiter().GetResult();
        watch.Stop();
        sampler.Dispose();
        using var self = Process.GetCurrentProcess();
        var report = new ChildReport(
            count,
            self.PeakWorkingSet64 / 1048576.0,
            sampler.PeakManaged / 1048576.0,
            (GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1048576.0,
            GC.CollectionCount(0) - gen0,
            GC.CollectionCount(1) - gen1,
            GC.CollectionCount(2) - gen2,
            watch.Elapsed.TotalMilliseconds);
        Console.Out.WriteLine("CHILD " + JsonSerializer.Serialize(report));

        engine?.Dispose();
        floor?.Dispose();
        return 0;
    }
}
