using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Xml.Linq;
using ProfileJobs.Tests.Infrastructure;
using Xunit;

namespace ProfileJobs.Tests
{
    /// <summary>
    /// Get-Help for every cmdlet, read through the engine from the built module's en-US/ProfileJobs.dll-Help.xml, and
    /// compared with what the engine itself knows about each cmdlet (Get-Command): so help that drifts from the code fails.
    /// The cmdlet list comes from the module (its manifest and Get-Command), never from a list in this file.
    /// </summary>
    public sealed class HelpTests : IClassFixture<HelpTests.Session>
    {
        private readonly PsSession _session;

        public HelpTests(Session session) => _session = session.Shell;

        /// <summary>One engine with the module imported, shared by the tests of this class (they only read help).</summary>
        public sealed class Session : IDisposable
        {
            public PsSession Shell { get; } = new PsSession(width: 120);
            public void Dispose() => Shell.Dispose();
        }

        /// <summary>The cmdlets the manifest exports (CmdletsToExport), read from the built module folder.</summary>
        public static IEnumerable<object[]> ExportedCmdlets() =>
            ((object[])ReadManifest(Paths.ModuleManifest)["CmdletsToExport"]!).Cast<string>().OrderBy(c => c, StringComparer.Ordinal)
                .Select(c => new object[] { c });

        private static Hashtable ReadManifest(string path)
        {
            var ast = System.Management.Automation.Language.Parser.ParseFile(path, out _, out var errors);
            Assert.Empty(errors);
            var table = (System.Management.Automation.Language.HashtableAst)ast.Find(a => a is System.Management.Automation.Language.HashtableAst, false)!;
            return new Hashtable((Hashtable)table.SafeGetValue(), StringComparer.OrdinalIgnoreCase);
        }

        private static string HelpFile => Path.Combine(Paths.ModuleDirectory, "en-US", "ProfileJobs.dll-Help.xml");

        private IReadOnlyList<string> Lines(string script, string name)
        {
            var result = _session.Run(script, new Dictionary<string, object?> { ["name"] = name });
            Assert.True(result.Terminating == null, $"{name}: {result.Terminating}");
            Assert.True(result.Errors.Count == 0, $"{name}: {string.Join("; ", result.Errors)}");
            return result.Output.Select(o => o?.BaseObject?.ToString() ?? "").ToList();
        }

        [Fact]
        public void Every_command_the_module_exports_has_its_own_help_in_the_module_help_file()
        {
            // Get-Command, not the manifest: a cmdlet that is exported without help fails here.
            var commands = Lines("Get-Command -Module ProfileJobs | ForEach-Object Name", "");
            Assert.Equal(ExportedCmdlets().Select(c => (string)c[0]).OrderBy(c => c, StringComparer.Ordinal), commands.OrderBy(c => c, StringComparer.Ordinal));

            Assert.True(File.Exists(HelpFile), HelpFile);
            XNamespace command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
            var documented = XDocument.Load(HelpFile).Descendants(command + "details").Select(d => d.Element(command + "name")!.Value).ToList();

            var missing = new List<string>();
            foreach (var name in commands)
            {
                if (!documented.Contains(name)) missing.Add($"{name}: not in {HelpFile}");
                // Without MAML help, Get-Help makes up a synopsis from the syntax and has no description or examples.
                var found = Lines("$h = Get-Help $name -Full; $h.Synopsis; @($h.description | Where-Object { $_ }).Count; @($h.examples.example | Where-Object { $_ }).Count", name);
                if (found[0].Trim().StartsWith(name + " ", StringComparison.Ordinal) || found[0].Contains("[<CommonParameters>]", StringComparison.Ordinal)) missing.Add($"{name}: Get-Help shows a generated synopsis");
                if (found[1] == "0" || found[2] == "0") missing.Add($"{name}: Get-Help has no description or examples");
            }
            Assert.True(missing.Count == 0, string.Join("\n", missing));
        }

