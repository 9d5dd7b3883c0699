using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace ProfileJobs.Benchmarks.Floor;

/// <summary>
/// The floor of every benchmark scenario, run as a process of its own by benchmarks/Invoke-Benchmarks.ps1 against an
/// emulator that script started: the same requests as the module, sent by the plainest fast client. Each timed run
/// prints one line <c>BENCH {"kind":"run",...}</c>; the process ends with <c>BENCH {"kind":"process",...}</c>.
/// </summary>
public static class Program
{
    private const string Usage = """
        ProfileJobs.Benchmarks.Floor COMMAND --url URI --client-id ID --client-secret SECRET --org-id ORG --sandbox NAME [options]

          list          --page-size N --expect N [--runs N] [--warmups N]       every job, page by page
          get           --ids FILE [--runs N] [--warmups N]                       one GET per id, one at a time
          record-deletes --csv FILE --per-request N --in-flight N --expect N [--warmup-csv FILE --warmup-expect N] [--runs N]
          work-orders   --csv FILE --dataset ID --per-request N --in-flight N --expect N [--warmup-csv FILE --warmup-expect N] [--runs N]
          capacity      --ids FILE --clients N --in-flight N --seconds S [--rounds N]   GETs by id as fast as the emulator answers
          write-csv     --path FILE --count N [--namespace NS] [--values-path FILE]   an identity CSV (Namespace,Value), and the values alone

        The hygiene commands reset the emulator (POST /__emulator/reset) and get a new token before every run, untimed.
        """;

