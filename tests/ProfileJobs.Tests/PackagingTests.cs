using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Management.Automation.Language;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using ProfileJobs.Tests.Infrastructure;
using Xunit;

namespace ProfileJobs.Tests
{
    /// <summary>
    /// build.ps1 -Task Package: the Azure Automation zip and the PowerShell Gallery .nupkg, checked entry by entry and
    /// then used: each is unpacked the way its consumer does and the module is imported from it in a fresh engine.
    /// The imports run in child processes (the project's shell): ProfileJobs.dll cannot be loaded into the test
    /// process from a second folder ("Assembly with same name is already loaded"), and loading it from a temporary
    /// folder first would break every other test that imports out/ProfileJobs.
    /// </summary>
    public sealed class PackagingTests : IClassFixture<PackagingTests.Packages>
    {
        // The cmdlets the built manifest exports (the packages must carry exactly these), checked to hold the
        // original seven.
        private static readonly string[] ExportedCmdlets = ((object[])ReadManifest(Paths.ModuleManifest)["CmdletsToExport"]!)
            .Cast<string>().OrderBy(c => c, StringComparer.Ordinal).ToArray();

        private static readonly string[] CoreCmdlets =
        {
            "Connect-ExperiencePlatform", "Disconnect-ExperiencePlatform", "Get-ExperiencePlatformContext", "Get-ProfileSystemJob",
            "New-ProfileDeleteJob", "Remove-ProfileSystemJob", "Wait-ProfileSystemJob",
        };

        private readonly Packages _packages;

        public PackagingTests(Packages packages) => _packages = packages;

        [Fact]
        public void Package_writes_both_archives_to_the_output_directory_and_prints_their_paths_size_and_file_count()
        {
            var (exitCode, stdout, stderr) = _packages.Result;
            Assert.True(exitCode == 0, stdout + stderr);
            Assert.True(File.Exists(_packages.ZipPath), stdout);
            Assert.True(File.Exists(_packages.NupkgPath), stdout);
            Assert.Contains(_packages.ZipPath, stdout);
            Assert.Contains(_packages.NupkgPath, stdout);
            Assert.Contains($"with {ModuleFiles().Count} files", stdout);
            Assert.Matches(@"\d+(\.\d+)? KB = \d+\.\d\d MB", stdout);
        }

        [Fact]
        public void Automation_zip_holds_the_module_folder_at_its_root_with_every_module_file_unchanged()
        {
            using var zip = ZipFile.OpenRead(_packages.ZipPath);
            var entries = zip.Entries.ToDictionary(e => e.FullName, StringComparer.Ordinal);

            Assert.All(entries.Keys, name => Assert.StartsWith("ProfileJobs/", name, StringComparison.Ordinal));
            Assert.All(entries.Keys, name => Assert.DoesNotContain('\\', name));
            Assert.All(entries.Keys, name => Assert.True(name.Length < 140, $"{name} is {name.Length} characters"));
            Assert.Contains("ProfileJobs/ProfileJobs.psd1", entries.Keys);
            Assert.Contains("ProfileJobs/ProfileJobs.dll", entries.Keys);
            Assert.Contains("ProfileJobs/ProfileJobs.format.ps1xml", entries.Keys);
            Assert.Contains("ProfileJobs/Dependencies/ProfileJobs.Client.dll", entries.Keys);

            var files = ModuleFiles();
            Assert.Equal(files.Keys.Select(k => "ProfileJobs/" + k).OrderBy(k => k, StringComparer.Ordinal), entries.Keys.OrderBy(k => k, StringComparer.Ordinal));
            foreach (var (relative, path) in files)
            {
                Assert.True(File.ReadAllBytes(path).AsSpan().SequenceEqual(Read(entries["ProfileJobs/" + relative])), $"{relative} differs");
            }
            Assert.All(zip.Entries, e => Assert.NotEqual(0xA000, (e.ExternalAttributes >> 16) & 0xF000)); // no symbolic links
            Assert.True(new FileInfo(_packages.ZipPath).Length < 100L * 1024 * 1024);
        }