        [Theory]
        [MemberData(nameof(ExportedCmdlets))]
        public void Full_help_has_a_synopsis_a_description_and_describes_every_parameter(string name)
        {
            var synopsis = Lines("(Get-Help $name -Full).Synopsis", name).Single();
            Assert.False(string.IsNullOrWhiteSpace(synopsis));
            var description = string.Join(" ", Lines("(Get-Help $name -Full).description | ForEach-Object Text", name));
            Assert.False(string.IsNullOrWhiteSpace(description), $"{name} has no description");
            Assert.NotEqual(synopsis.Trim(), description.Trim());

            // Every parameter the engine shows, common parameters excluded (WhatIf, Confirm and the paging ones included).
            var parameters = Lines("(Get-Command $name).Parameters.Keys | Where-Object { $_ -notin [System.Management.Automation.Cmdlet]::CommonParameters }", name);
            var undescribed = parameters.Where(p =>
                string.IsNullOrWhiteSpace(string.Join(" ", Lines($"(Get-Help $name -Parameter '{p}').description | ForEach-Object Text", name)))).ToList();
            Assert.True(undescribed.Count == 0, $"{name}: no description for -{string.Join(", -", undescribed)}");

            // Nothing described that the cmdlet does not have.
            var described = Lines("(Get-Help $name -Full).parameters.parameter | Where-Object { $_ } | ForEach-Object name", name);
            Assert.Equal(parameters.OrderBy(p => p, StringComparer.OrdinalIgnoreCase), described.OrderBy(p => p, StringComparer.OrdinalIgnoreCase));
        }

        [Theory]
        [MemberData(nameof(ExportedCmdlets))]
        public void Help_says_what_the_engine_says_about_parameter_sets_mandatory_position_and_pipeline_input(string name)
        {
            // One syntax block per parameter set, with exactly that set's parameters.
            // (Sorting happens here: Sort-Object is a Utility cmdlet, which the hosted engine does not have.)
            static string Sorted(string names) => string.Join(",", names.Split(',', StringSplitOptions.RemoveEmptyEntries).OrderBy(n => n, StringComparer.OrdinalIgnoreCase));
            var sets = Lines("(Get-Command $name).ParameterSets | ForEach-Object { @($_.Parameters | Where-Object { $_.Name -notin [System.Management.Automation.Cmdlet]::CommonParameters } | ForEach-Object Name) -join ',' }", name)
                .Select(Sorted).Where(s => s.Length > 0).OrderBy(s => s, StringComparer.Ordinal).ToList();
            var syntax = Lines("(Get-Help $name -Full).syntax.syntaxItem | ForEach-Object { @($_.parameter | ForEach-Object name) -join ',' }", name)
                .Select(Sorted).Where(s => s.Length > 0).OrderBy(s => s, StringComparer.Ordinal).ToList();
            Assert.Equal(sets, syntax);

            var engine = Lines(
                "foreach ($p in (Get-Command $name).Parameters.Values) { if ($p.Name -in [System.Management.Automation.Cmdlet]::CommonParameters) { continue }; " +
                "$a = @($p.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] }); " +
                "$pos = @($a | Where-Object { $_.Position -ge 0 } | ForEach-Object Position); " +
                "'{0}|{1}|{2}|{3}' -f $p.Name, [bool]@($a | Where-Object Mandatory).Count, $(if ($pos.Count) { $pos[0] } else { 'named' }), [bool]@($a | Where-Object { $_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName }).Count }", name);
            var help = Lines(
                "(Get-Help $name -Full).parameters.parameter | Where-Object { $_ } | ForEach-Object { '{0}|{1}|{2}|{3}' -f $_.name, ($_.required -eq 'true'), $_.position, ($_.pipelineInput -like 'True*') }", name);
            Assert.Equal(engine.OrderBy(s => s, StringComparer.OrdinalIgnoreCase), help.OrderBy(s => s, StringComparer.OrdinalIgnoreCase));
        }

