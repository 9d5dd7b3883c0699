<#
.SYNOPSIS
    Builds, tests and packages the ProfileJobs module.
.DESCRIPTION
    Build: the solution, which assembles the module folder out/ProfileJobs, then the ReadyToRun images of its isolated
    dependencies for the running pwsh's .NET and this platform (Dependencies/r2r/<tfm>-<rid>/, tools/ReadyToRun.psm1;
    the IL copies stay in Dependencies/ for Windows PowerShell and other runtimes).
    Test: builds, runs the xunit tests of the C# internals and the Pester suite (tests/pester, in a fresh pwsh process
    against the built module), and prints one closing line "N passed, N failed" for both.
    Package: builds with the images of every target (net8.0 for pwsh 7.4 and net10.0 for pwsh 7.6, each for win-x64,
    linux-x64, osx-arm64, linux-arm64 and osx-x64; a target whose packs the package source does not serve is skipped
    with a warning), then the Azure Automation zip and the .nupkg. Demo: a short tour against the local emulator. Clean.
.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 -Task Test
.EXAMPLE
    ./build.ps1 -Task Test -Path tests/pester/Get-ProfileSystemJob.Tests.ps1

    Builds and runs one Pester file (and no xunit tests).
.EXAMPLE
    ./build.ps1 -Task Package -NoBuild -OutputDirectory ./dist

    Packages the existing out/ProfileJobs into ./dist: ProfileJobs-<version>.zip (Azure Automation) and
    ProfileJobs.<version>.nupkg (made by Publish-PSResource, for the PowerShell Gallery or Install-PSResource from a
    file repository).
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
    [string] $ModuleDirectory,

    # Which ReadyToRun images of the isolated dependencies a build writes to Dependencies/r2r/<tfm>-<rid>/ (see
    # tools/ReadyToRun.psm1). Default: Current (the running pwsh's .NET and this platform) for Build and Test, All
    # (net8.0 and net10.0 for win-x64, linux-x64, osx-arm64, linux-arm64 and osx-x64, where the packs are served)
    # for Package. None: IL only. With Package -NoBuild: the images to add to the module folder before packaging
    # (by default none: the folder is packaged as it is).
    [ValidateSet('Current', 'All', 'None')]
    [string] $ReadyToRun
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

function Invoke-Build([string] $Images = 'Current') {
    Invoke-Dotnet build $solution -c $Configuration --nologo -v quiet
    if (-not (Test-Path (Join-Path $moduleDir 'ProfileJobs.psd1'))) { throw "The build did not produce $moduleDir" }
    if ($ReadyToRun) { $Images = $ReadyToRun }
    if ($Images -ne 'None') { Invoke-ReadyToRun $Images $moduleDir }
    Say "Module folder: $moduleDir"
}

# ReadyToRun images of the IL-only assemblies of Dependencies/ that the loader takes from there (the IL copies stay);
# kept in artifacts/r2r-cache and recompiled only when an input or a pack changes.
function Invoke-ReadyToRun([string] $Scope, [string] $Directory) {
    Import-Module (Join-Path $root 'tools/ReadyToRun.psm1') -Force
    $targets = @(Get-ReadyToRunTarget -Scope $Scope)
    if ($targets.Count -eq 0) { Say 'ReadyToRun: no image for this platform (only win, linux and osx on x64 and arm64 have them).'; return }
    Say "> ReadyToRun images for $($targets -join ', ')"
    $started = [Diagnostics.Stopwatch]::StartNew()
    $rows = @(New-DependencyReadyToRunImage -ModuleDirectory $Directory -Target $targets -CacheDirectory (Join-Path $artifacts 'r2r-cache') -NuGetConfig (Join-Path $root 'nuget.config'))
    foreach ($group in $rows | Group-Object Target) {
        $skipped = @($group.Group | Where-Object { $_.PSObject.Properties['Skipped'] })
        if ($skipped) { Say "  $($group.Name): skipped, $($skipped[0].Skipped)"; continue }
        $il = ($group.Group | Measure-Object ILBytes -Sum).Sum
        $image = ($group.Group | Measure-Object ReadyToRunBytes -Sum).Sum
        $first = $group.Group[0]
        Say "  $($group.Name): $($group.Count) images, $(Format-Size $image) (IL $(Format-Size $il)); crossgen2 $($first.Crossgen), runtime pack $($first.Runtime)$(if ($first.Cached) { ', cached' })"
    }
    Say "  ReadyToRun took $([Math]::Round($started.Elapsed.TotalSeconds)) s"
}

