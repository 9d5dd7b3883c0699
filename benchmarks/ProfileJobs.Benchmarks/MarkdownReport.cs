using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace ProfileJobs.Benchmarks;

/// <summary>Writes the results between the markers of docs/benchmarks.md, leaving the hand-written text around them.</summary>
internal static class MarkdownReport
{
    public const string Begin = "<!-- benchmark-results:begin (written by benchmarks/ProfileJobs.Benchmarks; do not edit by hand) -->";
    public const string End = "<!-- benchmark-results:end -->";

    public static void Write(string path, MachineInfo machine, IReadOnlyList<ScenarioResult> results, bool smoke, IReadOnlyList<string> selected)
    {
        var block = Render(machine, results, smoke, selected);
        var existing = File.Exists(path) ? File.ReadAllText(path) : null;
        string text;
        var begin = existing?.IndexOf("<!-- benchmark-results:begin", StringComparison.Ordinal) ?? -1;
        var end = existing?.IndexOf(End, StringComparison.Ordinal) ?? -1;
        if (existing != null && begin >= 0 && end > begin)
        {
            text = existing.Substring(0, begin) + block + existing.Substring(end + End.Length);
        }
        else
        {
            text = "# Benchmarks\n\n" + block + "\n" + (existing ?? "");
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory != null) Directory.CreateDirectory(directory);
        File.WriteAllText(path, text);
    }

    private static string Render(MachineInfo machine, IReadOnlyList<ScenarioResult> results, bool smoke, IReadOnlyList<string> selected)
    {
        var md = new StringBuilder();
        md.Append(Begin).Append('\n');
        md.Append('\n');
        md.Append($"Measured {machine.Started:yyyy-MM-dd HH:mm} UTC on commit `{machine.Commit}` (plus any uncommitted changes in the working tree), ");
        md.Append($"in {machine.Duration.TotalMinutes:0.0} minutes");
        if (smoke) md.Append(", **smoke sizes only: not results**");
        if (selected.Count > 0) md.Append($", scenarios {string.Join(", ", selected)} only");
        md.Append(".\n\n");
        md.Append("| machine | |\n|---|---|\n");
        md.Append($"| CPU | {machine.Cpu}, {machine.Cores} logical cores |\n");
        md.Append($"| memory | {machine.Memory} |\n");
        md.Append($"| OS | {machine.Os} |\n");
        md.Append($"| .NET | {machine.Runtime} |\n");
        md.Append($"| PowerShell | {machine.PowerShell} (System.Management.Automation from NuGet, hosted in the benchmark; cold import in pwsh, the repository's dotnet tool) |\n");
        md.Append($"| load average (1, 5, 15 min) | {machine.LoadAtStart} at the start, {machine.LoadAtEnd} at the end |\n");
        md.Append('\n');
        md.Append("| scenario | ProfileJobs | floor | ratio | target | verdict |\n|---|---|---|---|---|---|\n");
        foreach (var row in results.SelectMany(r => r.Rows))
        {
            var verdict = row.Met switch { true => "✅ " + row.Verdict, false => "❌ " + row.Verdict, _ => row.Verdict };
            md.Append($"| {Cell(row.Scenario)} | {Cell(row.Module)} | {Cell(row.Floor)} | {Cell(row.Ratio)} | {Cell(row.Target)} | {Cell(verdict)} |\n");
        }

        md.Append('\n');
        md.Append("Times are medians of repeated runs with the spread (fastest–slowest) and the number of runs in brackets. ");
        md.Append("The module and its floor ran alternately in the same process against the same emulator, so both saw the same machine load.\n\n");
        var notes = results.Where(r => r.Notes.Count > 0).ToList();
        if (notes.Count > 0)
        {
            md.Append("Measured alongside:\n\n");
            foreach (var result in notes)
            {
                foreach (var note in result.Notes) md.Append($"- `{result.Name}`: {note}\n");
            }

            md.Append('\n');
        }

        var loads = results.SelectMany(r => r.Loads).GroupBy(l => l.Scenario).ToList();
        var capacity = results.FirstOrDefault(r => r.Name == EmulatorScenario.Name)?.Values.FirstOrDefault(v => v.Key == "requests_per_second").Value;
        if (loads.Count > 0)
        {
            md.Append("The emulator while the module ran (its CPU time over the run's wall time; 1.00 = one core busy all the time)");
            md.Append(capacity != null ? $"; it serves {double.Parse(capacity, System.Globalization.CultureInfo.InvariantCulture):N0} simple requests/s when pushed:\n\n" : ":\n\n");
            md.Append("| scenario | requests per run | module's request rate | emulator CPU (cores) |\n|---|---|---|---|\n");
            foreach (var group in loads)
            {
                var rate = Median(group.Select(l => l.RequestsPerSecond));
                var share = Median(group.Select(l => l.CoreShare));
                md.Append($"| {group.Key} | {group.First().Requests:N0} | {rate:N0}/s | {share:0.00} |\n");
            }

            md.Append('\n');
        }

        md.Append(End);
        return md.ToString();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
