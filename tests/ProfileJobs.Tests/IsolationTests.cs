using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using ProfileJobs.Tests.Infrastructure;
using Xunit;

namespace ProfileJobs.Tests
{
    /// <summary>
    /// Assembly loads cannot be undone inside the test process, so these run the engine host as a child process,
    /// the way a user's pwsh would load the module after some other module.
    /// </summary>
    public sealed class IsolationTests : IClassFixture<UnifiedEmulator>
    {
        private readonly Emulator _server;

        public IsolationTests(UnifiedEmulator emulator) => _server = emulator.Server;

        [Fact]
        public void The_module_works_after_another_module_loaded_an_older_Microsoft_Extensions_assembly()
        {
            Assert.True(File.Exists(Paths.OldDependencyInjectionAbstractions), Paths.OldDependencyInjectionAbstractions);
            var script =
                $"$old = [System.Reflection.Assembly]::LoadFrom('{Paths.OldDependencyInjectionAbstractions}'); " +
                "Import-Module ProfileJobs; " +
                _server.ConnectScript() + "; " +
                "$jobs = @(Get-ProfileSystemJob -First 2 -Verbose); " +
                "$loaded = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Microsoft.Extensions.DependencyInjection.Abstractions' } | ForEach-Object { $_.GetName().Version.ToString() }; " +
                "\"jobs=$($jobs.Count) versions=$($loaded -join ',')\"";

            var (exitCode, stdout, stderr) = ShellProcess.Run("-Command", script);

            Assert.True(exitCode == 0, stderr);
            Assert.Contains("jobs=2", stdout);
            Assert.Contains("6.0.0.0", stdout);
            Assert.Contains("10.0.0.0", stdout);
        }
    }

    public sealed class ConcurrentImportTests
    {
        [Fact]
        public void Runspaces_importing_the_module_at_the_same_time_in_a_fresh_process_all_reach_the_client()
        {
            // Every runspace's first call goes through the client assembly (the NotConnected check reads the context
            // type), so a runspace that returned from Import-Module before the resolver was registered would fail here.
            var script =
                $"$ids = 1..16 | ForEach-Object -ThrottleLimit 8 -Parallel {{ Import-Module '{Paths.ModuleManifest}'; " +
                "try { Get-ProfileSystemJob -ErrorAction Stop } catch { $_.FullyQualifiedErrorId } }; " +
                "\"distinct=$(@($ids | ForEach-Object { $_ }) -join '|')\"";

            var (exitCode, stdout, stderr) = ShellProcess.Run("-Command", script);

            Assert.True(exitCode == 0, stderr);
            var line = stdout.Split('\n').Single(l => l.StartsWith("distinct=", StringComparison.Ordinal)).Trim();
            var ids = line.Substring("distinct=".Length).Split('|');
            Assert.Equal(16, ids.Length);
            Assert.All(ids, id => Assert.Equal("NotConnected,ProfileJobs.Commands.GetProfileSystemJobCommand", id));
        }
    }

    internal static class ShellProcess
    {
        public static (int ExitCode, string Stdout, string Stderr) Run(params string[] arguments)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(Paths.ShellDll);
            foreach (var argument in arguments) start.ArgumentList.Add(argument);
            start.Environment["PROFILEJOBS_MODULE_ROOT"] = Path.GetDirectoryName(Paths.ModuleDirectory)!;
            start.Environment["COLUMNS"] = "200";
            using var process = Process.Start(start)!;
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(120_000))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("The shell did not finish in 120 s.");
            }
            return (process.ExitCode, stdout.Result, stderr.Result);
        }
    }
}
