using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;

namespace ProfileJobs.Benchmarks;

/// <summary>
/// Cold <c>Import-Module ProfileJobs</c>: each run is a fresh pwsh process (the repository's local tool, `dotnet pwsh`),
/// timed inside the engine around Import-Module alone. The floor is the same in a fresh process for a minimal
/// binary module (a manifest whose RootModule is this benchmark's assembly, which holds two small cmdlets), also
/// imported by name from PSModulePath: what any binary module costs to import in a cold engine. Both are also measured
/// by manifest path, which skips the engine's search of PSModulePath.
/// </summary>
internal static class ImportScenario
{
    public const string Name = "import";
    public const double TargetMs = 150;

    private const string Report =
        "'MS=' + $ms; 'ASSEMBLIES=' + [AppDomain]::CurrentDomain.GetAssemblies().Count; " +
        "'LOADED=' + (([AppDomain]::CurrentDomain.GetAssemblies() | ForEach-Object { $_.GetName().Name } | " +
        "Where-Object { $_ -like 'ProfileJobs*' -or $_ -like 'Microsoft.Extensions*' -or $_ -like 'Polly*' -or $_ -like 'Microsoft.Bcl*' }) -join ',')";

    public static ScenarioResult Run(bool smoke, TextWriter log)
    {
        var result = new ScenarioResult(Name);
        var floorManifest = WriteFloorModule();
        var runs = smoke ? 1 : 7;
        var module = new Samples();
        var floor = new Samples();
        var modulePath = new Samples();
        var floorPath = new Samples();
        ImportRun? last = null;
        for (var i = 0; i < runs; i++)
        {
            // By name, as a user types it (the engine searches PSModulePath), then by manifest path.
            last = Measure("ProfileJobs");
            module.Add(last.Milliseconds);
            floor.Add(Measure(FloorName).Milliseconds);
            if (!smoke)
            {
                modulePath.Add(Measure($"'{BenchPaths.ModuleManifest}'").Milliseconds);
                floorPath.Add(Measure($"'{floorManifest}'").Milliseconds);
            }

            log.WriteLine($"  import run {i + 1}/{runs}: ProfileJobs {last.Milliseconds:N0} ms, minimal module {floor.Max:N0} ms");
        }

        var loaded = last!.Loaded.OrderBy(n => n, StringComparer.Ordinal).ToList();
        var ownAssemblies = new[] { "ProfileJobs", "ProfileJobs.Types" };
        var onlyModule = loaded.SequenceEqual(ownAssemblies);
        var met = module.Median <= TargetMs;
        result.Rows.Add(new ResultRow(
            "Cold `Import-Module ProfileJobs`, fresh engine process",
            module.Describe("ms"),
            floor.Describe("ms") + " (`Import-Module` of a minimal binary module by name)",
            Ratio(module.Median, floor.Median),
            $"≤ {TargetMs:N0} ms",
            met,
            met ? "met" : $"missed by {module.Median - TargetMs:N0} ms; the minimal module alone takes {floor.Median:N0} ms"));
        result.Rows.Add(new ResultRow(
            "Assemblies loaded by the import",
            string.Join(", ", loaded),
            "–",
            "–",
            "ProfileJobs and its dependency-free ProfileJobs.Types only (client and dependencies on first call)",
            onlyModule,
            onlyModule ? "met" : "missed: " + string.Join(", ", loaded.Where(n => !ownAssemblies.Contains(n)))));
        if (!smoke)
        {
            result.Notes.Add($"By manifest path instead of by name: ProfileJobs {modulePath.Describe("ms")}, the minimal module {floorPath.Describe("ms")}; " +
                             $"finding a module by name on PSModulePath costs the engine about {floor.Median - floorPath.Median:N0} ms more, whatever the module. " +
                             $"ProfileJobs' own share of the import is {module.Median - floor.Median:N0} ms by name, {modulePath.Median - floorPath.Median:N0} ms by path.");
        }

        result.Notes.Add($"The process had {last.AssemblyCount} assemblies loaded after the import.");
        result.Value("median_ms", Samples.Fmt(module.Median, "0.0"));
        result.Value("floor_ms", Samples.Fmt(floor.Median, "0.0"));
        result.Value("loaded", string.Join(",", loaded));
        return result;
    }

    internal static string Ratio(double module, double floor) => (module / floor).ToString("0.00", CultureInfo.InvariantCulture) + "×";

    private sealed record ImportRun(double Milliseconds, int AssemblyCount, IReadOnlyList<string> Loaded);

    private const string FloorName = "ProfileJobsBenchMinimal";

    private static ImportRun Measure(string module)
    {
        var timedPart = $"$sw = [Diagnostics.Stopwatch]::StartNew(); Import-Module {module} -ErrorAction Stop; $ms = $sw.Elapsed.TotalMilliseconds; ";
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The local tool of .config/dotnet-tools.json, found from the repository root.
        start.WorkingDirectory = BenchPaths.RepoRoot;
        start.ArgumentList.Add("pwsh");
        start.ArgumentList.Add("-NoProfile");
        start.ArgumentList.Add("-NonInteractive");
        start.ArgumentList.Add("-Command");
        start.ArgumentList.Add(timedPart + Report);
        // out/ first on PSModulePath, the minimal module's folder after it.
        start.Environment["PSModulePath"] = BenchPaths.ModuleRoot + Path.PathSeparator + FloorRoot;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start pwsh.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(120_000)) process.Kill(entireProcessTree: true);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string Field(string name) =>
            lines.FirstOrDefault(l => l.StartsWith(name + "=", StringComparison.Ordinal))?.Substring(name.Length + 1)
            ?? throw new InvalidOperationException($"pwsh exited with {process.ExitCode} without {name}: {stdout} {stderr.Result}");
        return new ImportRun(
            double.Parse(Field("MS"), CultureInfo.InvariantCulture),
            int.Parse(Field("ASSEMBLIES"), CultureInfo.InvariantCulture),
            Field("LOADED").Split(',', StringSplitOptions.RemoveEmptyEntries));
    }

    private static string FloorRoot { get; } = Path.Combine(Path.GetTempPath(), "ProfileJobs.Benchmarks", "Modules");

    /// <summary>A manifest for the minimal binary module: this assembly as RootModule, exporting its one cmdlet.</summary>
    private static string WriteFloorModule()
    {
        var directory = Path.Combine(FloorRoot, FloorName);
        Directory.CreateDirectory(directory);
        var manifest = Path.Combine(directory, FloorName + ".psd1");
        File.WriteAllText(manifest,
            "@{\n" +
            $"    RootModule = '{BenchPaths.SelfDll.Replace("'", "''", StringComparison.Ordinal)}'\n" +
            "    ModuleVersion = '1.0.0'\n" +
            "    GUID = '0b5a7c0e-8f34-4c2b-9d7e-5a1f3e2d4c6b'\n" +
            "    CmdletsToExport = @('Measure-BenchCount')\n" +
            "    FunctionsToExport = @()\n" +
            "    VariablesToExport = @()\n" +
            "    AliasesToExport = @()\n" +
            "}\n");
        return manifest;
    }
}
