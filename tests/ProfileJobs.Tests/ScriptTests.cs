using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation.Language;
using ProfileJobs.Tests.Infrastructure;
using Xunit;

namespace ProfileJobs.Tests
{
    /// <summary>Pester cannot run here, so every script in the repository is at least parsed and checked for structure.</summary>
    public sealed class ScriptTests
    {
        public static IEnumerable<object[]> Scripts() =>
            Directory.EnumerateFiles(Paths.RepoRoot, "*.ps1", SearchOption.AllDirectories)
                .Where(p => !p.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar) &&
                            !p.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar) &&
                            !p.Contains(Path.DirectorySeparatorChar + "out" + Path.DirectorySeparatorChar))
                .Select(p => new object[] { Path.GetRelativePath(Paths.RepoRoot, p) });

        [Theory]
        [MemberData(nameof(Scripts))]
        public void Every_script_parses(string relativePath)
        {
            Parser.ParseFile(Path.Combine(Paths.RepoRoot, relativePath), out _, out var errors);
            Assert.True(errors.Length == 0, string.Join(Environment.NewLine, errors.Select(e => $"{e.ErrorId} at {e.Extent.StartLineNumber}:{e.Extent.StartColumnNumber}: {e.Message}")));
        }

        [Fact]
        public void There_are_pester_tests_and_every_It_asserts_with_Should()
        {
            var files = Directory.GetFiles(Path.Combine(Paths.RepoRoot, "tests", "pester"), "*.Tests.ps1");
            Assert.NotEmpty(files);
            var its = 0;
            foreach (var file in files)
            {
                var ast = Parser.ParseFile(file, out _, out _);
                var describes = ast.FindAll(a => a is CommandAst c && c.GetCommandName() == "Describe", true).ToList();
                Assert.True(describes.Count > 0, $"{file} has no Describe");
                foreach (CommandAst it in ast.FindAll(a => a is CommandAst c && c.GetCommandName() == "It", true))
                {
                    its++;
                    var hasShould = it.FindAll(a => a is CommandAst c && c.GetCommandName() == "Should", true).Any();
                    Assert.True(hasShould, $"{Path.GetFileName(file)}:{it.Extent.StartLineNumber}: It '{it.CommandElements.ElementAtOrDefault(1)}' has no Should");
                }
            }
            Assert.True(its >= 10, $"only {its} It blocks");
        }

        [Fact]
        public void Every_exported_cmdlet_has_a_Pester_Describe()
        {
            var described = Directory.GetFiles(Path.Combine(Paths.RepoRoot, "tests", "pester"), "*.Tests.ps1")
                .SelectMany(f => Parser.ParseFile(f, out _, out _).FindAll(a => a is CommandAst c && c.GetCommandName() == "Describe", true))
                .Select(d => ((CommandAst)d).CommandElements[1].Extent.Text.Trim('\'', '"'))
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
            using var session = new PsSession();
            var exported = session.Run("(Get-Module ProfileJobs).ExportedCmdlets.Keys").Output.Select(o => (string)o.BaseObject);
            Assert.All(exported, name => Assert.Contains(name, described));
        }
    }
}
