<#
.SYNOPSIS
    ReadyToRun (crossgen2) images, the one place that knows how to make them: build.ps1 compiles the module's isolated
    dependencies with it, benchmarks/New-ReadyToRunModule.ps1 its experiments (ProfileJobs.dll, a compiled $PSHOME).
.DESCRIPTION
    The packs are the SDK's own: a throwaway PublishReadyToRun library project in a temporary folder is restored for
    one target framework and runtime identifier, and the versions the SDK chose (nothing is pinned here) are read back
    from its project.assets.json; crossgen2 comes from Microsoft.NETCore.App.Crossgen2.<host-rid>, the framework
    assemblies it compiles against from Microsoft.NETCore.App.Runtime.<rid>. A target whose packs the package source
    does not serve is skipped with a warning, not an error.

    The images of the module's dependencies go to Dependencies/r2r/<tfm>-<rid>/<name>.dll, next to the IL copies,
    which stay where they are (Windows PowerShell 5.1 and runtimes without images load those). The loader
    (src/ProfileJobs/Loading/IsolatedDependencyResolver.cs) takes the image of the running .NET major version and
    platform first. An image is made only for an assembly the loader would take from Dependencies/ on that framework:
    IL only, and not provided by the framework at the same or a higher version (the loader shares those).
#>

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

# The targets of a package: the .NET of each supported pwsh (net8.0: 7.4, net10.0: 7.6) and the platforms it runs on.
$script:AllTargets = foreach ($framework in 'net8.0', 'net10.0') {
    foreach ($rid in 'win-x64', 'linux-x64', 'osx-arm64', 'linux-arm64', 'osx-x64') { "$framework-$rid" }
}

function Get-ReadyToRunTarget {
    <#
    .SYNOPSIS
        'All': every target of a package. 'Current': the running pwsh's .NET major version and this platform, named as
        the loader names it (net<major>.0-<win|linux|osx>-<x64|arm64>).
    #>
    param([ValidateSet('Current', 'All')] [string] $Scope = 'Current')
    if ($Scope -eq 'All') { return $script:AllTargets }
    $ri = [Runtime.InteropServices.RuntimeInformation]
    $os = if ($ri::IsOSPlatform([Runtime.InteropServices.OSPlatform]::Windows)) { 'win' }
    elseif ($ri::IsOSPlatform([Runtime.InteropServices.OSPlatform]::OSX)) { 'osx' }
    elseif ($ri::IsOSPlatform([Runtime.InteropServices.OSPlatform]::Linux)) { 'linux' }
    else { return @() }
    $arch = switch ($ri::ProcessArchitecture) { 'X64' { 'x64' } 'Arm64' { 'arm64' } default { $null } }
    if (-not $arch) { return @() }
    "net$([Environment]::Version.Major).0-$os-$arch"
}

function Split-ReadyToRunTarget([string] $Target) {
    if ($Target -notmatch '^(?<framework>net\d+\.0)-(?<rid>(?<os>win|linux|osx)-(?<arch>x64|arm64))$') {
        throw "'$Target' is not a ReadyToRun target (net<major>.0-<win|linux|osx>-<x64|arm64>)."
    }
    [pscustomobject]@{
        Framework = $Matches.framework; RuntimeIdentifier = $Matches.rid
        TargetOS = @{ win = 'windows'; linux = 'linux'; osx = 'osx' }[$Matches.os]; TargetArch = $Matches.arch
    }
}

