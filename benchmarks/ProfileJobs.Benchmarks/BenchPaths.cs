using System;
using System.IO;
using System.Linq;
using System.Reflection;

namespace ProfileJobs.Benchmarks;

/// <summary>Where the built artefacts are, as recorded at build time (the same scheme as the tests' Paths).</summary>
internal static class BenchPaths
{
    private static string Metadata(string key) =>
        typeof(BenchPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"No {key} metadata.");

    public static string RepoRoot { get; } = Path.GetFullPath(Metadata("RepoRoot"));
    public static string Configuration { get; } = Metadata("Configuration");
    public static string ModuleRoot { get; } = Path.Combine(RepoRoot, "out");
    public static string ModuleManifest { get; } = Path.Combine(ModuleRoot, "ProfileJobs", "ProfileJobs.psd1");

    public static string EmulatorDll { get; } =
        Path.Combine(RepoRoot, "src", "ProfileJobs.Emulator", "bin", Configuration, "net10.0", "ProfileJobs.Emulator.dll");

    /// <summary>This program, for the child processes that measure memory in a fresh process.</summary>
    public static string SelfDll { get; } = typeof(BenchPaths).Assembly.Location;

    public static void RequireBuilt()
    {
        foreach (var path in new[] { ModuleManifest, EmulatorDll })
        {
            if (!File.Exists(path)) throw new InvalidOperationException($"{path} is missing: build first (dotnet build ProfileJobs.sln -c {Configuration}).");
        }
    }
}
