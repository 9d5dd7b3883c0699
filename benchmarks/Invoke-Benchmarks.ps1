<#
.SYNOPSIS
    The benchmarks: the module in fresh pwsh processes, the way users run it, against a plain HttpClient floor.
.DESCRIPTION
    Every scenario starts its own emulator through tools/EmulatorLauncher.psm1 (the repository's one launcher) and
    runs the module in new pwsh processes of the pwsh that runs this script (`dotnet pwsh.dll` for the repository's
    dotnet tool): cold start and memory in one process per measurement, throughput in a process that warms up first
    and then times several runs. The floor is benchmarks/ProfileJobs.Benchmarks.Floor, a process of its own sending
    the same requests to the same emulator with the same number in flight. Module and floor processes alternate, so
    both see the same machine load.

    Prints "RESULT <scenario> key=value ..." per scenario (what the smoke test checks) and, with -OutFile, rewrites
    the results block of that file (docs/benchmarks.md) between its markers. Exits 1 when any scenario failed.
.PARAMETER Scenario
    Only these scenarios: cold, import, list, hygiene-jobs, hygiene-workorders, per-call, emulator.
.PARAMETER Smoke
    Every scenario once at tiny sizes: checks that each runs and counts right (CI), measures nothing.
.PARAMETER ModuleDirectory
    The module folder to measure (default out/ProfileJobs). Its folder must be named ProfileJobs: it is imported by name.
.PARAMETER PowerShellHome
    Run the pwsh processes from this folder instead ($PSHOME of another pwsh, e.g. a ReadyToRun-compiled copy of the
    dotnet tool's made by New-ReadyToRunModule.ps1 -PowerShell), as dotnet <folder>/pwsh.dll.
.PARAMETER NoReadyToRunPowerShell
    Skip the cold rows on a ReadyToRun-compiled copy of $PSHOME (made with New-ReadyToRunModule.ps1 -PowerShell in
    about a minute, for a full run's cold scenario when this pwsh is IL only and no -PowerShellHome is given).
.PARAMETER CompareModuleDirectory
    Another build of the module (e.g. a ReadyToRun copy), measured in alternation with -ModuleDirectory in the cold
    and import scenarios.
.EXAMPLE
    dotnet tool restore; dotnet pwsh ./benchmarks/Invoke-Benchmarks.ps1 -OutFile docs/benchmarks.md
.EXAMPLE
    dotnet pwsh ./benchmarks/Invoke-Benchmarks.ps1 -Scenario cold,import -CompareModuleDirectory /tmp/r2r/ProfileJobs -NoBuild
#>
[CmdletBinding()]
param(
    [string[]] $Scenario,
    [switch] $Smoke,
    [string] $OutFile,
    [switch] $NoBuild,
    [string] $ModuleDirectory,
    [string] $CompareModuleDirectory,
    [string] $PowerShellHome,
    [ValidateRange(1, 100)] [int] $Rounds,
    [switch] $NoReadyToRunPowerShell
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$RepoRoot = Split-Path -Parent $PSScriptRoot
Import-Module (Join-Path $RepoRoot 'tools/EmulatorLauncher.psm1')

# ---- Targets (issue 11) -------------------------------------------------------------------------------------------
$Targets = @{
    ColdOverheadMs     = 400    # Import + Connect + list 1,000 jobs, over `pwsh -NoProfile -Command exit`
    ImportOverheadMs   = 60     # Import-Module ProfileJobs over importing the empty binary module
    ListRatio          = 1.25   # 100,000 jobs against the floor
    ListGrowthMb       = 20     # peak working set, 1,000 -> 100,000 jobs
    RecordDeleteRatio  = 1.25   # 1,000,000 identities as record-delete jobs, against the floor
    WorkOrderRatio     = 1.5    # 1,000,000 identities as work orders, against the floor
    BulkPeakMb         = 300    # peak working set of the whole pwsh process for each bulk path
    PerCallOverheadMs  = 0.3    # per Get-ProfileSystemJob -Id call over a bare GET
    EmulatorRps        = 10000  # simple GETs per second the emulator must serve so that it is not the bottleneck
}
$InFlight = 4
$Known = 'cold', 'import', 'list', 'hygiene-jobs', 'hygiene-workorders', 'per-call', 'emulator'
# pwsh -File passes "a,b" as one string: split it as PowerShell would split a list.
$Scenario = @($Scenario | ForEach-Object { $_ -split ',' } | ForEach-Object Trim | Where-Object { $_ })
foreach ($name in $Scenario) { if ($name -notin $Known) { throw "Unknown scenario '$name'; known: $($Known -join ', ')." } }

$ModuleDirectory = if ($ModuleDirectory) { (Resolve-Path $ModuleDirectory).Path } else { Join-Path $RepoRoot 'out/ProfileJobs' }
if ($CompareModuleDirectory) { $CompareModuleDirectory = (Resolve-Path $CompareModuleDirectory).Path }
$EmptyModuleRoot = Join-Path $RepoRoot 'benchmarks/ProfileJobs.Benchmarks.EmptyModule/bin/Release/Modules'
$FloorDll = Join-Path $RepoRoot 'benchmarks/ProfileJobs.Benchmarks.Floor/bin/Release/net10.0/ProfileJobs.Benchmarks.Floor.dll'
$ChildScript = Join-Path $PSScriptRoot 'Measure-ModuleRun.ps1'
$Work = Join-Path ([IO.Path]::GetTempPath()) "profilejobs-bench-$PID"
$Invariant = [Globalization.CultureInfo]::InvariantCulture

function Say([string] $Text) { Write-Host $Text }

# ---- Processes ----------------------------------------------------------------------------------------------------

# The pwsh running this script, to start more of the same: pwsh itself, or `dotnet pwsh.dll` for the dotnet tool.
$PwshExe = [Environment]::ProcessPath
$PwshPrefix = @(if ([IO.Path]::GetFileNameWithoutExtension($PwshExe) -ne 'pwsh') { Join-Path $PSHOME 'pwsh.dll' })
$DotnetExe = (Get-Command dotnet -CommandType Application | Select-Object -First 1).Source
$PwshLabel = if ($PwshPrefix) { "the dotnet tool's pwsh $($PSVersionTable.PSVersion) (IL only)" } else { "pwsh $($PSVersionTable.PSVersion)" }
if ($PowerShellHome) {
    $PwshExe = $DotnetExe
    $PwshPrefix = @(Join-Path (Resolve-Path $PowerShellHome).Path 'pwsh.dll')
    if (-not (Test-Path $PwshPrefix[0])) { throw "$($PwshPrefix[0]) is missing." }
    $PwshLabel = "pwsh from $PowerShellHome"
}
# Made in a full run's cold scenario (see -NoReadyToRunPowerShell).
$ColdReadyToRunHome = $null

# Starts a process, waits at most -TimeoutSeconds, returns its output, BENCH records and wall time; throws when it
# fails, times out or writes no BENCH record although -Expect says it must.
function Invoke-Child {
    param(
        [Parameter(Mandatory)] [string] $FilePath,
        [Parameter(Mandatory)] [string[]] $ArgumentList,
        [hashtable] $Environment = @{},
        [int] $TimeoutSeconds = 600,
        [string] $What = 'process'
    )
    $start = [Diagnostics.ProcessStartInfo]::new($FilePath)
    foreach ($argument in $ArgumentList) { $start.ArgumentList.Add($argument) }
    $start.Environment['NO_COLOR'] = '1'
    foreach ($name in $Environment.Keys) { $start.Environment[$name] = [string]$Environment[$name] }
    $start.WorkingDirectory = $Work
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $process = [Diagnostics.Process]::Start($start)
    try {
        $process.StandardInput.Close()
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
            $process.Kill($true)
            throw "$What did not finish within $TimeoutSeconds s."
        }
        $process.WaitForExit()
        $wall = $watch.Elapsed.TotalMilliseconds
        $text = $stdout.Result
        if ($process.ExitCode -ne 0) {
            throw "$What exited with $($process.ExitCode): $(Get-Tail $text) $(Get-Tail $stderr.Result)"
        }
        $records = @($text -split "`n" | Where-Object { $_.StartsWith('BENCH ') } | ForEach-Object { $_.Substring(6) | ConvertFrom-Json })
        [pscustomobject]@{ WallMs = $wall; Records = $records; StdOut = $text; StdErr = $stderr.Result }
    }
    finally { $process.Dispose() }
}

function Get-Tail([string] $Text) { if ($Text.Length -le 1500) { $Text.Trim() } else { '...' + $Text.Substring($Text.Length - 1500).Trim() } }

function Get-Record($Child, [string] $Kind) { @($Child.Records | Where-Object kind -EQ $Kind) }

function Get-ModuleEnvironment([string] $Module = $ModuleDirectory) {
    @{ PSModulePath = (Split-Path -Parent $Module) + [IO.Path]::PathSeparator + $EmptyModuleRoot }
}

# A fresh pwsh running Measure-ModuleRun.ps1 (see there for the phases).
function Invoke-ModuleProcess {
    param([Parameter(Mandatory)] $Emulator, [hashtable] $Phases, [string] $Module = $ModuleDirectory, [string] $What = 'the module process', [int] $TimeoutSeconds = 900)
    $emulatorFile = Join-Path $Work "emulator-$($Emulator.Process.Id).json"
    if (-not (Test-Path $emulatorFile)) {
        $Emulator | Select-Object Uri, Mode, ClientId, ClientSecret, OrgId, SandboxName, SandboxId | ConvertTo-Json | Set-Content -LiteralPath $emulatorFile
    }
    $arguments = $PwshPrefix + @('-NoProfile', '-NonInteractive', '-File', $ChildScript, '-EmulatorFile', $emulatorFile)
    foreach ($name in $Phases.Keys) {
        $value = $Phases[$name]
        if ($value -is [switch] -or $value -is [bool]) { if ($value) { $arguments += "-$name" } }
        else { $arguments += "-$name"; $arguments += [string]$value }
    }
    Invoke-Child -FilePath $PwshExe -ArgumentList $arguments -Environment (Get-ModuleEnvironment $Module) -What $What -TimeoutSeconds $TimeoutSeconds
}

# The floor program with the emulator's credential.
function Invoke-Floor {
    param([Parameter(Mandatory)] [string] $Command, $Emulator, [hashtable] $Options = @{}, [int] $TimeoutSeconds = 900)
    $arguments = @($FloorDll, $Command)
    if ($Emulator) {
        $arguments += '--url', $Emulator.Uri, '--client-id', $Emulator.ClientId, '--client-secret', $Emulator.ClientSecret,
            '--org-id', $Emulator.OrgId, '--sandbox', $Emulator.SandboxName
    }
    foreach ($name in $Options.Keys) { $arguments += "--$name"; $arguments += [string]$Options[$name] }
    Invoke-Child -FilePath 'dotnet' -ArgumentList $arguments -What "the floor ($Command)" -TimeoutSeconds $TimeoutSeconds
}

# The emulator for benchmarks: final job states at once, no request log, quotas that repeated millions fit in.
function Start-BenchEmulator([int] $SeedJobs = 0) {
    Start-Emulator -Mode unified -StartTimeoutSeconds 120 -Arguments @('--seed-jobs', $SeedJobs, '--job-step-ms', '0', '--request-log-limit', '0',
        '--daily-identity-quota', '1000000000', '--monthly-identity-quota', '1000000000')
}

# The AEP_* variables of Connect-ExperiencePlatform -FromEnvironment for this emulator (cold processes).
function Get-ConnectEnvironment($Emulator) {
    @{
        AEP_CLIENT_ID = $Emulator.ClientId; AEP_CLIENT_SECRET = $Emulator.ClientSecret; AEP_ORG_ID = $Emulator.OrgId
        AEP_SANDBOX_NAME = $Emulator.SandboxName; AEP_PLATFORM_URI = $Emulator.Uri; AEP_IMS_URI = $Emulator.Uri
    }
}

# ---- Numbers ------------------------------------------------------------------------------------------------------

function Get-Stat([double[]] $Values) {
    if ($Values.Count -eq 0) { throw 'No measurement to summarise.' }
    $sorted = [double[]]($Values | Sort-Object)
    $mid = [int][Math]::Floor($sorted.Count / 2)
    $median = if ($sorted.Count % 2) { $sorted[$mid] } else { ($sorted[$mid - 1] + $sorted[$mid]) / 2 }
    [pscustomobject]@{ Median = $median; Min = $sorted[0]; Max = $sorted[-1]; Count = $sorted.Count }
}

function Format-Number([double] $Value, [string] $Format = 'N0') { $Value.ToString($Format, $Invariant) }

# "1,234 ms (1,200–1,300, n=5)"
function Format-Stat($Stat, [string] $Unit = 'ms', [string] $Format = 'N0') {
    if ($Stat.Count -eq 1) { return "$(Format-Number $Stat.Median $Format) $Unit" }
    "$(Format-Number $Stat.Median $Format) $Unit ($(Format-Number $Stat.Min $Format)–$(Format-Number $Stat.Max $Format), n=$($Stat.Count))"
}

# "+123 ms (...)" or "-45 ms (...)": a paired difference with its sign.
function Format-Difference($Stat, [string] $Unit = 'ms') { $text = Format-Stat $Stat $Unit; if ($Stat.Median -ge 0) { "+$text" } else { $text } }

function Format-Ratio([double] $Value) { (Format-Number $Value '0.00') + '×' }

function New-Result([string] $Name) {
    [pscustomobject]@{
        Name   = $Name
        Rows   = [Collections.Generic.List[object]]::new()
        Notes  = [Collections.Generic.List[string]]::new()
        Values = [ordered]@{}
        Load   = ''
    }
}

function Add-Row($Result, [string] $Scenario, [string] $Module, [string] $Floor, [string] $Ratio, [string] $Target, $Met, [string] $Verdict) {
    $Result.Rows.Add([pscustomobject]@{ Scenario = $Scenario; Module = $Module; Floor = $Floor; Ratio = $Ratio; Target = $Target; Met = $Met; Verdict = $Verdict })
}

function Get-LoadAverage { try { ((Get-Content -Raw /proc/loadavg) -split ' ')[0..2] -join ' ' } catch { 'n/a' } }

function Get-RoundCount([int] $Full) { if ($Smoke) { 1 } elseif ($Rounds) { $Rounds } else { $Full } }

. (Join-Path $PSScriptRoot 'BenchmarkScenarios.ps1')
. (Join-Path $PSScriptRoot 'BenchmarkReport.ps1')

# ---- Main ---------------------------------------------------------------------------------------------------------

if (-not $NoBuild) {
    # The repository's build: the solution, and the ReadyToRun images of this platform (tools/ReadyToRun.psm1).
    Say '> build.ps1 -Task Build'
    & (Join-Path $RepoRoot 'build.ps1') -Task Build | Out-Host
}
foreach ($path in (Join-Path $ModuleDirectory 'ProfileJobs.psd1'), $FloorDll, (Join-Path $EmptyModuleRoot 'ProfileJobsBench/ProfileJobsBench.psd1'), (Get-EmulatorPath)) {
    if (-not (Test-Path -LiteralPath $path)) { throw "$path is missing: build first (dotnet build ProfileJobs.sln -c Release), or drop -NoBuild." }
}
foreach ($module in @($ModuleDirectory, $CompareModuleDirectory) | Where-Object { $_ }) {
    if ((Split-Path -Leaf $module) -ne 'ProfileJobs') { throw "$module must be a folder named ProfileJobs: the benchmarks import the module by name." }
}

$null = New-Item -ItemType Directory -Force -Path $Work
$machine = Get-MachineInfo
Say "ProfileJobs benchmarks$(if ($Smoke) { ' (smoke)' }): $($machine.Summary)"
$results = [Collections.Generic.List[object]]::new()
$failed = 0
$total = [Diagnostics.Stopwatch]::StartNew()
try {
    # Which ProfileJobs a fresh pwsh finds by name: the one measured, not one installed for the user.
    foreach ($module in @($ModuleDirectory, $CompareModuleDirectory) | Where-Object { $_ }) {
        $found = Invoke-Child -FilePath $PwshExe -ArgumentList ($PwshPrefix + @('-NoProfile', '-NonInteractive', '-Command', 'Import-Module ProfileJobs; (Get-Module ProfileJobs).ModuleBase')) `
            -Environment (Get-ModuleEnvironment $module) -What 'the import check' -TimeoutSeconds 120
        if ($found.StdOut.Trim() -ne $module) { throw "A fresh pwsh imports ProfileJobs from '$($found.StdOut.Trim())', not from $module (is another copy installed for this user?)." }
    }

    if (-not $Smoke -and -not $PowerShellHome -and -not $NoReadyToRunPowerShell -and (-not $Scenario -or 'cold' -in $Scenario)) {
        Import-Module (Join-Path $RepoRoot 'tools/ReadyToRun.psm1')
        if (Test-ReadyToRunImage (Join-Path $PSHOME 'System.Management.Automation.dll')) { Say "This pwsh's engine is compiled ReadyToRun already: the cold scenario runs on it alone." }
        else {
            Say '> New-ReadyToRunModule.ps1 -PowerShell (a ReadyToRun-compiled copy of $PSHOME for the cold scenario)'
            $null = & (Join-Path $PSScriptRoot 'New-ReadyToRunModule.ps1') -Destination (Join-Path $Work 'r2r') -PowerShell
            $ColdReadyToRunHome = Join-Path $Work 'r2r/pwsh'
        }
    }

    foreach ($name in $Known | Where-Object { -not $Scenario -or $_ -in $Scenario }) {
        Say "== $name"
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $load = Get-LoadAverage
        try {
            $result = & "Invoke-$($name -replace '-', '')Scenario"
            $result.Load = "$load → $(Get-LoadAverage)"
            $results.Add($result)
            Say ("RESULT $name " + (($result.Values.Keys | ForEach-Object { "$_=$($result.Values[$_])" }) -join ' ') + " seconds=$(Format-Number $watch.Elapsed.TotalSeconds '0.0')")
            foreach ($row in $result.Rows) { Say "   $($row.Scenario): $($row.Module) vs $($row.Floor) -> $($row.Ratio), target $($row.Target): $($row.Verdict)" }
            foreach ($note in $result.Notes) { Say "   note: $note" }
        }
        catch {
            $failed++
            Say "FAILED $name`: $($_.Exception.Message)"
            Say "$($_.ScriptStackTrace)"
        }
    }
}
finally {
    Remove-Item -LiteralPath $Work -Recurse -Force -ErrorAction SilentlyContinue
}

$machine.LoadAtEnd = Get-LoadAverage
$machine.Minutes = $total.Elapsed.TotalMinutes
Say "Done in $(Format-Number $total.Elapsed.TotalSeconds) s; $($results.Count) scenario(s) ran, $failed failed."
if ($OutFile -and $failed -eq 0) {
    Write-BenchmarkReport -Path $OutFile -Machine $machine -Results $results
    Say "Wrote $((Resolve-Path $OutFile).Path)."
}
exit $(if ($failed -eq 0) { 0 } else { 1 })