        [Fact]
        public void Nupkg_has_the_nuspec_and_the_module_files_at_its_root_and_the_package_parts_NuGet_writes()
        {
            using var nupkg = ZipFile.OpenRead(_packages.NupkgPath);
            var entries = nupkg.Entries.ToDictionary(e => e.FullName, StringComparer.Ordinal);

            Assert.Contains("ProfileJobs.nuspec", entries.Keys);
            Assert.Contains("[Content_Types].xml", entries.Keys);
            Assert.Contains("_rels/.rels", entries.Keys);
            var coreProperties = Assert.Single(entries.Keys, k => k.StartsWith("package/services/metadata/core-properties/", StringComparison.Ordinal) && k.EndsWith(".psmdcp", StringComparison.Ordinal));

            var files = ModuleFiles();
            foreach (var (relative, path) in files)
            {
                Assert.True(entries.ContainsKey(relative), $"{relative} is not at the package root");
                Assert.True(File.ReadAllBytes(path).AsSpan().SequenceEqual(Read(entries[relative])), $"{relative} differs");
            }
            var packageParts = new[] { "ProfileJobs.nuspec", "[Content_Types].xml", "_rels/.rels", coreProperties };
            Assert.Equal(files.Count + packageParts.Length, entries.Count);

            XNamespace types = "http://schemas.openxmlformats.org/package/2006/content-types";
            var defaults = Xml(entries["[Content_Types].xml"]).Root!.Elements(types + "Default")
                .ToDictionary(d => (string)d.Attribute("Extension")!, d => (string)d.Attribute("ContentType")!);
            Assert.Equal("application/vnd.openxmlformats-package.relationships+xml", defaults["rels"]);
            Assert.Equal("application/vnd.openxmlformats-package.core-properties+xml", defaults["psmdcp"]);
            foreach (var extension in new[] { "nuspec", "psd1", "dll", "ps1xml" }) Assert.Equal("application/octet", defaults[extension]);

            XNamespace rels = "http://schemas.openxmlformats.org/package/2006/relationships";
            var targets = Xml(entries["_rels/.rels"]).Root!.Elements(rels + "Relationship")
                .ToDictionary(r => (string)r.Attribute("Type")!, r => (string)r.Attribute("Target")!);
            Assert.Equal("/ProfileJobs.nuspec", targets["http://schemas.microsoft.com/packaging/2010/07/manifest"]);
            Assert.Equal("/" + coreProperties, targets["http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"]);
        }

        [Fact]
        public void Nuspec_has_the_id_version_authors_description_and_the_tags_PowerShellGet_writes()
        {
            using var nupkg = ZipFile.OpenRead(_packages.NupkgPath);
            var nuspec = Xml(nupkg.GetEntry("ProfileJobs.nuspec")!);
            XNamespace ns = "http://schemas.microsoft.com/packaging/2011/08/nuspec.xsd";
            var metadata = nuspec.Root!.Element(ns + "metadata")!;
            string? Value(string name) => metadata.Element(ns + name)?.Value;

            var manifest = ReadManifest(Paths.ModuleManifest);
            var psData = (Hashtable)((Hashtable)manifest["PrivateData"]!)["PSData"]!;
            Assert.Equal("ProfileJobs", Value("id"));
            Assert.Equal(_packages.Version, Value("version"));
            Assert.Equal(manifest["Author"], Value("authors"));
            Assert.Equal(manifest["Description"], Value("description"));
            Assert.Equal("false", Value("requireLicenseAcceptance"));
            Assert.Equal(psData["ReleaseNotes"], Value("releaseNotes"));

            var tags = Value("tags")!.Split(' ');
            Assert.Equal(tags.Length, tags.Distinct(StringComparer.OrdinalIgnoreCase).Count());
            Assert.Contains("PSModule", tags);
            Assert.Contains("PSIncludes_Cmdlet", tags);
            Assert.Contains("PSEdition_Core", tags);
            Assert.Contains("PSEdition_Desktop", tags);
            foreach (var tag in ((object[])psData["Tags"]!).Cast<string>()) Assert.Contains(tag, tags);
            foreach (var cmdlet in ExportedCmdlets)
            {
                Assert.Contains("PSCmdlet_" + cmdlet, tags);
                Assert.Contains("PSCommand_" + cmdlet, tags);
            }
            Assert.DoesNotContain(tags, t => t.StartsWith("PSIncludes_Function", StringComparison.Ordinal));

            // Only what the manifest says: no invented project or license address.
            Assert.Equal(psData["ProjectUri"] as string, Value("projectUrl"));
            Assert.Equal(psData["LicenseUri"] as string, Value("licenseUrl"));
        }