function Get-ReadyToRunPack {
    <#
    .SYNOPSIS
        crossgen2 and the framework assemblies for one target, restored as the SDK picks them; $null (with a warning)
        when the package source does not serve them.
    #>
    param([Parameter(Mandatory)] [string] $Framework, [Parameter(Mandatory)] [string] $RuntimeIdentifier, [string] $NuGetConfig)
    $probe = Join-Path ([IO.Path]::GetTempPath()) "profilejobs-r2r-$PID-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    $null = New-Item -ItemType Directory -Force $probe
    try {
        # A library (no apphost pack) that does not ask for the ASP.NET Core or desktop runtime packs either.
        Set-Content -LiteralPath (Join-Path $probe 'Probe.csproj') -Value @"
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>$Framework</TargetFramework>
    <RuntimeIdentifier>$RuntimeIdentifier</RuntimeIdentifier>
    <SelfContained>false</SelfContained>
    <PublishReadyToRun>true</PublishReadyToRun>
    <UseAppHost>false</UseAppHost>
    <DisableTransitiveFrameworkReferenceDownloads>true</DisableTransitiveFrameworkReferenceDownloads>
  </PropertyGroup>
</Project>
"@
        if ($NuGetConfig -and (Test-Path -LiteralPath $NuGetConfig)) { Copy-Item -LiteralPath $NuGetConfig (Join-Path $probe 'nuget.config') }
        $output = & dotnet restore $probe --nologo -v quiet 2>&1
        if ($LASTEXITCODE -ne 0) {
            $reason = @($output | Where-Object { "$_" -match 'error' } | Select-Object -First 2) -join ' '
            Write-Warning "ReadyToRun $Framework-${RuntimeIdentifier}: skipped, the packs were not restored ($reason)"
            return $null
        }
        $assets = Get-Content -Raw (Join-Path $probe 'obj/project.assets.json') | ConvertFrom-Json -AsHashtable
        $downloads = @($assets.project.frameworks[$Framework].downloadDependencies)
        $version = { param($name) ((@($downloads | Where-Object { $_.name -like $name })[0].version -split ',')[0]).Trim('[', ']', ' ') }
        $crossgenPack = @($downloads | Where-Object { $_.name -like 'Microsoft.NETCore.App.Crossgen2.*' })[0].name
        $crossgenVersion = & $version $crossgenPack
        $runtimeVersion = & $version "Microsoft.NETCore.App.Runtime.$RuntimeIdentifier"
        $packages = ((& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim()
        $tools = Join-Path $packages "$($crossgenPack.ToLowerInvariant())/$crossgenVersion/tools"
        $crossgen = @(Get-ChildItem -LiteralPath $tools -File | Where-Object { $_.Name -in 'crossgen2', 'crossgen2.exe' })[0].FullName
        $runtime = Join-Path $packages "microsoft.netcore.app.runtime.$($RuntimeIdentifier.ToLowerInvariant())/$runtimeVersion/runtimes/$RuntimeIdentifier/lib/$Framework"
        foreach ($path in $crossgen, $runtime) { if (-not $path -or -not (Test-Path -LiteralPath $path)) { throw "$path is missing after the restore." } }
        [pscustomobject]@{
            Framework = $Framework; RuntimeIdentifier = $RuntimeIdentifier
            Crossgen = $crossgen; CrossgenVersion = $crossgenVersion; Runtime = $runtime; RuntimeVersion = $runtimeVersion
        }
    }
    finally { Remove-Item -Recurse -Force $probe -ErrorAction SilentlyContinue }
}

function Test-ReadyToRunImage([string] $Path) {
    $stream = [IO.File]::OpenRead($Path)
    try {
        $headers = ([Reflection.PortableExecutable.PEReader]::new($stream)).PEHeaders
        $null -ne $headers.CorHeader -and $headers.CorHeader.ManagedNativeHeaderDirectory.Size -gt 0
    }
    finally { $stream.Dispose() }
}

function Invoke-Crossgen {
    <#
    .SYNOPSIS
        Compiles each input to OutputDirectory/<name>.dll for Pack's target, against Pack's framework and References
        (with -InputBubble: all inputs in one call, as one version bubble). Throws when crossgen2 fails or writes no
        ReadyToRun code.
    #>
    param(
        [Parameter(Mandatory)] $Pack,
        [Parameter(Mandatory)] [string[]] $InputPath,
        [string[]] $Reference = @(),
        [Parameter(Mandatory)] [string] $OutputDirectory,
        [switch] $InputBubble
    )
    $target = Split-ReadyToRunTarget "$($Pack.Framework)-$($Pack.RuntimeIdentifier)"
    $null = New-Item -ItemType Directory -Force $OutputDirectory
    # The framework's assemblies, less those that the inputs or references replace (crossgen2 refuses two of one name).
    $replaced = @(@($InputPath) + @($Reference) | ForEach-Object { [IO.Path]::GetFileNameWithoutExtension($_) })
    $framework = @(Get-ChildItem -LiteralPath $Pack.Runtime -Filter *.dll -File | Where-Object BaseName -NotIn $replaced | ForEach-Object FullName)
    $common = @('-O', '--targetos', $target.TargetOS, '--targetarch', $target.TargetArch) +
        @(@($framework) + @($Reference) | ForEach-Object { '-r', $_ })
    if ($InputBubble) {
        $output = & $Pack.Crossgen @InputPath @common --inputbubble -o $OutputDirectory 2>&1
        if ($LASTEXITCODE -ne 0) { throw "crossgen2 failed (exit code $LASTEXITCODE): $($output -join "`n")" }
    }
    else {
        foreach ($file in $InputPath) {
            $others = @($InputPath | Where-Object { $_ -ne $file } | ForEach-Object { '-r', $_ })
            $output = & $Pack.Crossgen $file @common @others -o (Join-Path $OutputDirectory (Split-Path -Leaf $file)) 2>&1
            if ($LASTEXITCODE -ne 0) { throw "crossgen2 failed on $(Split-Path -Leaf $file) (exit code $LASTEXITCODE): $($output -join "`n")" }
        }
    }
    foreach ($file in $InputPath) {
        $image = Join-Path $OutputDirectory (Split-Path -Leaf $file)
        if (-not (Test-ReadyToRunImage $image)) { throw "crossgen2 wrote no ReadyToRun code into $image." }
    }
}

function Get-FileDigest([string[]] $Text, [string[]] $Path) {
    $sha = [Security.Cryptography.SHA256]::Create()
    try {
        $parts = @($Text) + @($Path | Sort-Object | ForEach-Object { "$(Split-Path -Leaf $_)=$([Convert]::ToHexString($sha.ComputeHash([IO.File]::ReadAllBytes($_))))" })
        [Convert]::ToHexString($sha.ComputeHash([Text.Encoding]::UTF8.GetBytes($parts -join "`n")))
    }
    finally { $sha.Dispose() }
}

function New-DependencyReadyToRunImage {
    <#
    .SYNOPSIS
        Writes ModuleDirectory/Dependencies/r2r/<target>/<name>.dll for each target and returns one row per image
        (Target, Assembly, ILBytes, ReadyToRunBytes), plus a row with only Target and Skipped for a target whose packs
        are not served. Images are kept in CacheDirectory/<target> and reused while their inputs, references and
        packs are the same.
    #>
    param(
        [Parameter(Mandatory)] [string] $ModuleDirectory,
        [Parameter(Mandatory)] [string[]] $Target,
        [string] $CacheDirectory,
        [string] $NuGetConfig
    )
    $dependencies = Join-Path $ModuleDirectory 'Dependencies'
    $il = @(Get-ChildItem -LiteralPath $dependencies -Filter *.dll -File | Where-Object { -not (Test-ReadyToRunImage $_.FullName) })
    # The user-facing types live next to ProfileJobs.dll; the client references them.
    $moduleReferences = @(Get-ChildItem -LiteralPath $ModuleDirectory -Filter 'ProfileJobs.Types.dll' -File | ForEach-Object FullName)
    foreach ($name in $Target) {
        $parts = Split-ReadyToRunTarget $name
        $pack = Get-ReadyToRunPack -Framework $parts.Framework -RuntimeIdentifier $parts.RuntimeIdentifier -NuGetConfig $NuGetConfig
        if (-not $pack) { [pscustomobject]@{ Target = $name; Skipped = 'packs not served' }; continue }

        # What the loader takes from Dependencies/ on this framework: not in the framework at the same or a higher version.
        $framework = @{}
        foreach ($file in Get-ChildItem -LiteralPath $pack.Runtime -Filter *.dll -File) { $framework[$file.BaseName] = $file.FullName }
        $inputs = @($il | Where-Object {
                -not $framework.ContainsKey($_.BaseName) -or
                [Reflection.AssemblyName]::GetAssemblyName($framework[$_.BaseName]).Version -lt [Reflection.AssemblyName]::GetAssemblyName($_.FullName).Version
            })
        if ($inputs.Count -eq 0) { continue }

        $destination = Join-Path $dependencies "r2r/$name"
        $digest = Get-FileDigest -Text @($pack.Crossgen, $pack.CrossgenVersion, $pack.RuntimeVersion) -Path (@($inputs.FullName) + $moduleReferences)
        $cache = if ($CacheDirectory) { Join-Path $CacheDirectory $name }
        $cached = $cache -and (Test-Path -LiteralPath (Join-Path $cache 'inputs.sha256')) -and
            (Get-Content -Raw -LiteralPath (Join-Path $cache 'inputs.sha256')).Trim() -eq $digest -and
            -not @($inputs | Where-Object { -not (Test-Path -LiteralPath (Join-Path $cache $_.Name)) })
        if (-not $cached) {
            $work = if ($cache) { $cache } else { Join-Path ([IO.Path]::GetTempPath()) "profilejobs-r2r-out-$([guid]::NewGuid().ToString('N'))" }
            if (Test-Path -LiteralPath $work) { Remove-Item -Recurse -Force -LiteralPath $work }
            Invoke-Crossgen -Pack $pack -InputPath $inputs.FullName -Reference $moduleReferences -OutputDirectory $work
            if ($cache) { Set-Content -LiteralPath (Join-Path $cache 'inputs.sha256') -Value $digest }
        }
        else { $work = $cache }
        $null = New-Item -ItemType Directory -Force $destination
        foreach ($file in $inputs) {
            $image = Join-Path $destination $file.Name
            Copy-Item -LiteralPath (Join-Path $work $file.Name) -Destination $image -Force
            [pscustomobject]@{ Target = $name; Assembly = $file.Name; ILBytes = $file.Length; ReadyToRunBytes = (Get-Item -LiteralPath $image).Length; Crossgen = $pack.CrossgenVersion; Runtime = $pack.RuntimeVersion; Cached = [bool]$cached }
        }
        if (-not $cache) { Remove-Item -Recurse -Force -LiteralPath $work }
    }
}

Export-ModuleMember -Function Get-ReadyToRunTarget, Get-ReadyToRunPack, Test-ReadyToRunImage, Invoke-Crossgen, New-DependencyReadyToRunImage
