using System.IO;
using ProfileJobs.Tests.Infrastructure;
using Xunit;

namespace ProfileJobs.Tests
{
    /// <summary>The engine host that stands in for pwsh: exit codes, errors, rendering, and the README's demo.</summary>
    public sealed class ShellTests : IClassFixture<UnifiedEmulator>
    {
        private readonly Emulator _server;

        public ShellTests(UnifiedEmulator emulator) => _server = emulator.Server;

        [Fact]
        public void Exit_codes_follow_pwsh()
        {
            Assert.Equal(3, ShellProcess.Run("-Command", "exit 3").ExitCode);
            Assert.Equal(0, ShellProcess.Run("-Command", "Get-Command no-such-command-here").ExitCode);

            var thrown = ShellProcess.Run("-Command", "throw 'boom'");
            Assert.Equal(1, thrown.ExitCode);
            Assert.Contains("boom", thrown.Stderr);
        }

        [Fact]
        public void A_script_file_gets_its_named_parameters()
        {
            var script = Path.Combine(Path.GetTempPath(), $"pj-{System.Guid.NewGuid():N}.ps1");
            File.WriteAllText(script, "param([string]$Name, [switch]$Loud) \"name=$Name loud=$Loud\"");
            try
            {
                var result = ShellProcess.Run("-File", script, "-Name", "x", "-Loud");
                Assert.Equal(0, result.ExitCode);
                Assert.Contains("name=x loud=True", result.Stdout);
            }
            finally
            {
                File.Delete(script);
            }
        }

        [Fact]
        public void The_demo_runs_against_the_emulator_and_shows_formatted_output()
        {
            var result = ShellProcess.Run("-File", Path.Combine(Paths.RepoRoot, "examples", "demo.ps1"),
                "-PlatformUri", _server.BaseUri.ToString(), "-ModulePath", Paths.ModuleManifest,
                "-ClientId", Emulator.ClientId, "-ClientSecret", Emulator.ClientSecret, "-OrgId", Emulator.OrgId);

            Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
            Assert.Matches(@"(?m)^Id\s+State\s+CreatedAt\s+Status\s+Type\b", result.Stdout);
            Assert.Contains("What if: Performing the operation", result.Stdout);
            Assert.Contains("State: Succeeded", result.Stdout);
            Assert.Contains("error JobNotFound,ProfileJobs.Commands.GetProfileSystemJobCommand", result.Stdout);
            Assert.DoesNotContain(Emulator.ClientSecret, result.Stdout);
        }

        [Theory]
        [InlineData("")]
        [InlineData("-DatasetId ALL")]
        public void The_bulk_CSV_example_deletes_the_valid_customers_and_reports_the_broken_row(string mode)
        {
            var script =
                $"Import-Module '{Paths.ModuleManifest}'; " + _server.ConnectScript() + "; " +
                $"& '{Path.Combine(Paths.RepoRoot, "examples", "Remove-CustomersFromCsv.ps1")}' -Path '{Path.Combine(Paths.RepoRoot, "examples", "data", "customers.csv")}' -PollingIntervalSeconds 0.2 -TimeoutSeconds 60 {mode}";
            var result = ShellProcess.Run("-Command", script);

            Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
            Assert.Contains("rejected: Broken Row:", result.Stdout);
            Assert.Contains(mode == "" ? "submitted 4, rejected 1, failed 0" : "submitted 1, rejected 1, failed 0", result.Stdout);
            Assert.Contains("Succeeded: ", result.Stdout);
        }
    }
}