        [Theory]
        [MemberData(nameof(ExportedCmdlets))]
        public void Help_has_at_least_two_examples_with_a_title_code_and_remarks(string name)
        {
            var examples = Lines(
                "(Get-Help $name -Full).examples.example | ForEach-Object { '{0}|{1}|{2}' -f $_.title.Trim(), $_.code.Trim().Length, (@($_.remarks | ForEach-Object Text) -join ' ').Trim().Length }", name);
            Assert.True(examples.Count >= 2, $"{name} has {examples.Count} example(s)");
            Assert.All(examples, e =>
            {
                var parts = e.Split('|');
                Assert.Matches(@"EXAMPLE \d+: \w", parts[0]);
                Assert.True(int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) > 0, $"{name}: {parts[0]} has no code");
                Assert.True(int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture) > 0, $"{name}: {parts[0]} has no remarks");
            });
        }

        [Theory]
        [MemberData(nameof(ExportedCmdlets))]
        public void Help_names_the_output_types_and_related_cmdlets(string name)
        {
            var declared = Lines("(Get-Command $name).OutputType | ForEach-Object Name | Where-Object { $_ -ne 'System.Void' }", name);
            var outputs = Lines("(Get-Help $name -Full).returnValues.returnValue | ForEach-Object { $_.type.name + '|' + (@($_.description | ForEach-Object Text) -join ' ') }", name);
            var names = outputs.Select(o => o.Split('|')[0]).ToList();
            if (declared.Count == 0) Assert.Equal(new[] { "None" }, names);
            else Assert.Equal(declared.Distinct().OrderBy(n => n, StringComparer.Ordinal), names.OrderBy(n => n, StringComparer.Ordinal));
            Assert.All(outputs, o => Assert.True(o.Split('|')[1].Trim().Length > 0, $"{name}: output {o} is not described"));

            var links = Lines("(Get-Help $name -Full).relatedLinks.navigationLink | ForEach-Object { $_.linkText + '|' + $_.uri }", name);
            var commands = Lines("Get-Command -Module ProfileJobs | ForEach-Object Name", name);
            Assert.Contains(links, l => commands.Contains(l.Split('|')[0]) && l.Split('|')[0] != name);
            Assert.All(links, l => Assert.True(commands.Contains(l.Split('|')[0]) || l.Split('|')[1].StartsWith("https://", StringComparison.Ordinal), $"{name}: related link '{l}' is neither a cmdlet of the module nor a URL"));
        }

        [Theory]
        [MemberData(nameof(ExportedCmdlets))]
        public void Examples_render_as_text_with_numbered_titles(string name)
        {
            var text = _session.Render($"Get-Help {name} -Examples");
            Assert.Contains("EXAMPLE 1", text);
            Assert.Contains("EXAMPLE 2", text);
            Assert.Contains(name, text);
            // The first example's first line of code is there as written (up to the host's line wrapping).
            var code = Lines("(@((Get-Help $name).examples.example)[0].code.Trim() -split \"`n\")[0]", name).Single().Trim();
            Assert.Contains(code.Substring(0, Math.Min(code.Length, 60)), text.Replace("\r", ""), StringComparison.Ordinal);
        }

        [Theory]
        [MemberData(nameof(ExportedCmdlets))]
        public void Examples_parse_call_the_cmdlet_and_use_only_parameters_it_has(string name)
        {
            var codes = _session.Run("(Get-Help $name -Full).examples.example | ForEach-Object { $_.code }", new Dictionary<string, object?> { ["name"] = name })
                .Output.Select(o => o.BaseObject.ToString()!).ToList();
            var moduleCommands = Lines("Get-Command -Module ProfileJobs | ForEach-Object Name", name);
            var parameters = moduleCommands.ToDictionary(c => c, c => Lines(
                "$c = Get-Command $name; $c.Parameters.Values | ForEach-Object { $_.Name; $_.Aliases }", c), StringComparer.OrdinalIgnoreCase);

            foreach (var code in codes)
            {
                var ast = Parser.ParseInput(code, out _, out var errors);
                Assert.True(errors.Length == 0, $"{name}: example does not parse: {string.Join("; ", errors.Select(e => e.Message))}\n{code}");
                var calls = ast.FindAll(a => a is CommandAst, true).Cast<CommandAst>().ToList();
                Assert.True(calls.Any(c => string.Equals(c.GetCommandName(), name, StringComparison.OrdinalIgnoreCase)), $"{name}: an example does not call {name}:\n{code}");
                foreach (var call in calls.Where(c => c.GetCommandName() != null && parameters.ContainsKey(c.GetCommandName())))
                {
                    var known = parameters[call.GetCommandName()];
                    foreach (var parameter in call.CommandElements.OfType<CommandParameterAst>())
                    {
                        var matches = known.Where(k => k.StartsWith(parameter.ParameterName, StringComparison.OrdinalIgnoreCase)).ToList();
                        Assert.True(matches.Any(k => k.Equals(parameter.ParameterName, StringComparison.OrdinalIgnoreCase)) || matches.Count == 1,
                            $"{name}: example calls {call.GetCommandName()} with -{parameter.ParameterName}, which it does not have:\n{code}");
                    }
                }
            }
        }

        [Fact]
        public void The_help_compiler_fails_when_a_cmdlet_or_parameter_has_no_description_or_too_few_examples()
        {
            var temp = Directory.CreateTempSubdirectory("profilejobs-help-");
            try
            {
                var obj = Path.Combine(Paths.RepoRoot, "src", "ProfileJobs", "obj", Paths.Configuration, "netstandard2.0");
                var docs = XDocument.Load(Path.Combine(obj, "ProfileJobs.xml"));
                XElement Member(string id) => docs.Descendants("member").Single(m => (string)m.Attribute("name")! == id);
                Member("P:ProfileJobs.Commands.NewProfileDeleteJobCommand.BatchId").Element("summary")!.Remove();
                Member("T:ProfileJobs.Commands.GetHygieneQuotaCommand").Element("summary")!.Elements("para")
                    .Where(p => (string?)p.Attribute("type") == "synopsis").Remove();
                var brokenDocs = Path.Combine(temp.FullName, "ProfileJobs.xml");
                docs.Save(brokenDocs);

                var pages = Directory.CreateDirectory(Path.Combine(temp.FullName, "help"));
                foreach (var page in Directory.GetFiles(Path.Combine(Paths.RepoRoot, "docs", "help"), "*.md"))
                {
                    if (Path.GetFileName(page) == "Get-ExperiencePlatformContext.md") continue;
                    File.Copy(page, Path.Combine(pages.FullName, Path.GetFileName(page)));
                }
                // Wait-ProfileSystemJob gets a page with one example only.
                File.WriteAllText(Path.Combine(pages.FullName, "Wait-ProfileSystemJob.md"), string.Join("\n",
                    "# Wait-ProfileSystemJob", "", "## Examples", "", "### Wait", "", "```powershell", "Wait-ProfileSystemJob -Id 66c676c5", "```", "",
                    "Waits.", "", "## Outputs", "", "### ProfileJobs.ProfileSystemJob", "", "The jobs.", "", "## Related links", "", "- Get-ProfileSystemJob", ""));
                var output = Path.Combine(temp.FullName, "out", "ProfileJobs.dll-Help.xml");

                var (exit, stdout) = RunCompiler(brokenDocs, pages.FullName, output, obj);
                Assert.True(exit == 1, stdout);
                Assert.Contains("error HELP022: New-ProfileDeleteJob", stdout);
                Assert.Contains("-BatchId has no description", stdout);
                Assert.Contains("error HELP020: Get-HygieneQuota", stdout);
                Assert.Contains("error HELP030: Get-ExperiencePlatformContext has no help page", stdout);
                Assert.Contains("error HELP032: Wait-ProfileSystemJob has 1 example(s)", stdout);
                Assert.False(File.Exists(output));

                // The real sources compile.
                var (ok, okOutput) = RunCompiler(Path.Combine(obj, "ProfileJobs.xml"), Path.Combine(Paths.RepoRoot, "docs", "help"), output, obj);
                Assert.True(ok == 0, okOutput);
                Assert.True(File.Exists(output));
            }
            finally
            {
                temp.Delete(recursive: true);
            }
        }

        private static (int ExitCode, string Stdout) RunCompiler(string docs, string helpDirectory, string output, string obj)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[]
                     {
                         Path.Combine(Paths.RepoRoot, "tools", "HelpCompiler", "bin", Paths.Configuration, "net10.0", "HelpCompiler.dll"),
                         "--assembly", Path.Combine(Paths.RepoRoot, "src", "ProfileJobs", "bin", Paths.Configuration, "netstandard2.0", "ProfileJobs.dll"),
                         "--doc", docs, "--help-dir", helpDirectory, "--references", Path.Combine(obj, "help-references.txt"), "--out", output,
                     })
            {
                start.ArgumentList.Add(argument);
            }
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(60_000), "HelpCompiler did not finish in a minute");
            return (process.ExitCode, stdout.Result + stderr.Result);
        }
    }
}
