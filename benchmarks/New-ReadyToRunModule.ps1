<#
.SYNOPSIS
    The ReadyToRun experiment of docs/benchmarks.md: a copy of the module folder whose assemblies carry precompiled
    code for one runtime identifier and .NET version, to time against the IL-only build (Invoke-Benchmarks.ps1
    -CompareModuleDirectory).
.DESCRIPTION
    Gets the SDK's own Crossgen2 pack (and the runtime pack whose assemblies it compiles against) by publishing a
    throwaway ReadyToRun project in a temporary folder, then runs crossgen2 on the module's assemblies: ProfileJobs.dll
    (-Scope All) and every IL-only assembly of Dependencies/ (ProfileJobs.Client, Microsoft.Extensions.*, Polly.Core,
    Microsoft.Bcl.*), against the framework of -Framework and the PowerShell engine of the pwsh running this script.
    The copies replace the IL-only files of the copy in place (a ReadyToRun image keeps its IL, so another runtime
    or OS still runs it by JIT; Windows PowerShell cannot load one at all, see docs/benchmarks.md). Nothing in the
    repository changes.
.EXAMPLE
    dotnet pwsh ./benchmarks/New-ReadyToRunModule.ps1 -Destination /tmp/r2r
    dotnet pwsh ./benchmarks/Invoke-Benchmarks.ps1 -NoBuild -Scenario cold,import -CompareModuleDirectory /tmp/r2r/ProfileJobs
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $Destination,
    [string] $ModuleDirectory,
    [ValidateSet('net8.0', 'net10.0')] [string] $Framework = 'net10.0',
    [string] $RuntimeIdentifier = 'linux-x64',
    # All: ProfileJobs.dll and Dependencies; Dependencies: only what loads on first use (the client and its packages).
    [ValidateSet('All', 'Dependencies')] [string] $Scope = 'All',
    # Compile the module's assemblies as one version bubble (cross-assembly inlining and generics; all must ship together).
    [switch] $InputBubble,
    # Instead of the module: a copy of this pwsh's $PSHOME with its engine assemblies compiled, as pwsh's release
    # packages ship them (the dotnet tool's are IL only), in Destination/pwsh; run it as dotnet Destination/pwsh/pwsh.dll.
    [switch] $PowerShell
)

$ErrorActionPreference = 'Stop'
$repo = Split-Path -Parent $PSScriptRoot
$ModuleDirectory = if ($ModuleDirectory) { (Resolve-Path $ModuleDirectory).Path } else { Join-Path $repo 'out/ProfileJobs' }
$target = Join-Path $Destination $(if ($PowerShell) { 'pwsh' } else { 'ProfileJobs' })
if (Test-Path $target) { Remove-Item -Recurse -Force $target }
$null = New-Item -ItemType Directory -Force $Destination
Copy-Item -Recurse $(if ($PowerShell) { $PSHOME } else { $ModuleDirectory }) $target