        [Fact]
        public void Module_imports_from_the_Automation_zip_unpacked_as_Azure_Automation_does()
        {
            var root = NewTempDirectory();
            try
            {
                ZipFile.ExtractToDirectory(_packages.ZipPath, root);
                var moduleFolder = Path.Combine(root, "ProfileJobs");
                var (exitCode, stdout, stderr) = ShellProcess.Run("-Command",
                    $"$m = Import-Module {Quote(moduleFolder)} -PassThru -ErrorAction Stop; " + ReportScript);

                AssertLoadedFrom(moduleFolder, exitCode, stdout, stderr);
            }
            finally
            {
                Delete(root);
            }
        }

        [Fact]
        public void Module_imports_by_name_from_the_nupkg_installed_as_Install_PSResource_lays_it_out()
        {
            var modules = NewTempDirectory();
            try
            {
                // Install-PSResource extracts the package into <modules>/<Name>/<Version>/ and deletes the package parts.
                var versionFolder = Path.Combine(modules, "ProfileJobs", _packages.Version);
                ZipFile.ExtractToDirectory(_packages.NupkgPath, versionFolder);
                File.Delete(Path.Combine(versionFolder, "ProfileJobs.nuspec"));
                File.Delete(Path.Combine(versionFolder, "[Content_Types].xml"));
                Directory.Delete(Path.Combine(versionFolder, "_rels"), true);
                Directory.Delete(Path.Combine(versionFolder, "package"), true);
                Assert.Equal(ModuleFiles().Keys.OrderBy(k => k, StringComparer.Ordinal),
                    Directory.EnumerateFiles(versionFolder, "*", SearchOption.AllDirectories)
                        .Select(f => Path.GetRelativePath(versionFolder, f).Replace('\\', '/')).OrderBy(k => k, StringComparer.Ordinal));

                var (exitCode, stdout, stderr) = ShellProcess.Run("-Command",
                    $"$env:PSModulePath = {Quote(modules)}; " +
                    "$m = Import-Module ProfileJobs -PassThru -ErrorAction Stop; " +
                    $"if ($m.Version -ne [version]'{_packages.Version}') {{ throw \"version $($m.Version)\" }}; " + ReportScript);

                AssertLoadedFrom(versionFolder, exitCode, stdout, stderr);
            }
            finally
            {
                Delete(modules);
            }
        }