    public static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.Out.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        try
        {
            var options = Options.Parse(args.Skip(1));
            switch (args[0])
            {
                case "write-csv":
                    WriteCsv(options.Text("path"), options.Number("count"), options.Text("namespace", "email"), options.Has("values-path") ? options.Text("values-path") : null);
                    return 0;
                case "list":
                    return Runs(options, floor => floor.ListAsync(options.Number("page-size")), options.Number("expect"));
                case "get":
                    var ids = File.ReadAllLines(options.Text("ids")).Where(line => line.Length > 0).ToArray();
                    return Runs(options, async floor =>
                    {
                        foreach (var id in ids) await floor.GetAsync(id).ConfigureAwait(false);
                        return (long)ids.Length;
                    }, ids.Length);
                case "record-deletes":
                case "work-orders":
                    return Hygiene(args[0] == "work-orders", options);
                case "capacity":
                    return Capacity(options);
                default:
                    Console.Error.WriteLine($"Unknown command '{args[0]}'.\n{Usage}");
                    return 2;
            }
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(Usage);
            return 2;
        }
    }

    /// <summary>Warm-ups, then timed runs (a full collection before each), each checked against the expected count.</summary>
    private static int Runs(Options options, Func<FloorClient, Task<long>> run, long expected)
    {
        using var floor = Connect(options);
        for (var i = 0; i < options.Number("warmups", 1); i++) Check(run(floor).GetAwaiter().GetResult(), expected, "warm-up");
        for (var i = 0; i < options.Number("runs", 1); i++)
        {
            var (ms, count) = Timed(() => run(floor).GetAwaiter().GetResult());
            Check(count, expected, "run");
            Report("run", ("ms", ms), ("count", count));
        }

        ReportProcess();
        return 0;
    }

    private static int Hygiene(bool workOrders, Options options)
    {
        var perRequest = options.Number("per-request");
        var inFlight = options.Number("in-flight");
        var dataset = workOrders ? options.Text("dataset") : "";
        Task<long> Submit(FloorClient floor, string csv) => workOrders
            ? floor.SubmitWorkOrdersAsync(ReadCsv(csv), dataset, perRequest, inFlight)
            : floor.SubmitRecordDeletesAsync(ReadCsv(csv), perRequest, inFlight);

        // Record-delete jobs answer one job per user; work orders answer the identity count they took.
        if (options.Has("warmup-csv"))
        {
            using var warm = Connect(options);
            Check(Submit(warm, options.Text("warmup-csv")).GetAwaiter().GetResult(), options.Number("warmup-expect"), "warm-up");
        }

        for (var i = 0; i < options.Number("runs", 1); i++)
        {
            ResetEmulator(options);
            using var floor = Connect(options);
            var (ms, count) = Timed(() => Submit(floor, options.Text("csv")).GetAwaiter().GetResult());
            Check(count, options.Number("expect"), "run");
            Report("run", ("ms", ms), ("count", count));
        }

        ReportProcess();
        return 0;
    }

    /// <summary>Several clients, each with a few requests in flight, GET jobs by id for a fixed time.</summary>
    private static int Capacity(Options options)
    {
        var ids = File.ReadAllLines(options.Text("ids")).Where(line => line.Length > 0).ToArray();
        var clients = Enumerable.Range(0, options.Number("clients")).Select(_ => Connect(options)).ToArray();
        var perClient = options.Number("in-flight");
        try
        {
            Measure(TimeSpan.FromSeconds(0.3));
            for (var round = 0; round < options.Number("rounds", 1); round++)
            {
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var (count, seconds, errors) = Measure(TimeSpan.FromSeconds(options.Double("seconds")));
                if (errors > 0) throw new InvalidOperationException($"{errors} requests failed.");
                if (count == 0) throw new InvalidOperationException("No request completed.");
                Report("run", ("requests", count), ("seconds", seconds), ("clientCores", (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds / seconds));
            }
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }

        ReportProcess();
        return 0;

        (long Count, double Seconds, long Errors) Measure(TimeSpan duration)
        {
            long done = 0, failed = 0;
            using var stop = new CancellationTokenSource();
            var watch = Stopwatch.StartNew();
            var loops = clients.SelectMany((client, c) => Enumerable.Range(0, perClient).Select(p => Task.Run(async () =>
            {
                var i = c * 7919 + p * 104729;
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        await client.GetAsync(ids[i++ % ids.Length]).ConfigureAwait(false);
                        Interlocked.Increment(ref done);
                    }
                    catch (HttpRequestException)
                    {
                        Interlocked.Increment(ref failed);
                    }
                }
            }))).ToArray();
            stop.CancelAfter(duration);
            Task.WaitAll(loops);
            return (done, watch.Elapsed.TotalSeconds, failed);
        }
    }

    private static FloorClient Connect(Options options) =>
        FloorClient.ConnectAsync(new Uri(options.Text("url")), new FloorCredential(
            options.Text("client-id"), options.Text("client-secret"), options.Text("org-id"), options.Text("sandbox"))).GetAwaiter().GetResult();

    private static void ResetEmulator(Options options)
    {
        using var http = new HttpClient { BaseAddress = new Uri(options.Text("url")), Timeout = TimeSpan.FromMinutes(2) };
        using var body = new StringContent("{}", Encoding.UTF8, "application/json");
        using var response = http.PostAsync("__emulator/reset", body).GetAwaiter().GetResult();
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The identity CSV, row by row: a header naming Namespace and Value (in any order, among other columns).</summary>
    internal static IEnumerable<Identity> ReadCsv(string path)
    {
        using var reader = new StreamReader(path);
        var header = Split(reader.ReadLine() ?? throw new InvalidDataException($"{path} is empty."));
        var ns = Array.FindIndex(header, h => h.Equals("Namespace", StringComparison.OrdinalIgnoreCase));
        var value = Array.FindIndex(header, h => h.Equals("Value", StringComparison.OrdinalIgnoreCase));
        if (ns < 0 || value < 0) throw new InvalidDataException($"{path} has no Namespace and Value columns.");
        string? line;
        while ((line = reader.ReadLine()) != null)
        {
            if (line.Length == 0) continue;
            var fields = Split(line);
            yield return new Identity(fields[ns], fields[value]);
        }

        static string[] Split(string line) => line.Split(',').Select(f => f.Length >= 2 && f[0] == '"' && f[^1] == '"' ? f[1..^1] : f).ToArray();
    }

    private static void WriteCsv(string path, int count, string @namespace, string? valuesPath)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        using var values = valuesPath == null ? null : new StreamWriter(valuesPath, append: false, new UTF8Encoding(false));
        writer.Write("Namespace,Value\n");
        for (var i = 0; i < count; i++)
        {
            var value = string.Create(CultureInfo.InvariantCulture, $"user{i:D7}@example.com");
            writer.Write(@namespace + "," + value + "\n");
            values?.Write(value + "\n");
        }
    }

    private static (double Ms, long Count) Timed(Func<long> run)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var watch = Stopwatch.StartNew();
        var count = run();
        return (watch.Elapsed.TotalMilliseconds, count);
    }

    private static void Check(long count, long expected, string what)
    {
        if (count != expected) throw new InvalidOperationException($"The floor's {what} produced {count:N0}, expected {expected:N0}.");
    }

    private static void ReportProcess()
    {
        using var self = Process.GetCurrentProcess();
        Report("process", ("peakWorkingSetMb", self.PeakWorkingSet64 / 1048576.0), ("allocatedMb", GC.GetTotalAllocatedBytes() / 1048576.0));
    }

    private static void Report(string kind, params (string Name, double Value)[] values)
    {
        var fields = values.Select(v => $"\"{v.Name}\":{v.Value.ToString("0.###", CultureInfo.InvariantCulture)}");
        Console.Out.WriteLine($"BENCH {{\"kind\":\"{kind}\",{string.Join(",", fields)}}}");
        Console.Out.Flush();
    }

    /// <summary>--name value pairs.</summary>
    private sealed class Options
    {
        private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

        public static Options Parse(IEnumerable<string> args)
        {
            var options = new Options();
            var list = args.ToList();
            for (var i = 0; i < list.Count; i += 2)
            {
                if (!list[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= list.Count) throw new ArgumentException($"Expected --name value at '{list[i]}'.");
                options._values[list[i].Substring(2)] = list[i + 1];
            }

            return options;
        }

        public bool Has(string name) => _values.ContainsKey(name);

        public string Text(string name, string? fallback = null) =>
            _values.TryGetValue(name, out var value) ? value : fallback ?? throw new ArgumentException($"--{name} is required.");

        public int Number(string name, int? fallback = null) =>
            _values.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback ?? throw new ArgumentException($"--{name} is required.");

        public double Double(string name) => double.Parse(Text(name), CultureInfo.InvariantCulture);
    }
}
