using System;
using System.IO;
using System.Linq;
using System.Reflection;

namespace ProfileJobs.Tests.Infrastructure
{
    /// <summary>Where the built artefacts are, as recorded by the test project at build time.</summary>
    internal static class Paths
    {
        private static string Metadata(string key) =>
            typeof(Paths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
            ?? throw new InvalidOperationException($"No {key} metadata.");

        public static string RepoRoot { get; } = Path.GetFullPath(Metadata("RepoRoot"));
        public static string Configuration { get; } = Metadata("Configuration");
        public static string ModuleDirectory { get; } = Path.Combine(RepoRoot, "out", "ProfileJobs");
        public static string ModuleManifest { get; } = Path.Combine(ModuleDirectory, "ProfileJobs.psd1");

        public static string EmulatorDll { get; } =
            Path.Combine(RepoRoot, "src", "ProfileJobs.Emulator", "bin", Configuration, "net10.0", "ProfileJobs.Emulator.dll");
    }
}