# The pwsh that runs this script, to start the Pester suite in a fresh process of the same version: pwsh itself, or
# `dotnet pwsh.dll` when this is the .NET tool (dotnet pwsh).
function Get-PwshCommand {
    $self = [Environment]::ProcessPath
    if ((Split-Path -LeafBase $self) -eq 'pwsh') { return , @($self) }
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
        $counters = ([xml](Get-Content -Raw -LiteralPath $file.FullName)).TestRun.ResultSummary.Counters
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
    # pwsh -File passes "a,b" as one string: split it as PowerShell would split a list.
    $pesterPaths = if ($Path) { @($Path -split "," | ForEach-Object { (Resolve-Path $_).Path }) } else { @(Join-Path $root 'tests/pester') }
    $pwsh = Get-PwshCommand
    $suite = Join-Path $root 'tests/pester/Invoke-PesterSuite.ps1'
    # pwsh -File binds one argument to an array parameter, so several paths or filters go as one, a line each.
    $suiteArguments = @('-NoProfile', '-NonInteractive', '-File', $suite, '-PesterModule', $pester, '-ResultDirectory', $results, '-Output', $Output, '-Path', ($pesterPaths -join "`n"))
    if ($FullNameFilter) { $suiteArguments += @('-FullNameFilter', ($FullNameFilter -join "`n")) }
    Say "> pwsh $suite (Pester $(Split-Path -Leaf (Split-Path (Split-Path $pester))))"
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
# Two packages of the module folder:
# - ProfileJobs-<version>.zip for Azure Automation: one top-level folder named like the module with the manifest
#   directly inside, every dependency inside it, every path under 140 characters, no links, 100 MB at most
#   (Azure Automation's module rules and size limit).
# - ProfileJobs.<version>.nupkg, made by PSResourceGet's Publish-PSResource (part of pwsh 7.4 and later) into a file
#   repository in a temporary folder: the package Install-PSResource and Install-Module install from a repository.
$AutomationMaxPathLength = 140
$AutomationMaxZipBytes = 100MB

function Resolve-FullPath([string] $path) {
    $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($path)
}

function Format-Size([long] $bytes) {
    [string]::Format([Globalization.CultureInfo]::InvariantCulture, '{0:0.0} KB = {1:0.00} MB', $bytes / 1KB, $bytes / 1MB)
}

# Every file under $directory with its '/'-separated relative path. Links are refused: a zip cannot
# carry them faithfully and Azure Automation does not accept them.
function Get-PackageFile([string] $directory) {
    $items = @(Get-ChildItem -LiteralPath $directory -Recurse -Force)
    $files = foreach ($item in $items) {
        $relative = $item.FullName.Substring($directory.Length + 1).Replace('\', '/')
        if ($item.LinkTarget -or $item.Attributes.HasFlag([IO.FileAttributes]::ReparsePoint)) {
            throw "$relative in $directory is a symbolic link or junction: packages hold real files only."
        }
        if (-not $item.PSIsContainer) { [pscustomobject]@{ Path = $item.FullName; Relative = $relative } }
    }
    , @($files | Sort-Object Relative)
}

# What both packages need to know about the module, from its manifest.
function Get-ModulePackageInfo([string] $directory) {
    if (-not (Test-Path -LiteralPath $directory -PathType Container)) {
        throw "There is no module folder at $directory. Build first (build.ps1 -Task Build), or drop -NoBuild."
    }
    $name = Split-Path -Leaf $directory
    $manifestPath = Join-Path $directory "$name.psd1"
    $manifests = @(Get-ChildItem -LiteralPath $directory -Filter *.psd1 -File)
    if ($manifests.Count -eq 1 -and -not (Test-Path -LiteralPath $manifestPath)) {
        $manifestPath = $manifests[0].FullName
        $name = $manifests[0].BaseName
    }
    if (-not (Test-Path -LiteralPath $manifestPath)) {
        throw "The module manifest is missing: $manifestPath does not exist. Azure Automation and PSResourceGet both need it at the module folder's root."
    }
    $manifest = Test-ModuleManifest -Path $manifestPath -ErrorAction Stop
    if ($manifest.RootModule -and -not (Test-Path -LiteralPath (Join-Path $directory $manifest.RootModule))) {
        throw "The manifest's RootModule '$($manifest.RootModule)' is not in $directory."
    }
    $v = $manifest.Version
    # NuGet's normalized form, as the .nupkg is named: three parts unless the fourth is non-zero.
    $version = if ($v.Revision -gt 0) { "$v" } else { "$($v.Major).$($v.Minor).$([Math]::Max($v.Build, 0))" }
    $psData = if ($manifest.PrivateData -is [Collections.IDictionary]) { $manifest.PrivateData['PSData'] }
    if ($psData -is [Collections.IDictionary] -and $psData['Prerelease']) { $version = "$version-$($psData['Prerelease'])" }
    [pscustomobject]@{ Name = $manifest.Name; Version = $version }
}

function New-AutomationZip($module, [object[]] $files, [string] $staged, [string] $path) {
    $root = $module.Name
    $tooLong = @(foreach ($file in $files) { $entry = "$root/$($file.Relative)"; if ($entry.Length -ge $AutomationMaxPathLength) { "$entry ($($entry.Length))" } })
    if ($tooLong.Count -gt 0) {
        throw "Azure Automation needs every path in a module under $AutomationMaxPathLength characters; too long: $($tooLong -join ', ')"
    }
    Compress-Archive -LiteralPath $staged -DestinationPath $path -CompressionLevel Optimal -Force
    $archive = [IO.Compression.ZipFile]::OpenRead($path)
    try { $entries = @($archive.Entries | Where-Object { -not $_.FullName.EndsWith('/') }).Count } finally { $archive.Dispose() }
    if ($entries -ne $files.Count) {
        Remove-Item -LiteralPath $path
        throw "Compress-Archive wrote $entries files of the module's $($files.Count) (hidden files?): the zip must hold every dependency."
    }
    $size = (Get-Item -LiteralPath $path).Length
    if ($size -gt $AutomationMaxZipBytes) {
        Remove-Item -LiteralPath $path
        throw "The Azure Automation zip is $(Format-Size $size); Azure Automation accepts modules of 100 MB at most."
    }
    $longest = ($files | ForEach-Object { "$root/$($_.Relative)".Length } | Measure-Object -Maximum).Maximum
    Say "Azure Automation zip: $path"
    Say "  $root/ with $($files.Count) files, $(Format-Size $size); longest path $longest characters"
}

# Publish-PSResource to a file repository in $work. PSResourceGet keeps the repositories it knows per user (its
# PSResourceRepository.xml in the local application data folder), so the publish runs in a new pwsh whose HOME and
# XDG folders are in $work: on Linux and macOS the user's repositories are neither read nor changed. On Windows that
# folder does not follow HOME, so the repository also has a name of its own and is unregistered when done.
function New-GalleryPackage($module, [string] $staged, [string] $work, [string] $destination) {
    $repository = Join-Path $work 'repository'
    $userHome = Join-Path $work 'home'
    $null = New-Item -ItemType Directory -Path $repository, $userHome
    $publish = Join-Path $work 'publish.ps1'
    Set-Content -LiteralPath $publish -Value @'
param([string] $Name, [string] $Repository, [string] $Module)
$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name $Name -Uri $Repository -Trusted
try { Publish-PSResource -Path $Module -Repository $Name }
finally { Unregister-PSResourceRepository -Name $Name }
'@
    $pwsh = Get-PwshCommand
    $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $publish,
        '-Name', "ProfileJobsBuild-$([guid]::NewGuid().ToString('N').Substring(0, 8))", '-Repository', $repository, '-Module', $staged)
    $isolated = @{ HOME = $userHome; XDG_DATA_HOME = "$userHome/.local/share"; XDG_CONFIG_HOME = "$userHome/.config"; XDG_CACHE_HOME = "$userHome/.cache" }
    # .NET reports a special folder that does not exist as '' (and PSResourceGet would then use the current directory).
    $null = New-Item -ItemType Directory -Force -Path $isolated.XDG_DATA_HOME, $isolated.XDG_CONFIG_HOME, $isolated.XDG_CACHE_HOME
    $saved = @{}
    foreach ($name in $isolated.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $isolated[$name]) }
    try { & $pwsh[0] @arguments | ForEach-Object { Say "$_" } }
    finally { foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) } }
    if ($LASTEXITCODE -ne 0) { throw "Publish-PSResource failed (exit code $LASTEXITCODE)." }

    $packages = @(Get-ChildItem -LiteralPath $repository -Filter *.nupkg)
    if ($packages.Count -ne 1) { throw "Publish-PSResource wrote $($packages.Count) packages to $repository instead of one." }
    $path = Join-Path $destination $packages[0].Name
    Copy-Item -LiteralPath $packages[0].FullName -Destination $path -Force
    Say "NuGet package (Publish-PSResource): $path"
    Say "  $(Format-Size $packages[0].Length)"
}