        [Fact]
        public void Package_fails_for_a_module_folder_Azure_Automation_would_reject()
        {
            // Three broken copies of out/ProfileJobs, packaged by one shell process (build.ps1 throws for each).
            var root = NewTempDirectory();
            try
            {
                var longPath = CopyModule(Path.Combine(root, "long"));
                var longName = new string('x', 120) + ".dll";
                File.WriteAllText(Path.Combine(longPath, "Dependencies", longName), "");

                var noManifest = CopyModule(Path.Combine(root, "nomanifest"));
                File.Delete(Path.Combine(noManifest, "ProfileJobs.psd1"));

                var link = CopyModule(Path.Combine(root, "link"));
                var canLink = true;
                try
                {
                    File.CreateSymbolicLink(Path.Combine(link, "Dependencies", "Link.dll"), Path.Combine(link, "ProfileJobs.dll"));
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    canLink = false; // Windows without the privilege to create links.
                }

                var output = Path.Combine(root, "artifacts");
                var script = string.Concat(new[] { ("long", longPath), ("nomanifest", noManifest), ("link", link) }.Select(c =>
                    $"try {{ & {Quote(Path.Combine(Paths.RepoRoot, "build.ps1"))} -Task Package -NoBuild -ModuleDirectory {Quote(c.Item2)} -OutputDirectory {Quote(output)} | Out-Null; " +
                    $"'{c.Item1}: packaged' }} catch {{ \"{c.Item1}: refused: $($_.Exception.Message)\" }}; "));
                var (exitCode, stdout, stderr) = ShellProcess.Run("-Command", script);

                Assert.True(exitCode == 0, stdout + stderr);
                var results = Regex.Matches(stdout, @"^(?<case>\w+): (?<result>.*)$", RegexOptions.Multiline)
                    .ToDictionary(m => m.Groups["case"].Value, m => m.Groups["result"].Value.Trim());
                Assert.StartsWith("refused: ", results["long"]);
                Assert.Contains("140 characters", results["long"]);
                Assert.Contains("ProfileJobs/Dependencies/" + longName, results["long"]);
                Assert.StartsWith("refused: ", results["nomanifest"]);
                Assert.Contains("manifest is missing", results["nomanifest"]);
                if (canLink)
                {
                    Assert.StartsWith("refused: ", results["link"]);
                    Assert.Contains("Dependencies/Link.dll", results["link"]);
                    Assert.Contains("symbolic link", results["link"]);
                }
                Assert.False(Directory.Exists(output) && Directory.EnumerateFiles(output).Any(), "an archive was written");
            }
            finally
            {
                Delete(root);
            }
        }

        [Fact]
        public void Manifest_has_what_the_PowerShell_Gallery_shows_and_explicit_export_lists()
        {
            var manifest = ReadManifest(Path.Combine(Paths.RepoRoot, "ProfileJobs.psd1"));
            var psData = (Hashtable)((Hashtable)manifest["PrivateData"]!)["PSData"]!;

            Assert.NotEmpty((object[])psData["Tags"]!);
            Assert.All((object[])psData["Tags"]!, t => Assert.DoesNotMatch(@"\s", (string)t));
            Assert.False(string.IsNullOrWhiteSpace(psData["ReleaseNotes"] as string));
            Assert.False(string.IsNullOrWhiteSpace(manifest["Description"] as string));
            Assert.False(string.IsNullOrWhiteSpace(manifest["Author"] as string));
            var editions = ((object[])manifest["CompatiblePSEditions"]!).Cast<string>().ToList();
            Assert.Contains("Core", editions);
            Assert.Contains("Desktop", editions);
            foreach (var key in new[] { "CmdletsToExport", "FunctionsToExport", "VariablesToExport", "AliasesToExport" })
            {
                Assert.True(manifest.ContainsKey(key), $"{key} is missing: without it PowerShell exports everything");
                var values = manifest[key] is object[] list ? list.Cast<string>().ToArray() : new[] { (string)manifest[key]! };
                Assert.All(values, v => Assert.DoesNotContain("*", v));
            }
            Assert.Equal(ExportedCmdlets, ((object[])manifest["CmdletsToExport"]!).Cast<string>().OrderBy(c => c, StringComparer.Ordinal));
            Assert.All(CoreCmdlets, c => Assert.Contains(c, ExportedCmdlets));
            // Set on first publication; never a made-up address.
            foreach (var key in new[] { "ProjectUri", "LicenseUri", "IconUri" })
            {
                if (psData[key] is string uri) Assert.True(Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.Scheme == "https", $"{key} {uri}");
            }
        }

