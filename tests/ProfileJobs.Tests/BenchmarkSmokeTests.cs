using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using ProfileJobs.Tests.Infrastructure;
using Xunit;

namespace ProfileJobs.Tests
{
    /// <summary>
    /// The benchmarks (benchmarks/ProfileJobs.Benchmarks, docs/benchmarks.md) at smoke sizes, so that they cannot rot:
    /// every scenario must run to the end and get the counts right. The numbers themselves are not checked here.
    /// </summary>
    public sealed class BenchmarkSmokeTests
    {
        private static readonly string[] Scenarios = { "import", "list", "hygiene-jobs", "hygiene-workorders", "per-call", "emulator" };

        private static string BenchmarkDll =>
            Path.Combine(Paths.RepoRoot, "benchmarks", "ProfileJobs.Benchmarks", "bin", Paths.Configuration, "net10.0", "ProfileJobs.Benchmarks.dll");

        [Fact]
        public void Every_benchmark_scenario_runs_at_smoke_size_and_counts_right()
        {
            Assert.True(File.Exists(BenchmarkDll), $"{BenchmarkDll} is missing: build the solution (dotnet build ProfileJobs.sln -c {Paths.Configuration}).");
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(BenchmarkDll);
            start.ArgumentList.Add("--smoke");

            var stdout = new StringBuilder();
            var stderr = new StringBuilder();
            using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the benchmarks.");
            process.OutputDataReceived += (_, e) => { lock (stdout) stdout.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { lock (stderr) stderr.AppendLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (!process.WaitForExit(180_000))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail("The smoke benchmarks did not finish within 3 minutes:\n" + stdout);
            }

            process.WaitForExit();
            var output = stdout.ToString();
            Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}\n{output}\n{stderr}");
            Assert.DoesNotContain("FAILED", output);
            foreach (var scenario in Scenarios)
            {
                Assert.Contains($"RESULT {scenario} ", output);
            }

            // The counts the smoke sizes must produce (the benchmark itself fails on any other count).
            Assert.Contains("RESULT list count=1000 ", output);
            Assert.Contains("identities=20000 ", output);
            Assert.Contains("RESULT per-call calls=50 ", output);
            Assert.Contains("loaded=ProfileJobs,ProfileJobs.Types ", output);
        }
    }
}
