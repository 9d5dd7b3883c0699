<#
.SYNOPSIS
    Builds, tests and packages the ProfileJobs module.
.DESCRIPTION
    Build: the solution, which assembles the module folder out/ProfileJobs.
    Test: builds, runs the xunit tests of the C# internals and the Pester suite (tests/pester, in a fresh pwsh process
    against the built module), and prints one closing line "N passed, N failed" for both.
    Package: the Azure Automation zip and the .nupkg. Demo: a short tour against the local emulator. Clean.
.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 -Task Test
.EXAMPLE
    ./build.ps1 -Task Test -Path tests/pester/Get-ProfileSystemJob.Tests.ps1

    Builds and runs one Pester file (and no xunit tests).
.EXAMPLE
    ./build.ps1 -Task Package -NoBuild -OutputDirectory ./dist

    Packages the existing out/ProfileJobs into ./dist: ProfileJobs-<version>.zip (Azure Automation) and
    ProfileJobs.<version>.nupkg (PowerShell Gallery / Install-PSResource from a file repository).
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Demo', 'Clean')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Test: only these Pester files or folders (the xunit tests are then skipped).
    [string[]] $Path,

    # Test: only Pester tests whose full name matches one of these wildcard patterns.
    [string[]] $FullNameFilter,

    # Test: Pester's output verbosity.
    [ValidateSet('None', 'Normal', 'Detailed', 'Diagnostic')]
    [string] $Output = 'Normal',

    # Package: where the Azure Automation zip and the .nupkg go (default: <repo>/artifacts).
    [string] $OutputDirectory,

    # Test and Package: use the existing build instead of building first.
    [switch] $NoBuild,

    # Package: the module folder to package (default: <repo>/out/ProfileJobs). Meant for -NoBuild.
    [string] $ModuleDirectory
)

$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$solution = Join-Path $root 'ProfileJobs.sln'
$moduleDir = Join-Path $root 'out/ProfileJobs'
$artifacts = Join-Path $root 'artifacts'

function Say([string] $text) { Write-Host $text }

# A simple function on purpose: an advanced one would take dotnet's -v for its own -Verbose.
function Invoke-Dotnet {
    Say "> dotnet $($args -join ' ')"
    & dotnet @args | ForEach-Object { Say "$_" }
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args[0]) failed with exit code $LASTEXITCODE" }
}

function Invoke-Build {
    Invoke-Dotnet build $solution -c $Configuration --nologo -v quiet
    if (-not (Test-Path (Join-Path $moduleDir 'ProfileJobs.psd1'))) { throw "The build did not produce $moduleDir" }
    Say "Module folder: $moduleDir"
}

# The pwsh that runs this script, to start the Pester suite in a fresh process of the same version: pwsh itself, or
# `dotnet pwsh.dll` when this is the .NET tool (dotnet pwsh).
function Get-PwshCommand {
    $self = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($self) -eq 'pwsh') { return , @($self) }
    $dll = Join-Path $PSHOME 'pwsh.dll'
    if (Test-Path $dll) { return , @($self, $dll) }
    throw "Cannot tell how to start a new pwsh from $self ($PSHOME)."
}