        // Prints what the assertions need: the module's base, its commands, and where its assemblies were loaded from
        // (Connect with an access token makes no request but loads the client library and its dependencies).
        private const string ReportScript =
            "\"base=$($m.ModuleBase)\"; " +
            "\"commands=$(@(Get-Command -Module ProfileJobs | ForEach-Object Name) -join ',')\"; " +
            "$null = Connect-ExperiencePlatform -AccessToken ([System.Net.NetworkCredential]::new('', 'token').SecurePassword) -ApiKey key -OrgId 'ORG@AdobeOrg' -PlatformUri 'http://127.0.0.1:9/' -PassThru; " +
            "[AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -like 'ProfileJobs*' -and $_.GetName().Name -ne 'ProfileJobs.Shell' } | ForEach-Object { \"loaded=$($_.Location)\" }";

        private static void AssertLoadedFrom(string moduleFolder, int exitCode, string stdout, string stderr)
        {
            Assert.True(exitCode == 0, stdout + stderr);
            Assert.Contains("base=" + moduleFolder, stdout);
            var commands = Regex.Match(stdout, "commands=(.*)").Groups[1].Value.Trim().Split(',');
            Assert.Equal(ExportedCmdlets, commands.OrderBy(c => c, StringComparer.Ordinal));
            Assert.Contains("loaded=" + Path.Combine(moduleFolder, "ProfileJobs.dll"), stdout);
            Assert.Contains("loaded=" + Path.Combine(moduleFolder, "Dependencies", "ProfileJobs.Client.dll"), stdout);
            Assert.DoesNotContain("loaded=" + Paths.ModuleDirectory, stdout);
        }

        private static (int ExitCode, string Stdout, string Stderr) RunPackage(string outputDirectory) =>
            ShellProcess.Run("-File", Path.Combine(Paths.RepoRoot, "build.ps1"), "-Task", "Package", "-NoBuild", "-OutputDirectory", outputDirectory);

        /// <summary>Every file of out/ProfileJobs by its '/'-separated relative path.</summary>
        private static Dictionary<string, string> ModuleFiles() =>
            Directory.EnumerateFiles(Paths.ModuleDirectory, "*", SearchOption.AllDirectories)
                .ToDictionary(f => Path.GetRelativePath(Paths.ModuleDirectory, f).Replace('\\', '/'), f => f, StringComparer.Ordinal);

        private static string CopyModule(string parent)
        {
            var module = Path.Combine(parent, "ProfileJobs");
            foreach (var (relative, path) in ModuleFiles())
            {
                var target = Path.Combine(module, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(path, target);
            }
            return module;
        }

        internal static Hashtable ReadManifest(string path)
        {
            var ast = Parser.ParseFile(path, out _, out var errors);
            Assert.Empty(errors);
            var table = (HashtableAst)ast.Find(a => a is HashtableAst, false)!;
            return new Hashtable((Hashtable)table.SafeGetValue(), StringComparer.OrdinalIgnoreCase);
        }

        private static byte[] Read(ZipArchiveEntry entry)
        {
            using var stream = entry.Open();
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            return buffer.ToArray();
        }

        private static XDocument Xml(ZipArchiveEntry entry)
        {
            using var stream = entry.Open();
            return XDocument.Load(stream);
        }

        internal static string Quote(string text) => "'" + text.Replace("'", "''") + "'";

        internal static string NewTempDirectory() =>
            Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "ProfileJobs.PackagingTests." + Guid.NewGuid().ToString("N"))).FullName;