function Invoke-Package {
    $source = (Resolve-FullPath $(if ($ModuleDirectory) { $ModuleDirectory } else { $moduleDir })).TrimEnd('\', '/')
    $destination = (Resolve-FullPath $(if ($OutputDirectory) { $OutputDirectory } else { $artifacts })).TrimEnd('\', '/')
    $separator = [IO.Path]::DirectorySeparatorChar
    if (($destination + $separator).StartsWith($source + $separator, [StringComparison]::OrdinalIgnoreCase)) {
        throw "The output directory $destination is inside the module folder $source."
    }

    $module = Get-ModulePackageInfo $source
    if ($NoBuild -and $ReadyToRun -and $ReadyToRun -ne 'None') { Invoke-ReadyToRun $ReadyToRun $source }
    $files = Get-PackageFile $source
    Say "Packaging $($module.Name) $($module.Version) from $source"
    $null = New-Item -ItemType Directory -Force -Path $destination
    # Both packages are made from a copy named like the module, whatever the source folder is called.
    $work = Join-Path ([IO.Path]::GetTempPath()) "profilejobs-package-$([guid]::NewGuid().ToString('N'))"
    try {
        $staged = Join-Path $work "module/$($module.Name)"
        $null = New-Item -ItemType Directory -Path $staged
        Copy-Item -Path (Join-Path $source '*') -Destination $staged -Recurse -Force
        New-AutomationZip $module $files $staged (Join-Path $destination "$($module.Name)-$($module.Version).zip")
        New-GalleryPackage $module $staged $work $destination
    }
    finally { Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue }
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
        'Package' { if (-not $NoBuild) { Invoke-Build 'All' }; Invoke-Package }
        'Demo'    { Invoke-Build; Invoke-Demo }
        'Clean'   { Invoke-Clean }
    }
}
