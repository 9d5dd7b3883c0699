using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace ProfileJobs.Benchmarks;

/// <summary>
/// dotnet run --project benchmarks/ProfileJobs.Benchmarks -c Release -- [--smoke] [--scenario name]... [--out docs/benchmarks.md]
/// </summary>
public static class Program
{
    private static readonly (string Name, Func<bool, TextWriter, ScenarioResult> Run)[] Scenarios =
    {
        (ImportScenario.Name, ImportScenario.Run),
        (ListScenario.Name, ListScenario.Run),
        (HygieneScenario.JobsName, HygieneScenario.RunJobs),
        (HygieneScenario.WorkOrdersName, HygieneScenario.RunWorkOrders),
        (PerCallScenario.Name, PerCallScenario.Run),
        (EmulatorScenario.Name, EmulatorScenario.Run),
    };

    private const string Usage = """
        ProfileJobs.Benchmarks - end-to-end timings of the module against a plain HttpClient + System.Text.Json floor.

        Usage: dotnet run --project benchmarks/ProfileJobs.Benchmarks -c Release -- [options]

          --smoke            Every scenario at tiny sizes, once: checks that they run and count right (CI).
          --scenario NAME    Run only this scenario (repeatable, or comma separated):
                             import, list, hygiene-jobs, hygiene-workorders, per-call, emulator.
          --out FILE         Write the results into FILE between its benchmark markers (created if missing).
          -h, --help         This text.

        Each scenario prints one line "RESULT <name> key=value ..."; the exit code is 0 when every scenario ran.
        """;

    public static int Main(string[] args)
    {
        var smoke = false;
        string? output = null;
        var selected = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--smoke":
                    smoke = true;
                    break;
                case "--scenario" when i + 1 < args.Length:
                    selected.AddRange(args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    break;
                case "--out" when i + 1 < args.Length:
                    output = args[++i];
                    break;
                case "--child" when i + 1 < args.Length && args[i + 1] == "list-memory":
                    return ChildMain(args.Skip(i + 2).ToArray());
                case "--child" when i + 1 < args.Length && args[i + 1] == "profile":
                    return ProfileChild.Run(args.Skip(i + 2).ToArray());
                case "-h":
                case "--help":
                    Console.Out.WriteLine(Usage);
                    return 0;
                default:
                    Console.Error.WriteLine($"Unknown or incomplete argument '{args[i]}'.");
                    Console.Error.WriteLine(Usage);
                    return 2;
            }
        }

        var unknown = selected.Where(s => Scenarios.All(x => x.Name != s)).ToList();
        if (unknown.Count > 0)
        {
            Console.Error.WriteLine($"Unknown scenario {string.Join(", ", unknown)}; known: {string.Join(", ", Scenarios.Select(s => s.Name))}.");
            return 2;
        }

        BenchPaths.RequireBuilt();
        var machine = MachineInfo.Capture();
        Console.Out.WriteLine($"ProfileJobs benchmarks{(smoke ? " (smoke)" : "")}: {machine.Summary}");
        var results = new List<ScenarioResult>();
        var failed = 0;
        var total = Stopwatch.StartNew();
        foreach (var (name, run) in Scenarios.Where(s => selected.Count == 0 || selected.Contains(s.Name)))
        {
            Console.Out.WriteLine($"== {name}");
            var watch = Stopwatch.StartNew();
            try
            {
                var result = run(smoke, Console.Out);
                results.Add(result);
                Console.Out.WriteLine($"RESULT {name} " + string.Join(" ", result.Values.Select(v => $"{v.Key}={v.Value}")) + $" seconds={watch.Elapsed.TotalSeconds:0.0}");
                foreach (var row in result.Rows) Console.Out.WriteLine($"   {row.Scenario}: {row.Module} vs {row.Floor} -> {row.Ratio}, target {row.Target}: {row.Verdict}");
                foreach (var note in result.Notes) Console.Out.WriteLine($"   note: {note}");
            }
            catch (Exception ex)
            {
                failed++;
                Console.Out.WriteLine($"FAILED {name}: {ex}");
            }

            Console.Out.Flush();
        }

        machine.Finish();
        Console.Out.WriteLine($"Done in {total.Elapsed.TotalSeconds:N0} s; {results.Count} scenario(s) ran, {failed} failed.");
        if (output != null && failed == 0)
        {
            MarkdownReport.Write(output, machine, results, smoke, selected);
            Console.Out.WriteLine($"Wrote {Path.GetFullPath(output)}.");
        }

        return failed == 0 ? 0 : 1;
    }

    private static int ChildMain(string[] args)
    {
        string? url = null, runner = "module";
        var warmups = 0;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (args[i] == "--url") url = args[i + 1];
            else if (args[i] == "--runner") runner = args[i + 1];
            else if (args[i] == "--warmups") warmups = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture);
        }

        if (url == null) throw new ArgumentException("--child list-memory needs --url.");
        return ListScenario.ChildMain(new Uri(url), runner, warmups);
    }
}
