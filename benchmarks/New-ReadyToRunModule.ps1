<#
.SYNOPSIS
    The ReadyToRun experiments of docs/benchmarks.md that the build does not ship: a copy of $PSHOME with its engine
    compiled (what pwsh's release packages ship; the dotnet tool's is IL only), or a copy of the module folder whose
    ProfileJobs.dll and ProfileJobs.Types.dll are compiled too.
.DESCRIPTION
    The build already writes ReadyToRun images of the module's isolated dependencies (Dependencies/r2r/<tfm>-<rid>/,
    see tools/ReadyToRun.psm1, which this script uses for the packs and crossgen2). This script compiles, for this
    platform and the .NET of -Framework, either the engine assemblies of the running pwsh's $PSHOME (-PowerShell, into
    Destination/pwsh; run it as dotnet Destination/pwsh/pwsh.dll, or pass it to Invoke-Benchmarks.ps1
    -PowerShellHome), or ProfileJobs.dll and ProfileJobs.Types.dll of a copy of the module folder (Destination/
    ProfileJobs, to time with Invoke-Benchmarks.ps1 -CompareModuleDirectory). The images replace the IL files of the
    copy in place (an image keeps its IL, so another runtime still runs it by JIT). Nothing in the repository changes.
.EXAMPLE
    dotnet pwsh ./benchmarks/New-ReadyToRunModule.ps1 -Destination /tmp/r2r -PowerShell
    dotnet pwsh ./benchmarks/Invoke-Benchmarks.ps1 -NoBuild -Scenario cold -PowerShellHome /tmp/r2r/pwsh
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $Destination,
    [string] $ModuleDirectory,
    [ValidateSet('net8.0', 'net10.0')] [string] $Framework = "net$([Environment]::Version.Major).0",
    # Compile a copy of this pwsh's $PSHOME instead of the module.
    [switch] $PowerShell
)

$ErrorActionPreference = 'Stop'
$repo = Split-Path -Parent $PSScriptRoot
Import-Module (Join-Path $repo 'tools/ReadyToRun.psm1') -Force
$ModuleDirectory = if ($ModuleDirectory) { (Resolve-Path $ModuleDirectory).Path } else { Join-Path $repo 'out/ProfileJobs' }
$target = Join-Path $Destination $(if ($PowerShell) { 'pwsh' } else { 'ProfileJobs' })
if (Test-Path $target) { Remove-Item -Recurse -Force $target }
$null = New-Item -ItemType Directory -Force $Destination
Copy-Item -Recurse $(if ($PowerShell) { $PSHOME } else { $ModuleDirectory }) $target

$platform = (Get-ReadyToRunTarget) -replace '^net\d+\.0-', ''
if (-not $platform) { throw 'There are no ReadyToRun packs for this platform.' }
$pack = Get-ReadyToRunPack -Framework $Framework -RuntimeIdentifier $platform -NuGetConfig (Join-Path $repo 'nuget.config')
if (-not $pack) { throw "The ReadyToRun packs of $Framework-$platform are not served." }
$frameworkNames = @(Get-ChildItem $pack.Runtime -Filter *.dll | ForEach-Object BaseName)

if ($PowerShell) {
    # What a pwsh session loads from $PSHOME (from `pwsh -Command exit` to Import-Csv and web cmdlets).
    $candidates = @('pwsh', 'System.Management.Automation', 'Microsoft.PowerShell.ConsoleHost', 'Microsoft.PowerShell.Commands.Utility',
        'Microsoft.PowerShell.Commands.Management', 'Microsoft.PowerShell.Security', 'Microsoft.PowerShell.CoreCLR.Eventing',
        'Microsoft.PowerShell.MarkdownRender', 'Microsoft.Management.Infrastructure', 'Microsoft.ApplicationInsights', 'Newtonsoft.Json') |
        ForEach-Object { Join-Path $target "$_.dll" } | Where-Object { Test-Path $_ }
    $others = @(Get-ChildItem $target -Filter *.dll | Where-Object { $_.FullName -notin $candidates -and $_.BaseName -notin $frameworkNames } | ForEach-Object FullName)
}
else {
    $candidates = @('ProfileJobs', 'ProfileJobs.Types') | ForEach-Object { Join-Path $target "$_.dll" }
    $others = @("$PSHOME/System.Management.Automation.dll") + @(Get-ChildItem "$PSHOME/Microsoft.PowerShell.*.dll" | ForEach-Object FullName) +
        @(Get-ChildItem (Join-Path $target 'Dependencies') -Filter *.dll | Where-Object BaseName -NotIn $frameworkNames | ForEach-Object FullName)
}
$inputs = @($candidates | Where-Object { -not (Test-ReadyToRunImage $_) })
$compiled = Join-Path $Destination 'r2r-out'
if (Test-Path $compiled) { Remove-Item -Recurse -Force $compiled }
Invoke-Crossgen -Pack $pack -InputPath $inputs -Reference $others -OutputDirectory $compiled
foreach ($file in $inputs) {
    $image = Join-Path $compiled (Split-Path -Leaf $file)
    [pscustomobject]@{ Assembly = (Split-Path -Leaf $file); ILBytes = (Get-Item $file).Length; ReadyToRunBytes = (Get-Item $image).Length }
    Copy-Item $image $file -Force
}
Remove-Item -Recurse -Force $compiled
Write-Host "ReadyToRun ($Framework, $platform, crossgen2 $($pack.CrossgenVersion)) copy of $(if ($PowerShell) { 'PowerShell' } else { 'the module' }): $target"
