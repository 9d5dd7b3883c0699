using System;
using System.Linq;
using System.Management.Automation;
using ProfileJobs.Tests.Infrastructure;
using Xunit;

namespace ProfileJobs.Tests
{
    public sealed class ModuleTests : IClassFixture<UnifiedEmulator>
    {
        private static readonly string[] Cmdlets =
        {
            "Connect-ExperiencePlatform", "Disconnect-ExperiencePlatform", "Get-ExperiencePlatformContext",
            "Get-ProfileSystemJob", "New-ProfileDeleteJob", "Remove-ProfileSystemJob", "Wait-ProfileSystemJob",
            "New-HygieneRecordDelete", "Get-HygieneRecordDelete", "Wait-HygieneRecordDelete", "Get-HygieneQuota",
        };

        private readonly Emulator _server;

        public ModuleTests(UnifiedEmulator emulator) => _server = emulator.Server;

        [Fact]
        public void The_manifest_passes_Test_ModuleManifest_and_exports_exactly_the_cmdlets()
        {
            using var session = new PsSession(importModule: false);
            var result = session.Run($"Test-ModuleManifest -Path '{Paths.ModuleManifest}'");

            Assert.Empty(result.Errors);
            var module = Assert.Single(result.Output);
            Assert.Equal("ProfileJobs", module.Properties["Name"].Value);
            var exported = ((System.Collections.IDictionary)module.Properties["ExportedCmdlets"].Value).Keys.Cast<string>().OrderBy(n => n);
            Assert.Equal(Cmdlets.OrderBy(n => n), exported);
        }

        [Fact]
        public void Every_cmdlet_declares_its_output_type()
        {
            using var session = new PsSession();
            foreach (var cmdlet in Cmdlets.Where(c => c != "Disconnect-ExperiencePlatform"))
            {
                var types = session.Run($"(Get-Command {cmdlet}).OutputType.Name").Output.Select(o => (string)o.BaseObject).ToList();
                Assert.NotEmpty(types);
                Assert.All(types, type => Assert.StartsWith("ProfileJobs.", type));
            }
        }

        [Fact]
        public void Destructive_cmdlets_support_WhatIf_Confirm_and_Force_with_high_impact()
        {
            using var session = new PsSession();
            foreach (var cmdlet in new[] { "New-ProfileDeleteJob", "Remove-ProfileSystemJob", "New-HygieneRecordDelete" })
            {
                var result = session.Run($"$c = Get-Command {cmdlet}; $c.Parameters.ContainsKey('WhatIf'); $c.Parameters.ContainsKey('Confirm'); $c.Parameters.ContainsKey('Force'); $c.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact");
                Assert.Equal(new object[] { true, true, true, ConfirmImpact.High }, result.Output.Select(o => o.BaseObject));
            }
        }

        [Fact]
        public void Jobs_render_as_the_default_table_view()
        {
            using var session = new PsSession(width: 200);
            session.Run(_server.ConnectScript());
            var text = session.Render("Get-ProfileSystemJob -First 3");

            var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0).ToList();
            Assert.Matches(@"^Id\s+Type\s+Status\s+DatasetId\s+CreatedAt\s+BatchId$", lines[0]);
            Assert.StartsWith("--", lines[1]);
            Assert.Equal(5, lines.Count);
            Assert.Matches(@" \d{4}-\d\d-\d\d \d\d:\d\d( |$)", lines[2]);
        }

        [Fact]
        public void The_context_renders_without_any_secret()
        {
            using var session = new PsSession(width: 250);
            var text = session.Render(_server.ConnectScript("-PassThru"));

            Assert.Contains(Emulator.ClientId, text);
            Assert.Contains("TokenExpiresOn", text);
            Assert.DoesNotContain(Emulator.ClientSecret, text);
            var tostring = session.Run("\"$(Get-ExperiencePlatformContext)\"").Output.Single().BaseObject as string;
            Assert.Equal($"{Emulator.ClientId} in {Emulator.OrgId} (sandbox prod)", tostring);
            var allProperties = session.Run("(Get-ExperiencePlatformContext).PSObject.Properties | ForEach-Object { \"$($_.Name)=$($_.Value)\" }").Output.Select(o => (string)o.BaseObject);
            Assert.DoesNotContain(allProperties, p => p.Contains(Emulator.ClientSecret));
        }