function Get-PesterModulePath {
    $project = Join-Path $root 'tools/TestDependencies/TestDependencies.csproj'
    Invoke-Dotnet restore $project --nologo -v quiet
    $version = ([xml](Get-Content -Raw $project)).Project.PropertyGroup.PesterVersion
    $packages = ((& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim()
    $pester = Join-Path $packages "pester/$version/tools/Pester.psd1"
    if (-not (Test-Path $pester)) { throw "Pester $version was restored, but $pester is missing." }
    $pester
}

function Read-XunitResult([string] $directory) {
    $files = @(Get-ChildItem -Path $directory -Filter *.trx -Recurse -ErrorAction SilentlyContinue)
    $passed = 0; $failed = 0
    foreach ($file in $files) {
        $counters = ([xml](Get-Content -Raw $file.FullName)).TestRun.ResultSummary.Counters
        $passed += [int]$counters.passed
        $failed += [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
    }
    [pscustomobject]@{ Passed = $passed; Failed = $failed; Files = $files.Count }
}

function Invoke-Test {
    $results = Join-Path $artifacts 'test-results'
    if (Test-Path $results) { Remove-Item -Recurse -Force $results }
    $null = New-Item -ItemType Directory -Force $results
    $passed = 0
    $failed = 0

    if (-not $Path) {
        Say "> dotnet test $solution"
        & dotnet test $solution -c $Configuration --no-build --nologo --logger 'trx' --logger 'console;verbosity=minimal' --results-directory $results |
            ForEach-Object { Say "$_" }
        $testExit = $LASTEXITCODE
        $xunit = Read-XunitResult $results
        Say "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed"
        $passed += $xunit.Passed
        $failed += $xunit.Failed
        if ($xunit.Files -eq 0) { $failed += 1; Say 'xunit wrote no results.' }
        elseif ($testExit -ne 0 -and $xunit.Failed -eq 0) { $failed += 1; Say "dotnet test exited with $testExit." }
    }

    $pester = Get-PesterModulePath
    $pesterPaths = if ($Path) { @($Path | ForEach-Object { (Resolve-Path $_).Path }) } else { @(Join-Path $root 'tests/pester') }
    $pwsh = Get-PwshCommand
    $suite = Join-Path $root 'tests/pester/Invoke-PesterSuite.ps1'
    # pwsh -File binds one argument to an array parameter, so several paths or filters go as one, a line each.
    $suiteArguments = @('-NoProfile', '-NonInteractive', '-File', $suite, '-PesterModule', $pester, '-ResultDirectory', $results, '-Output', $Output, '-Path', ($pesterPaths -join "`n"))
    if ($FullNameFilter) { $suiteArguments += @('-FullNameFilter', ($FullNameFilter -join "`n")) }
    Say "> pwsh $suite (Pester $([IO.Path]::GetFileName((Split-Path (Split-Path $pester)))))"
    $env:PROFILEJOBS_MODULE_PATH = $moduleDir
    $exe = $pwsh[0]
    $exeArguments = @($pwsh | Select-Object -Skip 1) + $suiteArguments
    & $exe @exeArguments
    $summaryFile = Join-Path $results 'pester.summary.json'
    if (Test-Path $summaryFile) {
        $summary = Get-Content -Raw $summaryFile | ConvertFrom-Json
        # A file that fails to load has no test results of its own, so it counts as one failure; a block whose
        # BeforeAll failed already has its tests marked failed.
        $broken = @($summary.FailedContainers).Count
        foreach ($container in @($summary.FailedContainers)) { Say "A test file failed to load: $($container.Item): $($container.Error)" }
        foreach ($block in @($summary.FailedBlocks)) { Say "A test block failed to set up, so its tests failed: $block" }
        Say "Pester: $($summary.Passed) passed, $($summary.Failed) failed, $($summary.Skipped) skipped, $broken files failed to load"
        $passed += $summary.Passed
        $failed += $summary.Failed + $broken
        if ($summary.Total -eq 0) { $failed += 1; Say 'Pester ran no tests.' }
    }
    else {
        $failed += 1
        Say "The Pester suite wrote no summary (exit code $LASTEXITCODE)."
    }

    Say "$passed passed, $failed failed"
    if ($failed -gt 0) { exit 1 }
}

# ---- Package -----------------------------------------------------------------------------------------------------
# Two archives of the module folder:
# - ProfileJobs-<version>.zip for Azure Automation: one top-level folder named like the module with the manifest
#   directly inside, every dependency inside it, every path under 140 characters, no links, 100 MB at most
#   (Azure Automation's module rules and size limit).
# - ProfileJobs.<version>.nupkg as PowerShellGet's Publish-Module (nuget pack) lays it out: <name>.nuspec, the module
#   files at the package root, and the OPC parts _rels/.rels, package/services/metadata/core-properties/*.psmdcp and
#   [Content_Types].xml, which Install-PSResource and Install-Module delete after extracting.
$AutomationMaxPathLength = 140
$AutomationMaxZipBytes = 100MB

function Resolve-FullPath([string] $path) {
    $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($path)
}

function Format-Size([long] $bytes) {
    [string]::Format([Globalization.CultureInfo]::InvariantCulture, '{0:0.0} KB = {1:0.00} MB', $bytes / 1KB, $bytes / 1MB)
}

# Every file under $directory, ordinally sorted by its '/'-separated relative path. Links are refused: a zip cannot
# carry them faithfully and Azure Automation does not accept them.
function Get-PackageFile([string] $directory) {
    $files = [Collections.Generic.SortedDictionary[string, object]]::new([StringComparer]::Ordinal)
    $pending = [Collections.Generic.Stack[IO.DirectoryInfo]]::new()
    $pending.Push([IO.DirectoryInfo]::new($directory))
    while ($pending.Count -gt 0) {
        foreach ($item in $pending.Pop().GetFileSystemInfos()) {
            $relative = [IO.Path]::GetRelativePath($directory, $item.FullName).Replace('\', '/')
            if ($item.LinkTarget -or $item.Attributes.HasFlag([IO.FileAttributes]::ReparsePoint)) {
                throw "$relative in $directory is a symbolic link or junction: packages hold real files only."
            }
            if ($item -is [IO.DirectoryInfo]) { $pending.Push($item) }
            else { $files[$relative] = [pscustomobject]@{ Path = $item.FullName; Relative = $relative } }
        }
    }
    , [object[]]$files.Values
}

# What both packages need to know about the module, from its manifest (Test-ModuleManifest is a core cmdlet).
function Get-ModulePackageInfo([string] $directory) {
    if (-not [IO.Directory]::Exists($directory)) {
        throw "There is no module folder at $directory. Build first (build.ps1 -Task Build), or drop -NoBuild."
    }
    $manifests = [IO.Directory]::GetFiles($directory, '*.psd1')
    $name = [IO.Path]::GetFileName([IO.Path]::TrimEndingDirectorySeparator($directory))
    $manifestPath = [IO.Path]::Combine($directory, "$name.psd1")
    if ($manifests.Count -eq 1 -and -not [IO.File]::Exists($manifestPath)) {
        $manifestPath = $manifests[0]
        $name = [IO.Path]::GetFileNameWithoutExtension($manifestPath)
    }
    if (-not [IO.File]::Exists($manifestPath)) {
        throw "The module manifest is missing: $manifestPath does not exist. Azure Automation and PowerShellGet both need it at the module folder's root."
    }
    $manifest = Test-ModuleManifest -Path $manifestPath -ErrorAction Stop
    if ($manifest.RootModule -and -not [IO.File]::Exists([IO.Path]::Combine($directory, $manifest.RootModule))) {
        throw "The manifest's RootModule '$($manifest.RootModule)' is not in $directory."
    }
    $v = $manifest.Version
    # NuGet's normalized form: three parts unless the fourth is non-zero.
    $version = if ($v.Revision -gt 0) { "$($v.Major).$($v.Minor).$([Math]::Max($v.Build, 0)).$($v.Revision)" }
               else { "$($v.Major).$($v.Minor).$([Math]::Max($v.Build, 0))" }
    $psData = $null
    if ($manifest.PrivateData -is [Collections.IDictionary]) { $psData = $manifest.PrivateData['PSData'] }
    if ($psData -isnot [Collections.IDictionary]) { $psData = @{} }
    if ($psData['Prerelease']) { $version = "$version-$($psData['Prerelease'])" }
    [pscustomobject]@{
        Name         = $manifest.Name
        Version      = $version
        Directory    = $directory
        ManifestPath = $manifestPath
        Manifest     = $manifest
        PSData       = $psData
    }
}

function New-ZipArchive([string] $path) {
    if ([IO.File]::Exists($path)) { [IO.File]::Delete($path) }
    $stream = [IO.File]::Open($path, [IO.FileMode]::CreateNew, [IO.FileAccess]::ReadWrite)
    [IO.Compression.ZipArchive]::new($stream, [IO.Compression.ZipArchiveMode]::Create, $false)
}

function Add-ZipFile([IO.Compression.ZipArchive] $archive, [string] $entryName, [string] $path) {
    $entry = $archive.CreateEntry($entryName, [IO.Compression.CompressionLevel]::Optimal)
    $entry.LastWriteTime = [DateTimeOffset][IO.File]::GetLastWriteTime($path)
    $target = $entry.Open()
    try {
        $source = [IO.File]::OpenRead($path)
        try { $source.CopyTo($target) } finally { $source.Dispose() }
    }
    finally { $target.Dispose() }
}

function Add-ZipXml([IO.Compression.ZipArchive] $archive, [string] $entryName, [Xml.XmlDocument] $document) {
    $settings = [Xml.XmlWriterSettings]::new()
    $settings.Encoding = [Text.UTF8Encoding]::new($false)
    $settings.Indent = $true
    $target = $archive.CreateEntry($entryName, [IO.Compression.CompressionLevel]::Optimal).Open()
    try {
        $writer = [Xml.XmlWriter]::Create($target, $settings)
        try { $document.Save($writer) } finally { $writer.Dispose() }
    }
    finally { $target.Dispose() }
}

function New-XmlDocument([string] $rootName, [string] $namespace) {
    $document = [Xml.XmlDocument]::new()
    $document.AppendChild($document.CreateXmlDeclaration('1.0', 'utf-8', $null)) | Out-Null
    $document.AppendChild($document.CreateElement($rootName, $namespace)) | Out-Null
    $document
}

function Add-XmlElement([Xml.XmlElement] $parent, [string] $name, [string] $text, [string] $namespace = $parent.NamespaceURI) {
    $element = $parent.OwnerDocument.CreateElement($name, $namespace)
    if ($text) { $element.InnerText = $text }
    $parent.AppendChild($element)
}

# The tags Publish-Module writes: the manifest's, PSEdition_<edition>, PSModule, and what the module exports
# (PSIncludes_Cmdlet, PSCmdlet_<name>, PSIncludes_Function, PSFunction_<name>, PSCommand_<name>).
function Get-GalleryTag($module) {
    $tags = [Collections.Generic.List[string]]::new()
    $seen = [Collections.Generic.HashSet[string]]::new([StringComparer]::OrdinalIgnoreCase)
    $candidates = [Collections.Generic.List[string]]::new()
    foreach ($tag in @($module.PSData['Tags'])) { if ($tag) { $candidates.Add([string]$tag) } }
    foreach ($edition in @($module.Manifest.CompatiblePSEditions)) { if ($edition) { $candidates.Add("PSEdition_$edition") } }
    $candidates.Add('PSModule')
    $cmdlets = @($module.Manifest.ExportedCmdlets.Keys)
    $functions = @($module.Manifest.ExportedFunctions.Keys)
    if ($cmdlets.Count) { $candidates.Add('PSIncludes_Cmdlet'); foreach ($name in $cmdlets) { $candidates.Add("PSCmdlet_$name") } }
    if ($functions.Count) { $candidates.Add('PSIncludes_Function'); foreach ($name in $functions) { $candidates.Add("PSFunction_$name") } }
    foreach ($name in @($module.Manifest.ExportedCommands.Keys)) { $candidates.Add("PSCommand_$name") }
    foreach ($tag in $candidates) {
        if ($tag -match '\s') { throw "The tag '$tag' contains white space; NuGet tags are separated by spaces." }
        if ($seen.Add($tag)) { $tags.Add($tag) }
    }
    , $tags.ToArray()
}

function New-Nuspec($module) {
    $ns = 'http://schemas.microsoft.com/packaging/2011/08/nuspec.xsd'
    $document = New-XmlDocument 'package' $ns
    $metadata = Add-XmlElement $document.DocumentElement 'metadata' $null
    $manifest = $module.Manifest
    $tags = Get-GalleryTag $module
    $text = [ordered]@{
        id                       = $module.Name
        version                  = $module.Version
        authors                  = $manifest.Author
        owners                   = $(if ($manifest.CompanyName) { $manifest.CompanyName } else { $manifest.Author })
        description              = $manifest.Description
        releaseNotes             = (@($module.PSData['ReleaseNotes']) -join "`n")
        requireLicenseAcceptance = $(if ($module.PSData['RequireLicenseAcceptance']) { 'true' } else { 'false' })
        copyright                = $manifest.Copyright
        tags                     = ($tags -join ' ')
        licenseUrl               = $module.PSData['LicenseUri']
        projectUrl               = $module.PSData['ProjectUri']
        iconUrl                  = $module.PSData['IconUri']
    }
    foreach ($key in @('id', 'version', 'authors', 'description')) {
        if (-not $text[$key]) { throw "The nuspec needs '$key', but the manifest has none (Author, Description...)." }
    }
    foreach ($key in $text.Keys) {
        if ($text[$key]) { Add-XmlElement $metadata $key ([string]$text[$key]) | Out-Null }
    }
    [pscustomobject]@{ Document = $document; Tags = $tags; Text = $text }
}

function New-AutomationZip($module, [object[]] $files, [string] $path) {
    $root = $module.Name
    $tooLong = @(foreach ($file in $files) { $entry = "$root/$($file.Relative)"; if ($entry.Length -ge $AutomationMaxPathLength) { "$entry ($($entry.Length))" } })
    if ($tooLong.Count -gt 0) {
        throw "Azure Automation needs every path in a module under $AutomationMaxPathLength characters; too long: $($tooLong -join ', ')"
    }
    $archive = New-ZipArchive $path
    try {
        foreach ($file in $files) { Add-ZipFile $archive "$root/$($file.Relative)" $file.Path }
    }
    finally { $archive.Dispose() }
    $size = [IO.FileInfo]::new($path).Length
    if ($size -gt $AutomationMaxZipBytes) {
        [IO.File]::Delete($path)
        throw "The Azure Automation zip is $(Format-Size $size); Azure Automation accepts modules of 100 MB at most."
    }
    Say "Azure Automation zip: $path"
    Say "  $root/ with $($files.Count) files, $(Format-Size $size); longest path $(($files | ForEach-Object { "$root/$($_.Relative)".Length } | Measure-Longest)) characters"
}

function Measure-Longest { $max = 0; foreach ($n in $input) { if ($n -gt $max) { $max = $n } }; $max }

function New-GalleryPackage($module, [object[]] $files, [string] $path) {
    $name = $module.Name
    $nuspecName = "$name.nuspec"
    foreach ($file in $files) {
        $first = $file.Relative.Split('/')[0]
        if ($file.Relative -eq $nuspecName -or $file.Relative -eq '[Content_Types].xml' -or $first -eq '_rels' -or $first -eq 'package') {
            throw "The module folder holds $($file.Relative), which a NuGet package reserves for itself."
        }
        foreach ($segment in $file.Relative.Split('/')) {
            if ([Uri]::EscapeDataString($segment) -ne $segment) {
                throw "$($file.Relative): NuGet escapes such names inside packages and installers do not restore them; use letters, digits, '.', '-' and '_'."
            }
        }
    }
    $nuspec = New-Nuspec $module
    # nuget pack names these parts randomly; a hash of id and version keeps the package reproducible.
    $hash = [Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes("$name/$($module.Version)"))
    $hex = [Convert]::ToHexString($hash).ToLowerInvariant()
    $corePropertiesPart = "package/services/metadata/core-properties/$($hex.Substring(0, 32)).psmdcp"

    $relsNs = 'http://schemas.openxmlformats.org/package/2006/relationships'
    $rels = New-XmlDocument 'Relationships' $relsNs
    $relationships = @(
        @{ Type = 'http://schemas.microsoft.com/packaging/2010/07/manifest'; Target = "/$nuspecName"; Id = 'R' + $hex.Substring(32, 16).ToUpperInvariant() }
        @{ Type = 'http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties'; Target = "/$corePropertiesPart"; Id = 'R' + $hex.Substring(48, 16).ToUpperInvariant() }
    )
    foreach ($relationship in $relationships) {
        $element = Add-XmlElement $rels.DocumentElement 'Relationship' $null
        foreach ($attribute in @('Type', 'Target', 'Id')) { $element.SetAttribute($attribute, $relationship[$attribute]) }
    }

    $dc = 'http://purl.org/dc/elements/1.1/'
    $core = New-XmlDocument 'coreProperties' 'http://schemas.openxmlformats.org/package/2006/metadata/core-properties'
    $core.DocumentElement.SetAttribute('xmlns:dc', $dc)
    $core.DocumentElement.SetAttribute('xmlns:dcterms', 'http://purl.org/dc/terms/')
    $core.DocumentElement.SetAttribute('xmlns:xsi', 'http://www.w3.org/2001/XMLSchema-instance')
    Add-XmlElement $core.DocumentElement 'dc:creator' $nuspec.Text.authors $dc | Out-Null
    Add-XmlElement $core.DocumentElement 'dc:description' $nuspec.Text.description $dc | Out-Null
    Add-XmlElement $core.DocumentElement 'dc:identifier' $name $dc | Out-Null
    Add-XmlElement $core.DocumentElement 'version' $module.Version | Out-Null
    Add-XmlElement $core.DocumentElement 'keywords' $nuspec.Text.tags | Out-Null
    Add-XmlElement $core.DocumentElement 'lastModifiedBy' 'ProfileJobs build.ps1' | Out-Null

    $typesNs = 'http://schemas.openxmlformats.org/package/2006/content-types'
    $types = New-XmlDocument 'Types' $typesNs
    $defaults = [ordered]@{
        rels   = 'application/vnd.openxmlformats-package.relationships+xml'
        psmdcp = 'application/vnd.openxmlformats-package.core-properties+xml'
        nuspec = 'application/octet'
    }
    $overrides = [Collections.Generic.List[string]]::new()
    foreach ($file in $files) {
        $extension = [IO.Path]::GetExtension($file.Relative).TrimStart('.').ToLowerInvariant()
        if ($extension) { if (-not $defaults.Contains($extension)) { $defaults[$extension] = 'application/octet' } }
        else { $overrides.Add("/$($file.Relative)") }
    }
    foreach ($extension in $defaults.Keys) {
        $element = Add-XmlElement $types.DocumentElement 'Default' $null
        $element.SetAttribute('Extension', $extension)
        $element.SetAttribute('ContentType', $defaults[$extension])
    }
    foreach ($part in $overrides) {
        $element = Add-XmlElement $types.DocumentElement 'Override' $null
        $element.SetAttribute('PartName', $part)
        $element.SetAttribute('ContentType', 'application/octet')
    }

    # The order nuget pack writes: relationships, nuspec, content, core properties, content types.
    $archive = New-ZipArchive $path
    try {
        Add-ZipXml $archive '_rels/.rels' $rels
        Add-ZipXml $archive $nuspecName $nuspec.Document
        foreach ($file in $files) { Add-ZipFile $archive $file.Relative $file.Path }
        Add-ZipXml $archive $corePropertiesPart $core
        Add-ZipXml $archive '[Content_Types].xml' $types
    }
    finally { $archive.Dispose() }
    Say "NuGet package: $path"
    Say "  $nuspecName and $($files.Count) module files at the root, $(Format-Size ([IO.FileInfo]::new($path).Length)); $($nuspec.Tags.Count) tags (PSModule, PSIncludes_Cmdlet, PSCmdlet_<name>...)"
}

function Invoke-Package {
    $source = if ($ModuleDirectory) { Resolve-FullPath $ModuleDirectory } else { $moduleDir }
    $source = [IO.Path]::TrimEndingDirectorySeparator($source)
    $destination = if ($OutputDirectory) { Resolve-FullPath $OutputDirectory } else { $artifacts }
    $destination = [IO.Path]::TrimEndingDirectorySeparator($destination)
    if (($destination + [IO.Path]::DirectorySeparatorChar).StartsWith($source + [IO.Path]::DirectorySeparatorChar, [StringComparison]::OrdinalIgnoreCase)) {
        throw "The output directory $destination is inside the module folder $source."
    }

    $module = Get-ModulePackageInfo $source
    $files = Get-PackageFile $source
    Say "Packaging $($module.Name) $($module.Version) from $source"
    [IO.Directory]::CreateDirectory($destination) | Out-Null
    $zip = [IO.Path]::Combine($destination, "$($module.Name)-$($module.Version).zip")
    $nupkg = [IO.Path]::Combine($destination, "$($module.Name).$($module.Version).nupkg")
    New-AutomationZip $module $files $zip
    New-GalleryPackage $module $files $nupkg
    Say "Packages:"
    Say "  $zip"
    Say "  $nupkg"
}

function Invoke-Demo {
    Import-Module (Join-Path $root 'tools/EmulatorLauncher.psm1') -Force
    $emulator = Start-Emulator -Mode unified -Configuration $Configuration -ClientId 'emulator-client' -ClientSecret 'emulator-secret' `
        -OrgId 'EMULATOR00000000000000000@AdobeOrg' -Arguments '--seed-jobs', '8', '--job-step-ms', '1500'
    try {
        Say "Emulator listening on $($emulator.Uri)"
        & (Join-Path $root 'examples/demo.ps1') -PlatformUri $emulator.Uri -ModulePath $moduleDir
    }
    finally { Stop-Emulator $emulator }
}

function Invoke-Clean {
    foreach ($dir in @($moduleDir, $artifacts)) {
        if (Test-Path $dir) { Remove-Item -Recurse -Force $dir }
    }
    Invoke-Dotnet clean $solution -c $Configuration --nologo -v quiet
}

foreach ($name in $Task) {
    Say "=== $name"
    switch ($name) {
        'Build'   { Invoke-Build }
        'Test'    { if (-not $NoBuild) { Invoke-Build }; Invoke-Test }
        'Package' { if (-not $NoBuild) { Invoke-Build }; Invoke-Package }
        'Demo'    { Invoke-Build; Invoke-Demo }
        'Clean'   { Invoke-Clean }
    }
}