        internal static void Delete(string directory)
        {
            try
            {
                if (Directory.Exists(directory)) Directory.Delete(directory, true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        /// <summary>Runs build.ps1 -Task Package -NoBuild once, into a temporary folder, for all the tests.</summary>
        public sealed class Packages : IDisposable
        {
            public Packages()
            {
                OutputDirectory = NewTempDirectory();
                Version = (string)ReadManifest(Paths.ModuleManifest)["ModuleVersion"]!;
                ZipPath = Path.Combine(OutputDirectory, $"ProfileJobs-{Version}.zip");
                NupkgPath = Path.Combine(OutputDirectory, $"ProfileJobs.{Version}.nupkg");
                Result = RunPackage(OutputDirectory);
            }

            public string OutputDirectory { get; }
            public string Version { get; }
            public string ZipPath { get; }
            public string NupkgPath { get; }
            public (int ExitCode, string Stdout, string Stderr) Result { get; }

            public void Dispose() => Delete(OutputDirectory);
        }

        /// <summary>examples/runbooks/Invoke-NightlyProfileCleanup.ps1, run by the shell against the emulator.</summary>
        public sealed class Runbook : IClassFixture<Runbook.Server>
        {
            private const string FailingDataset = "65f0c0ffee0000000000bad1";
            private static readonly string RunbookPath = Path.Combine(Paths.RepoRoot, "examples", "runbooks", "Invoke-NightlyProfileCleanup.ps1");

            // Set to these values, or removed, at the start of every run: other tests set AEP_* in the test process.
            private static readonly string[] EnvironmentVariables = { "AEP_CLIENT_ID", "AEP_CLIENT_SECRET", "AEP_ORG_ID", "AEP_ACCESS_TOKEN", "AEP_PLATFORM_URI", "AEP_IMS_URI" };

            private readonly Emulator _server;

            public Runbook(Server server) => _server = server.Emulator;

            [Fact]
            public void In_Azure_Automation_it_reads_the_credential_asset_deletes_every_dataset_and_writes_a_summary_for_each()
            {
                var datasets = new[] { "65f0c0ffee0000000000c001", "65f0c0ffee0000000000c002", "65f0c0ffee0000000000c003" };
                // Azure Automation's internal cmdlet, as the sandbox provides it; it fails for any other asset name.
                var automation =
                    "function Get-AutomationPSCredential { param([string] $Name) " +
                    "if ($Name -ne 'AEP-ServerToServer') { throw \"no asset $Name\" }; " +
                    $"[pscredential]::new('{Emulator.ClientId}', [System.Net.NetworkCredential]::new('', '{Emulator.ClientSecret}').SecurePassword) }}; ";

                var (exitCode, stdout, stderr) = RunRunbook(automation, new Dictionary<string, string>(), datasets, $"-OrgId '{Emulator.OrgId}'");

                Assert.True(exitCode == 0, stdout + stderr);
                var summaries = Summaries(stdout);
                Assert.Equal(datasets, summaries.Keys.OrderBy(k => k, StringComparer.Ordinal));
                Assert.All(summaries.Values, status => Assert.Equal("Succeeded", status));
                var created = _server.Jobs().EnumerateArray().Select(j => j.GetProperty("datasetId").GetString()).ToList();
                Assert.All(datasets, id => Assert.Contains(id, created));
            }

            [Fact]
            public void Outside_Azure_Automation_it_uses_the_environment_and_fails_the_job_when_a_delete_fails()
            {
                var good = "65f0c0ffee0000000000d001";
                var environment = new Dictionary<string, string>
                {
                    ["AEP_CLIENT_ID"] = Emulator.ClientId,
                    ["AEP_CLIENT_SECRET"] = Emulator.ClientSecret,
                    ["AEP_ORG_ID"] = Emulator.OrgId,
                };

                var (exitCode, stdout, stderr) = RunRunbook("", environment, new[] { good, FailingDataset }, "");

                Assert.True(exitCode != 0, stdout + stderr);
                var summaries = Summaries(stdout);
                Assert.Equal("Succeeded", summaries[good]);
                Assert.Equal("Failed", summaries[FailingDataset]);
                Assert.Contains("Profile cleanup failed for 1 of 2 datasets", stderr);
                Assert.Contains(FailingDataset, stderr);
            }

            [Fact]
            public void Without_any_credential_it_fails_at_once_instead_of_prompting()
            {
                var (exitCode, stdout, stderr) = RunRunbook("", new Dictionary<string, string>(), new[] { "65f0c0ffee0000000000e001" }, $"-OrgId '{Emulator.OrgId}'");

                Assert.True(exitCode != 0, stdout + stderr);
                Assert.Contains("AEP_CLIENT_ID", stderr);
                Assert.Empty(Summaries(stdout));
            }

            [Fact]
            public void It_has_help_for_every_parameter_uses_only_core_commands_and_passes_the_context_everywhere()
            {
                var ast = Parser.ParseFile(RunbookPath, out _, out var errors);
                Assert.Empty(errors);
                var help = ast.GetHelpContent();
                Assert.NotNull(help);
                Assert.False(string.IsNullOrWhiteSpace(help.Synopsis));
                Assert.False(string.IsNullOrWhiteSpace(help.Description));
                Assert.NotEmpty(help.Examples);
                Assert.Contains("AEP_CLIENT_ID", help.Description);
                Assert.Contains("AEP_CLIENT_SECRET", help.Description);
                var parameters = ast.ParamBlock!.Parameters.Select(p => p.Name.VariablePath.UserPath).ToList();
                Assert.Equal(new[] { "CredentialName", "OrgId", "Sandbox", "DatasetId", "TimeoutSeconds" }, parameters.Take(5));
                Assert.All(parameters, p => Assert.True(help.Parameters.ContainsKey(p.ToUpperInvariant()), $".PARAMETER {p} is missing"));

                var commands = ast.FindAll(a => a is CommandAst, true).Cast<CommandAst>().ToList();
                var allowed = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
                {
                    "Import-Module", "Get-Command", "Get-AutomationPSCredential", "ForEach-Object", "Where-Object",
                };
                foreach (var command in commands)
                {
                    var name = command.GetCommandName();
                    Assert.True(name != null && (allowed.Contains(name) || ExportedCmdlets.Contains(name)), $"{command.Extent.Text}: not a core or ProfileJobs command");
                    if (name != null && ExportedCmdlets.Contains(name) && name != "Connect-ExperiencePlatform")
                    {
                        Assert.True(command.CommandElements.OfType<CommandParameterAst>().Any(p => p.ParameterName == "Context"), $"{command.Extent.Text}: no -Context");
                    }
                }
                Assert.DoesNotContain(commands, c => c.GetCommandName() is "Read-Host" or "Get-Credential");
            }

            private (int ExitCode, string Stdout, string Stderr) RunRunbook(string prelude, IDictionary<string, string> environment, string[] datasets, string arguments)
            {
                var setEnvironment = string.Concat(EnvironmentVariables.Select(name =>
                    environment.TryGetValue(name, out var value)
                        ? $"$env:{name} = {Quote(value)}; "
                        : $"[Environment]::SetEnvironmentVariable('{name}', $null); "));
                var script = setEnvironment + prelude +
                             $"& {Quote(RunbookPath)} -DatasetId {string.Join(",", datasets.Select(Quote))} {arguments} " +
                             $"-PlatformUri '{_server.BaseUri}' -ImsUri '{_server.BaseUri}' -TimeoutSeconds 60 -PollingIntervalSeconds 0.2";
                return ShellProcess.Run("-Command", script);
            }

            /// <summary>DatasetId → Status from the summary objects as the shell renders them (a list per object).</summary>
            private static Dictionary<string, string> Summaries(string stdout) =>
                Regex.Matches(stdout, @"^DatasetId\s*:\s*(?<id>\S+)\s*\r?\n\s*Status\s*:\s*(?<status>\S+)", RegexOptions.Multiline)
                    .ToDictionary(m => m.Groups["id"].Value, m => m.Groups["status"].Value, StringComparer.Ordinal);

            public sealed class Server : IDisposable
            {
                public Emulator Emulator { get; } = new Emulator("unified", "--job-step-ms", "100", "--fail-dataset", FailingDataset);
                public void Dispose() => Emulator.Dispose();
            }
        }
    }
}
