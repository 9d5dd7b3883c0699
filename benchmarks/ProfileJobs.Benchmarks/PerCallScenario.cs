using System;
using System.IO;
using System.Linq;

namespace ProfileJobs.Benchmarks;

/// <summary>
/// 1,000 ids piped into <c>Get-ProfileSystemJob</c> (one GET each) against 1,000 sequential GETs in the floor. The
/// difference divided by the number of calls is the module's per-call overhead. A third measurement pipes the same
/// ids into a do-nothing compiled cmdlet: the engine's own cost of a pipeline item, which no module can avoid.
/// </summary>
internal static class PerCallScenario
{
    public const string Name = "per-call";
    public const double TargetMs = 0.3;

    public static ScenarioResult Run(bool smoke, TextWriter log)
    {
        var result = new ScenarioResult(Name);
        var calls = smoke ? 50 : 1_000;
        var runs = smoke ? 1 : 15;
        using var emulator = new EmulatorProcess(calls);
        var ids = emulator.JobIds().Take(calls).ToArray();
        if (ids.Length != calls) throw new InvalidOperationException($"The emulator holds {ids.Length} jobs, expected {calls}.");
        using var engine = new Engine();
        engine.Connect(emulator.BaseUri);
        engine.SetVariable("ids", ids);
        using var floor = FloorClient.ConnectAsync(emulator.BaseUri).GetAwaiter().GetResult();
        const string command = "$ids | Get-ProfileSystemJob";
        const string pipelineOnly = "$ids | Measure-BenchCount";

        void FloorRun()
        {
            foreach (var id in ids) floor.GetAsync(id).GetAwaiter().GetResult();
        }

        // Warm-up (jit, connections, token) for both, and the check that every call returns its job.
        Check(engine.RunCount(command), calls);
        FloorRun();
        engine.RunCount(pipelineOnly);

        var module = new Samples();
        var floorMs = new Samples();
        var engineOnly = new Samples();
        var differences = new Samples();
        for (var i = 0; i < runs; i++)
        {
            var cpu = emulator.CpuTime;
            var ms = Timing.Milliseconds(() => engine.RunDiscard(command));
            result.Loads.Add(new EmulatorLoad(Name, calls, ms, (emulator.CpuTime - cpu).TotalMilliseconds));
            module.Add(ms);
            var floorRun = Timing.Milliseconds(FloorRun);
            floorMs.Add(floorRun);
            differences.Add(ms - floorRun);
            engineOnly.Add(Timing.Milliseconds(() => engine.RunCount(pipelineOnly)));
            log.WriteLine($"  per-call run {i + 1}/{runs}: module {ms:N1} ms, floor {floorMs.Median:N1} ms");
        }

        // The median of the paired differences (each module run against the floor run right after it), per call.
        var overhead = differences.Median / calls;
        result.Rows.Add(new ResultRow(
            $"{calls:N0} ids piped into `Get-ProfileSystemJob`",
            $"{module.Describe("ms")}; {module.Median / calls:0.000} ms per call",
            $"{floorMs.Describe("ms")}; {floorMs.Median / calls:0.000} ms per call",
            $"{ImportScenario.Ratio(module.Median, floorMs.Median)}; overhead {overhead:0.000} ms per call (median of paired differences, {differences.Min / calls:0.000} to {differences.Max / calls:0.000})",
            $"overhead ≤ {TargetMs:0.0} ms per call",
            overhead <= TargetMs,
            overhead <= TargetMs ? "met" : $"missed by {overhead - TargetMs:0.000} ms per call"));
        result.Notes.Add($"Of that overhead, the engine alone (the same ids piped into a compiled cmdlet that only counts them) takes {engineOnly.Median * 1000 / calls:N1} µs per item.");
        result.Value("calls", calls);
        result.Value("module_ms", Samples.Fmt(module.Median, "0.0"));
        result.Value("floor_ms", Samples.Fmt(floorMs.Median, "0.0"));
        result.Value("overhead_ms_per_call", Samples.Fmt(overhead, "0.000"));
        return result;
    }

    private static void Check(long count, long expected)
    {
        if (count != expected) throw new InvalidOperationException($"Get-ProfileSystemJob -Id returned {count:N0} jobs, expected {expected:N0}.");
    }
}
