using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;

namespace ProfileJobs.Benchmarks;

/// <summary>The machine and build the numbers belong to.</summary>
internal sealed class MachineInfo
{
    public required DateTimeOffset Started { get; init; }
    public required string Cpu { get; init; }
    public required int Cores { get; init; }
    public required string Memory { get; init; }
    public required string Os { get; init; }
    public required string Runtime { get; init; }
    public required string PowerShell { get; init; }
    public required string Commit { get; init; }
    public required string LoadAtStart { get; init; }
    public string LoadAtEnd { get; private set; } = "";
    public TimeSpan Duration { get; private set; }

    public string Summary => $"{Cores} cores, {Memory}, {Os}, {Runtime}, PowerShell {PowerShell}, load {LoadAtStart}";

    public static MachineInfo Capture() => new()
    {
        Started = DateTimeOffset.UtcNow,
        Cpu = ReadField("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
        Cores = Environment.ProcessorCount,
        Memory = MemoryText(),
        Os = OsText(),
        Runtime = RuntimeInformation.FrameworkDescription,
        PowerShell = typeof(PSObject).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+', ' ')[0]
                     ?? typeof(PSObject).Assembly.GetName().Version?.ToString() ?? "?",
        Commit = GitCommit(),
        LoadAtStart = LoadAverage(),
    };

    public void Finish()
    {
        LoadAtEnd = LoadAverage();
        Duration = DateTimeOffset.UtcNow - Started;
    }

    private static string MemoryText()
    {
        var kb = ReadField("/proc/meminfo", "MemTotal")?.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        if (kb != null && long.TryParse(kb, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return (value / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " GiB";
        }

        return (GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1073741824.0).ToString("0.0", CultureInfo.InvariantCulture) + " GiB";
    }

    private static string OsText()
    {
        var pretty = ReadField("/etc/os-release", "PRETTY_NAME", '=')?.Trim('"');
        return pretty != null ? $"{pretty} ({RuntimeInformation.OSDescription.Split(' ').Take(2).Aggregate((a, b) => a + " " + b)}, {RuntimeInformation.OSArchitecture})" : RuntimeInformation.OSDescription;
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
        catch (UnauthorizedAccessException)
        {
            return "n/a";
        }
    }

    private static string? ReadField(string path, string name, char separator = ':')
    {
        try
        {
            if (!File.Exists(path)) return null;
            foreach (var line in File.ReadLines(path))
            {
                var at = line.IndexOf(separator, StringComparison.Ordinal);
                if (at > 0 && line.Substring(0, at).Trim() == name) return line.Substring(at + 1).Trim();
            }
        }
        catch (IOException)
        {
        }

        return null;
    }

    /// <summary>The commit the working tree is on (read-only: git rev-parse).</summary>
    private static string GitCommit()
    {
        try
        {
            var start = new ProcessStartInfo("git", "rev-parse --short HEAD")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = BenchPaths.RepoRoot,
            };
            using var git = Process.Start(start);
            if (git == null) return "unknown";
            var text = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 && text.Length > 0 ? text : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }
}
