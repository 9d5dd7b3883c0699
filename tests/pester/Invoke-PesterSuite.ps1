<#
.SYNOPSIS
    Runs Pester test files in this (fresh) pwsh process and writes their results for build.ps1.
.DESCRIPTION
    build.ps1 -Task Test starts this script in a new pwsh process, so the suite always imports the module just built,
    never a copy an earlier run left loaded. It writes NUnit XML and a summary (passed, failed, skipped, containers
    that failed to load) to -ResultDirectory, and exits 1 when anything failed or nothing ran.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $PesterModule,
    [Parameter(Mandatory)] [string[]] $Path,
    [Parameter(Mandatory)] [string] $ResultDirectory,
    [string] $Name = 'pester',
    [string[]] $FullNameFilter,
    [ValidateSet('None', 'Normal', 'Detailed', 'Diagnostic')] [string] $Output = 'Normal'
)

$ErrorActionPreference = 'Stop'
# build.ps1 passes several paths or filters as one argument, a line each (pwsh -File binds one argument per parameter).
$Path = @($Path | ForEach-Object { $_ -split "`n" } | Where-Object { $_ })
$FullNameFilter = @($FullNameFilter | ForEach-Object { $_ -split "`n" } | Where-Object { $_ })
Import-Module $PesterModule -Force
$null = New-Item -ItemType Directory -Force -Path $ResultDirectory

$configuration = New-PesterConfiguration
$configuration.Run.Path = $Path
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = $Output
$configuration.TestResult.Enabled = $true
$configuration.TestResult.OutputFormat = 'NUnitXml'
$configuration.TestResult.OutputPath = Join-Path $ResultDirectory "$Name.xml"
if ($FullNameFilter) { $configuration.Filter.FullName = $FullNameFilter }

$result = Invoke-Pester -Configuration $configuration

$summary = [ordered]@{
    Passed           = $result.PassedCount
    Failed           = $result.FailedCount
    Skipped          = $result.SkippedCount
    NotRun           = $result.NotRunCount
    Total            = $result.TotalCount
    FailedContainers = @($result.Containers | Where-Object { $_.Result -eq 'Failed' -and $_.FailedCount -eq 0 } | ForEach-Object {
            [ordered]@{ Item = "$($_.Item)"; Error = @($_.ErrorRecord | ForEach-Object { "$_" }) -join '; ' }
        })
    FailedBlocks     = @($result.FailedBlocks | ForEach-Object { $_.ExpandedPath })
}
$summary | ConvertTo-Json -Depth 5 | Set-Content -LiteralPath (Join-Path $ResultDirectory "$Name.summary.json") -Encoding utf8

$bad = $summary.Failed + $summary.FailedContainers.Count
if ($bad -gt 0 -or $summary.Total -eq 0) { exit 1 }
exit 0