        [Fact]
        public void Bad_ids_are_refused_at_binding_before_any_request()
        {
            using var session = new PsSession();
            session.Run(_server.ConnectScript());
            var mark = _server.LogPosition();
            foreach (var bad in new[] { "../jobs", "a?b=1", "a#b", "a%2Fb", "a b", "\t", "", new string('a', 129) })
            {
                var result = session.Run("Get-ProfileSystemJob -Id $id", new System.Collections.Generic.Dictionary<string, object?> { ["id"] = bad });
                var error = result.AllErrors.SingleOrDefault();
                Assert.NotNull(error);
                Assert.StartsWith("ParameterArgumentValidationError", error!.FullyQualifiedErrorId);
                Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
            }
            Assert.Empty(_server.ApiRequestsSince(mark));
        }

        /// <summary>The bad-input catalogue: each is refused with a specific error before any request is sent.</summary>
        [Theory]
        [InlineData("Get-ProfileSystemJob -PageSize 0", "ParameterArgumentValidationError")]
        [InlineData("Get-ProfileSystemJob -PageSize 1001", "ParameterArgumentValidationError")]
        [InlineData("Get-ProfileSystemJob -Status Done", "ParameterArgumentValidationError")]
        [InlineData("Wait-ProfileSystemJob -Id abc -Timeout -2", "ParameterArgumentValidationError")]
        [InlineData("Wait-ProfileSystemJob -Id abc -PollingInterval 0", "ParameterArgumentValidationError")]
        [InlineData("New-ProfileDeleteJob -DatasetId 'ds/../x' -Force", "ParameterArgumentValidationError")]
        [InlineData("New-ProfileDeleteJob -DatasetId ds1 -BatchId 'b?x=1' -Force", "ParameterArgumentValidationError")]
        [InlineData("Remove-ProfileSystemJob -Id 'a#b' -Force", "ParameterArgumentValidationError")]
        [InlineData("Get-HygieneRecordDelete -JobId '%2F'", "ParameterArgumentValidationError")]
        [InlineData("Get-HygieneRecordDelete -PageSize 101", "ParameterArgumentValidationError")]
        [InlineData("New-HygieneRecordDelete -Namespace email -Value ('a' + [char]7) -Force", "InvalidIdentity")]
        [InlineData("New-HygieneRecordDelete -Namespace email -Value '   ' -Force", "InvalidIdentity")]
        [InlineData("New-HygieneRecordDelete -Namespace '' -Value x@example.com -Force", "InvalidIdentity")]
        [InlineData("New-HygieneRecordDelete -Namespace email -Value ('a' * 1025) -Force", "InvalidIdentity")]
        [InlineData("New-HygieneRecordDelete -Namespace email -Value x@example.com -IdentityType nonsense -Force", "InvalidIdentity")]
        [InlineData("Connect-ExperiencePlatform -FromEnvironment -MaxRetries 101", "ParameterArgumentValidationError")]
        public void Bad_input_is_refused_before_any_request(string command, string errorIdPrefix)
        {
            using var session = new PsSession();
            session.Run(_server.ConnectScript());
            var mark = _server.LogPosition();
            var result = session.Run(command);

            var error = Assert.Single(result.AllErrors);
            Assert.StartsWith(errorIdPrefix, error.FullyQualifiedErrorId);
            Assert.Contains(error.CategoryInfo.Category, new[] { ErrorCategory.InvalidArgument, ErrorCategory.InvalidData });
            Assert.Empty(result.Output);
            Assert.Empty(_server.ApiRequestsSince(mark));
        }

        [Fact]
        public void Ctrl_C_stops_a_wait_within_a_second()
        {
            using var session = new PsSession();
            session.Run(_server.ConnectScript());
            // A seeded job keeps its status forever (and the oldest comes first), so the wait cannot end on its own.
            var id = (string)session.Run("Get-ProfileSystemJob -Status IN-PROGRESS -First 1").Output.Single().Properties["Id"].Value;

            var (result, stopTook) = session.RunAndStop($"Wait-ProfileSystemJob -Id {id} -PollingInterval 60", TimeSpan.FromMilliseconds(500));

            Assert.IsType<PipelineStoppedException>(result.Terminating);
            Assert.True(stopTook < TimeSpan.FromSeconds(1), $"Stopping took {stopTook.TotalMilliseconds} ms");
        }
    }
}
