using System;
using System.Globalization;
using System.IO;
using System.Linq;

namespace ProfileJobs.Benchmarks;

/// <summary>
/// <c>New-HygieneRecordDelete</c> with a million identities on each hygiene API, against the floor sending the same
/// requests both one at a time and four at a time. Record-delete jobs: 1,000 requests of 1,000 users (one identity each);
/// work orders: 10 of 100,000 identities. The emulator is reset (and both clients reconnected, untimed) before each run
/// so that every run starts from the same empty store.
/// </summary>
internal static class HygieneScenario
{
    public const string JobsName = "hygiene-jobs";
    public const string WorkOrdersName = "hygiene-workorders";
    public const double TargetRatio = 1.25;
    public const int InFlight = 4;
    private const string Namespace = "email";

    public static ScenarioResult RunJobs(bool smoke, TextWriter log) => Run(smoke, log, workOrders: false);

    public static ScenarioResult RunWorkOrders(bool smoke, TextWriter log) => Run(smoke, log, workOrders: true);

    private static ScenarioResult Run(bool smoke, TextWriter log, bool workOrders)
    {
        var name = workOrders ? WorkOrdersName : JobsName;
        var result = new ScenarioResult(name);
        var identities = smoke ? 20_000 : 1_000_000;
        var perRequest = workOrders ? 100_000 : 1_000;
        var requests = (identities + perRequest - 1) / perRequest;
        var runs = smoke ? 1 : 3;
        var values = Values(identities);

        using var emulator = new EmulatorProcess(0);
        using var engine = new Engine();
        engine.SetVariable("values", values);
        var throttled = engine.Run("(Get-Command New-HygieneRecordDelete).Parameters.ContainsKey('ThrottleLimit')").Single().BaseObject is true;
        var command = workOrders
            ? $"New-HygieneRecordDelete -Namespace {Namespace} -Value $values -DatasetId ALL -Force"
            : $"New-HygieneRecordDelete -Namespace {Namespace} -Value $values -Force";

        FloorClient? floor = null;
        void Fresh()
        {
            emulator.Reset();
            floor?.Dispose();
            floor = FloorClient.ConnectAsync(emulator.BaseUri).GetAwaiter().GetResult();
            engine.Connect(emulator.BaseUri);
        }

        long Floor(int inFlight, string[] input) => workOrders
            ? floor!.SubmitWorkOrdersAsync(Namespace, input, "ALL", perRequest, inFlight).GetAwaiter().GetResult()
            : floor!.SubmitRecordDeletesAsync(Namespace, input, perRequest, inFlight).GetAwaiter().GetResult();

        // Warm-up at a twentieth of the size (jits every path of both clients and of the emulator), and the check
        // that the module writes one object per customer or work order (timed runs discard them through Out-Null).
        var small = values.Take(identities / 20).ToArray();
        engine.SetVariable("small", small);
        Fresh();
        Check(engine.RunCount(command.Replace("$values", "$small", StringComparison.Ordinal)), workOrders ? (small.Length + perRequest - 1) / perRequest : small.Length, "module");
        Check(Floor(1, small), small.Length, "sequential floor");
        Check(Floor(InFlight, small), small.Length, "concurrent floor");

        var module = new Samples();
        var sequential = new Samples();
        var concurrent = new Samples();
        for (var i = 0; i < runs; i++)
        {
            Fresh();
            long count = 0;
            var cpu = emulator.CpuTime;
            var ms = Timing.Milliseconds(() => engine.RunDiscard(command));
            result.Loads.Add(new EmulatorLoad(name, requests, ms, (emulator.CpuTime - cpu).TotalMilliseconds));
            module.Add(ms);

            Fresh();
            sequential.Add(Timing.Milliseconds(() => count = Floor(1, values)));
            Check(count, identities, "sequential floor");
            Fresh();
            concurrent.Add(Timing.Milliseconds(() => count = Floor(InFlight, values)));
            Check(count, identities, "concurrent floor");
            log.WriteLine($"  {name} run {i + 1}/{runs}: module {ms:N0} ms, floor one at a time {sequential.Median:N0} ms, floor {InFlight} in flight {concurrent.Median:N0} ms (medians so far)");
        }

        floor?.Dispose();

        // Memory in a fresh process: the whole command at full size, counting its output (nothing kept).
        emulator.Reset();
        var child = ProfileChild.Start(emulator.BaseUri, identities, command + " | Measure-BenchCount");
        Check(long.Parse(child.Output, CultureInfo.InvariantCulture), workOrders ? requests : identities, "module (fresh process)");
        result.Notes.Add($"In a fresh process, the command with {identities:N0} identities peaked at {child.PeakWorkingSetMb:N0} MB working set " +
                         $"({child.BaselineWorkingSetMb:N0} MB before it started, engine, module and the input array included); it allocated {child.AllocatedMb:N0} MB " +
                         $"with {child.Gen0}/{child.Gen1}/{child.Gen2} gen0/1/2 collections and {child.PauseMs:N0} ms of GC pauses in {child.Milliseconds:N0} ms.");
        result.Value("peak_working_set_mb", Samples.Fmt(child.PeakWorkingSetMb, "0"));

        var ratio = module.Median / concurrent.Median;
        var ratioSequential = module.Median / sequential.Median;
        var what = workOrders
            ? $"{identities:N0} identities as {requests:N0} work order{(requests == 1 ? "" : "s")} of up to {perRequest:N0}"
            : $"{identities:N0} identities as {requests:N0} record-delete requests of {perRequest:N0} users";
        result.Rows.Add(new ResultRow(
            $"`New-HygieneRecordDelete{(workOrders ? " -DatasetId" : "")}`, {what}",
            module.Describe("ms"),
            $"{concurrent.Describe("ms")} with {InFlight} in flight; {sequential.Describe("ms")} sequential",
            $"{ImportScenario.Ratio(module.Median, concurrent.Median)} ({ImportScenario.Ratio(module.Median, sequential.Median)} of sequential)",
            $"≤ {TargetRatio:0.00}× (concurrent floor)",
            ratio <= TargetRatio,
            ratio <= TargetRatio ? "met" : $"missed by {(ratio - TargetRatio) * 100:N0} points ({module.Median - concurrent.Median * TargetRatio:N0} ms over)"));
        result.Notes.Add((throttled ? "The module ran with its default -ThrottleLimit (requests in flight); " : "The module submits one request at a time; ") +
                         $"the floor with {InFlight} in flight is {sequential.Median / concurrent.Median:0.00}× as fast as the floor one at a time on this machine.");
        result.Value("identities", identities);
        result.Value("module_ms", Samples.Fmt(module.Median, "0.0"));
        result.Value("floor_sequential_ms", Samples.Fmt(sequential.Median, "0.0"));
        result.Value("floor_concurrent_ms", Samples.Fmt(concurrent.Median, "0.0"));
        result.Value("ratio", Samples.Fmt(ratio, "0.00"));
        result.Value("ratio_sequential", Samples.Fmt(ratioSequential, "0.00"));
        return result;
    }

    internal static string[] Values(int count)
    {
        var values = new string[count];
        for (var i = 0; i < count; i++) values[i] = string.Create(CultureInfo.InvariantCulture, $"user{i:D7}@example.com");
        return values;
    }

    private static void Check(long count, long expected, string what)
    {
        if (count != expected) throw new InvalidOperationException($"{what} produced {count:N0}, expected {expected:N0}.");
    }
}
