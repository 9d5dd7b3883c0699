<#
.SYNOPSIS
    One benchmark process: imports a module by name, connects it to the emulator and times commands in it.
.DESCRIPTION
    Started by Invoke-Benchmarks.ps1 as a fresh pwsh process (pwsh -NoProfile -NonInteractive -File), the way a
    runbook or a user's session runs the module. In order, each phase only when given:
      -Setup     untimed script (variables for the commands; $BenchData holds -DataFile's path);
      -Warmup    untimed, must write exactly one number: the count it produced, checked against -WarmupCount;
      -Timed     run -Runs times with its output discarded (> $null), a full collection before each, timed;
      -Measured  one run whose single number is checked against -MeasuredCount, with the working set before it.
    -Reset resets the emulator and connects again (untimed) before every timed or measured run, so each starts from
    the same empty store. Every phase fails the process on any error. Writes one line per phase and one for the
    process, each "BENCH " + JSON: the peak working set of the whole process, JIT and GC counts.
#>
[CmdletBinding()]
param(
    # The launcher's emulator object as JSON (Uri, Mode, ClientId, ClientSecret, OrgId, SandboxName, SandboxId).
    [Parameter(Mandatory)] [string] $EmulatorFile,
    [string] $Module = 'ProfileJobs',
    [string] $DataFile,
    [string] $Setup,
    [string] $Warmup,
    [long] $WarmupCount = -1,
    [string] $Timed,
    [int] $Runs = 0,
    [string] $Measured,
    [long] $MeasuredCount = -1,
    [switch] $Reset,
    [switch] $NoConnect
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
Import-Module (Join-Path $PSScriptRoot '../tools/EmulatorLauncher.psm1')
$emulator = Get-Content -Raw -LiteralPath $EmulatorFile | ConvertFrom-Json
$BenchData = $DataFile

function Write-Bench([string] $Kind, [hashtable] $Values) {
    $Values.kind = $Kind
    'BENCH ' + (ConvertTo-Json -InputObject $Values -Compress)
}

function Invoke-Phase([string] $Name, [string] $Script) {
    $Error.Clear()
    $output = . ([scriptblock]::Create($Script))
    if ($Error.Count -gt 0) { throw "$Name wrote an error: $($Error[0])" }
    $output
}

function Get-Count([string] $Name, $Output, [long] $Expected) {
    $numbers = @($Output)
    if ($numbers.Count -ne 1 -or $numbers[0] -isnot [ValueType]) {
        throw "$Name must write one count; it wrote $($numbers.Count) object(s): $(($numbers | Select-Object -First 3) -join ', ')"
    }
    $count = [long]$numbers[0]
    if ($Expected -ge 0 -and $count -ne $Expected) { throw "$Name produced $count, expected $Expected." }
    $count
}

function Reset-Connection {
    if ($Reset) { Reset-Emulator $emulator }
    if (-not $NoConnect) { $null = Connect-Emulator $emulator }
}

function Clear-Garbage { [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect() }

Import-Module $Module
if (-not $NoConnect) { $null = Connect-Emulator $emulator }
# Dot-sourced here, at the script's scope, so that the variables it sets are there for the later phases.
if ($Setup) { $null = . ([scriptblock]::Create($Setup)) }

if ($Warmup) {
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $count = Get-Count 'the warm-up' (Invoke-Phase 'the warm-up' $Warmup) $WarmupCount
    Write-Bench 'warmup' @{ count = $count; ms = $watch.Elapsed.TotalMilliseconds }
}

if ($Timed) {
    $timedBlock = [scriptblock]::Create($Timed)
    for ($run = 1; $run -le $Runs; $run++) {
        Reset-Connection
        Clear-Garbage
        $Error.Clear()
        $watch = [Diagnostics.Stopwatch]::StartNew()
        . $timedBlock > $null
        $ms = $watch.Elapsed.TotalMilliseconds
        if ($Error.Count -gt 0) { throw "timed run $run wrote an error: $($Error[0])" }
        Write-Bench 'run' @{ ms = $ms }
    }
}

if ($Measured) {
    Reset-Connection
    Clear-Garbage
    $self = [Diagnostics.Process]::GetCurrentProcess()
    $baseline = $self.WorkingSet64
    $gc = @([GC]::CollectionCount(0), [GC]::CollectionCount(1), [GC]::CollectionCount(2))
    $allocated = [GC]::GetTotalAllocatedBytes($true)
    $pause = [GC]::GetTotalPauseDuration()
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $output = Invoke-Phase 'the measured run' $Measured
    $ms = $watch.Elapsed.TotalMilliseconds
    $count = Get-Count 'the measured run' $output $MeasuredCount
    Write-Bench 'measured' @{
        count                = $count
        ms                   = $ms
        baselineWorkingSetMb = $baseline / 1MB
        allocatedMb          = ([GC]::GetTotalAllocatedBytes($true) - $allocated) / 1MB
        gen0                 = [GC]::CollectionCount(0) - $gc[0]
        gen1                 = [GC]::CollectionCount(1) - $gc[1]
        gen2                 = [GC]::CollectionCount(2) - $gc[2]
        gcPauseMs            = ([GC]::GetTotalPauseDuration() - $pause).TotalMilliseconds
    }
}

$self = [Diagnostics.Process]::GetCurrentProcess()
Write-Bench 'process' @{
    peakWorkingSetMb = $self.PeakWorkingSet64 / 1MB
    jitMethods       = [System.Runtime.JitInfo]::GetCompiledMethodCount($false)
    jitMs            = [System.Runtime.JitInfo]::GetCompilationTime($false).TotalMilliseconds
    assemblies       = [AppDomain]::CurrentDomain.GetAssemblies().Count
}
