<#
.SYNOPSIS
    Builds, tests and packages the ProfileJobs module.
.DESCRIPTION
    Runs under pwsh and under the project's own engine host (src/ProfileJobs.Shell), so it uses only the
    PowerShell language, core cmdlets and .NET: no Join-Path, Test-Path, Write-Host or other Utility and
    Management cmdlets, which the hosted engine does not have.
.EXAMPLE
    dotnet run --project src/ProfileJobs.Shell -c Release -- -File build.ps1 -Task Test
.EXAMPLE
    pwsh ./build.ps1 -Task Package
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Demo', 'Clean')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$solution = [IO.Path]::Combine($root, 'ProfileJobs.sln')
$moduleDir = [IO.Path]::Combine($root, 'out', 'ProfileJobs')
$artifacts = [IO.Path]::Combine($root, 'artifacts')

function Say([string] $text) { [Console]::Out.WriteLine($text); [Console]::Out.Flush() }

# A simple function on purpose: an advanced one would take dotnet's -v for its own -Verbose.
function Invoke-Dotnet {
    Say "> dotnet $($args -join ' ')"
    & dotnet @args | ForEach-Object { Say "$_" }
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args[0]) failed with exit code $LASTEXITCODE" }
}

function Invoke-Build {
    Invoke-Dotnet build $solution -c $Configuration --nologo -v quiet
    if (-not [IO.File]::Exists([IO.Path]::Combine($moduleDir, 'ProfileJobs.psd1'))) { throw "The build did not produce $moduleDir" }
    Say "Module folder: $moduleDir"
}

function Invoke-Test {
    $results = [IO.Path]::Combine($artifacts, 'test-results')
    if ([IO.Directory]::Exists($results)) { [IO.Directory]::Delete($results, $true) }
    Say "> dotnet test $solution"
    & dotnet test $solution -c $Configuration --no-build --nologo --logger 'trx' --logger 'console;verbosity=minimal' --results-directory $results |
        ForEach-Object { Say "$_" }
    $testExit = $LASTEXITCODE

    $passed = 0
    $failed = 0
    $trxFiles = @()
    if ([IO.Directory]::Exists($results)) { $trxFiles = [IO.Directory]::GetFiles($results, '*.trx', 'AllDirectories') }
    foreach ($file in $trxFiles) {
        $trx = [xml][IO.File]::ReadAllText($file)
        $counters = $trx.TestRun.ResultSummary.Counters
        $passed += [int]$counters.passed
        $failed += [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
    }
    if ($trxFiles.Count -eq 0) { $failed += 1; Say 'No test results were written.' }
    elseif ($testExit -ne 0 -and $failed -eq 0) { $failed += 1; Say "dotnet test exited with $testExit." }
    Say "$passed passed, $failed failed"
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Package {
    [IO.Directory]::CreateDirectory($artifacts) | Out-Null
    $manifest = [IO.Path]::Combine($moduleDir, 'ProfileJobs.psd1')
    $version = (Test-ModuleManifest -Path $manifest).Version
    $zip = [IO.Path]::Combine($artifacts, "ProfileJobs-$version.zip")
    if ([IO.File]::Exists($zip)) { [IO.File]::Delete($zip) }
    [IO.Compression.ZipFile]::CreateFromDirectory($moduleDir, $zip, [IO.Compression.CompressionLevel]::Optimal, $true)
    Say "Package: $zip ($([math]::Round([IO.FileInfo]::new($zip).Length / 1KB)) KB)"
}

function Invoke-Demo {
    $emulator = [IO.Path]::Combine($root, 'src', 'ProfileJobs.Emulator', 'bin', $Configuration, 'net10.0', 'ProfileJobs.Emulator.dll')
    $start = [Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($argument in @($emulator, '--mode', 'unified', '--seed-jobs', '8', '--job-step-ms', '1500', '--exit-on-stdin-close')) {
        $start.ArgumentList.Add($argument)
    }
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardInput = $true
    $start.UseShellExecute = $false
    $process = [Diagnostics.Process]::Start($start)
    try {
        $line = $process.StandardOutput.ReadLine()
        if (-not $line -or -not $line.StartsWith('LISTENING ')) { throw "The emulator did not start: $line" }
        $url = $line.Substring('LISTENING '.Length)
        Say "Emulator listening on $url"
        & ([IO.Path]::Combine($root, 'examples', 'demo.ps1')) -PlatformUri $url -ModulePath $moduleDir
    }
    finally {
        $process.StandardInput.Close()
        if (-not $process.WaitForExit(3000)) { $process.Kill() }
    }
}

function Invoke-Clean {
    foreach ($dir in @($moduleDir, $artifacts)) {
        if ([IO.Directory]::Exists($dir)) { [IO.Directory]::Delete($dir, $true) }
    }
    Invoke-Dotnet clean $solution -c $Configuration --nologo -v quiet
}

foreach ($name in $Task) {
    Say "=== $name"
    switch ($name) {
        'Build'   { Invoke-Build }
        'Test'    { Invoke-Build; Invoke-Test }
        'Package' { Invoke-Build; Invoke-Package }
        'Demo'    { Invoke-Build; Invoke-Demo }
        'Clean'   { Invoke-Clean }
    }
}