# 1. The packs: the versions the SDK picks for a ReadyToRun publish of -Framework and -RuntimeIdentifier.
$probe = Join-Path ([IO.Path]::GetTempPath()) "profilejobs-r2r-$PID"
$null = New-Item -ItemType Directory -Force $probe
try {
    Set-Content -LiteralPath (Join-Path $probe 'Probe.csproj') -Value @"
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>$Framework</TargetFramework>
    <RuntimeIdentifier>$RuntimeIdentifier</RuntimeIdentifier>
    <SelfContained>false</SelfContained>
    <PublishReadyToRun>true</PublishReadyToRun>
  </PropertyGroup>
</Project>
"@
    Set-Content -LiteralPath (Join-Path $probe 'Program.cs') -Value 'System.Console.WriteLine();'
    Copy-Item (Join-Path $repo 'nuget.config') $probe -ErrorAction SilentlyContinue
    & dotnet publish $probe -c Release --nologo -v quiet -o (Join-Path $probe 'out') | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "The throwaway ReadyToRun publish failed (exit code $LASTEXITCODE)." }
    $assets = Get-Content -Raw (Join-Path $probe 'obj/project.assets.json') | ConvertFrom-Json -AsHashtable
    $downloads = $assets.project.frameworks[$Framework].downloadDependencies
    $version = { param($name) ((@($downloads | Where-Object { $_.name -eq $name })[0].version -split ",")[0]).Trim("[", "]", " ") }
    $packages = ((& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim()
    $crossgenVersion = & $version "Microsoft.NETCore.App.Crossgen2.$RuntimeIdentifier"
    $runtimeVersion = & $version "Microsoft.NETCore.App.Runtime.$RuntimeIdentifier"
    $crossgen = Join-Path $packages "microsoft.netcore.app.crossgen2.$RuntimeIdentifier/$crossgenVersion/tools/crossgen2"
    $runtime = Join-Path $packages "microsoft.netcore.app.runtime.$RuntimeIdentifier/$runtimeVersion/runtimes/$RuntimeIdentifier/lib/$Framework"
    foreach ($path in $crossgen, $runtime) { if (-not (Test-Path $path)) { throw "$path is missing after the publish." } }
}
finally { Remove-Item -Recurse -Force $probe -ErrorAction SilentlyContinue }

# 2. What to compile: IL-only assemblies that PowerShell 7 loads from the module folder (not those the runtime shares).
function Test-ReadyToRun([string] $Path) {
    $stream = [IO.File]::OpenRead($Path)
    try { ([Reflection.PortableExecutable.PEReader]::new($stream)).PEHeaders.CorHeader.ManagedNativeHeaderDirectory.Size -gt 0 } finally { $stream.Dispose() }
}
$frameworkNames = @(Get-ChildItem $runtime -Filter *.dll | ForEach-Object BaseName)
$candidates = if ($PowerShell) {
    # What a pwsh session loads from $PSHOME (from `pwsh -Command exit` to Import-Csv and web cmdlets).
    @('pwsh', 'System.Management.Automation', 'Microsoft.PowerShell.ConsoleHost', 'Microsoft.PowerShell.Commands.Utility',
        'Microsoft.PowerShell.Commands.Management', 'Microsoft.PowerShell.Security', 'Microsoft.PowerShell.CoreCLR.Eventing',
        'Microsoft.PowerShell.MarkdownRender', 'Microsoft.Management.Infrastructure', 'Microsoft.ApplicationInsights', 'Newtonsoft.Json') |
        ForEach-Object { Join-Path $target "$_.dll" } | Where-Object { Test-Path $_ } | ForEach-Object { Get-Item $_ }
}
else {
    @(Get-ChildItem (Join-Path $target 'Dependencies') -Filter *.dll)
    if ($Scope -eq 'All') { Get-Item (Join-Path $target 'ProfileJobs.dll') }
}
$inputs = @($candidates | Where-Object { $_.BaseName -notin $frameworkNames -and -not (Test-ReadyToRun $_.FullName) })

# 3. crossgen2, against the framework, the engine of this pwsh and the module's own assemblies.
$os = ($RuntimeIdentifier -split '-')[0] -replace '^osx$', 'osx' -replace '^win$', 'windows'
$arch = ($RuntimeIdentifier -split '-')[-1]
$references = @("$runtime/*.dll") + $(if ($PowerShell) { @() } else { @("$PSHOME/System.Management.Automation.dll", "$PSHOME/Microsoft.PowerShell.*.dll") }) +
    @(if ($PowerShell) { Get-ChildItem $target -Filter *.dll | Where-Object { $_.FullName -notin $candidates.FullName -and $_.BaseName -notin $frameworkNames } | ForEach-Object FullName }) +
    @($candidates | Where-Object { $_.FullName -notin $inputs.FullName } | ForEach-Object FullName)
$compiled = Join-Path $Destination 'r2r-out'
if (Test-Path $compiled) { Remove-Item -Recurse -Force $compiled }
$null = New-Item -ItemType Directory $compiled
$common = @('-O', '--targetos', $os, '--targetarch', $arch) + @($references | ForEach-Object { '-r', $_ })
if ($InputBubble) {
    $arguments = @($inputs.FullName) + $common + @('--inputbubble', '-o', $compiled)
    & $crossgen @arguments | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "crossgen2 failed (exit code $LASTEXITCODE)." }
}
else {
    foreach ($file in $inputs) {
        $others = @($inputs | Where-Object FullName -NE $file.FullName | ForEach-Object { '-r', $_.FullName })
        & $crossgen $file.FullName @common @others -o (Join-Path $compiled $file.Name) | Out-Host
        if ($LASTEXITCODE -ne 0) { throw "crossgen2 failed on $($file.Name) (exit code $LASTEXITCODE)." }
    }
}
foreach ($file in $inputs) {
    $image = Join-Path $compiled $file.Name
    if (-not (Test-ReadyToRun $image)) { throw "crossgen2 wrote no ReadyToRun code into $($file.Name)." }
    [pscustomobject]@{ Assembly = $file.Name; ILBytes = $file.Length; ReadyToRunBytes = (Get-Item $image).Length }
    Copy-Item $image $file.FullName -Force
}
Remove-Item -Recurse -Force $compiled
Write-Host "ReadyToRun ($Framework, $RuntimeIdentifier, crossgen2 $crossgenVersion) copy of $(if ($PowerShell) { 'PowerShell' } else { 'the module' }): $target"
