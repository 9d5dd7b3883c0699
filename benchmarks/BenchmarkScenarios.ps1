# The scenarios of Invoke-Benchmarks.ps1 (dot-sourced by it: they use its helpers, $Smoke, $Targets and paths).
# Each returns a result (New-Result) with its table rows, notes and the RESULT values the smoke test checks.

# The module's modules to measure in the cold and import scenarios: the build, and the -CompareModuleDirectory one.
function Get-MeasuredModule {
    @([pscustomobject]@{ Label = 'ProfileJobs'; Directory = $ModuleDirectory })
    if ($CompareModuleDirectory) { [pscustomobject]@{ Label = "ProfileJobs ($CompareModuleDirectory)"; Directory = $CompareModuleDirectory } }
}

# ---- cold: Import + Connect + list 1,000 jobs, and the runbook shape, each in a fresh pwsh, over `pwsh -Command exit`
# and over the cold floor (the empty module imported + the same HTTP work with a bare HttpClient)

# The pwsh builds the cold scenario runs on: the one of the driver (or -PowerShellHome) and, in a full run, a
# ReadyToRun-compiled copy of it that stands for pwsh's release packages (the dotnet tool's engine is IL only).
function Get-ColdHost {
    [pscustomobject]@{ Key = ''; Label = $PwshLabel; Exe = $PwshExe; Prefix = $PwshPrefix }
    if ($ColdReadyToRunHome) {
        [pscustomobject]@{ Key = 'r2r_'; Label = 'the same pwsh with its engine compiled ReadyToRun (as release pwsh)'; Exe = $DotnetExe; Prefix = @(Join-Path $ColdReadyToRunHome 'pwsh.dll') }
    }
}

# The cold command: a runbook's first lines, timed from inside as well (stopwatch timestamps, JIT counts) and
# reported in one cheap string at the end, so that the report adds next to nothing to the process's wall time.
# Floor: Import-Module of the empty binary module, then Measure-BenchColdFloor (an IMS token and every job page by
# page with a bare HttpClient and source-generated JSON; "connect" and "list" are one step there).
function Get-ColdCommand([ValidateSet('Floor', 'List', 'Runbook')] [string] $Shape, [string] $DatasetId) {
    $create = if ($Shape -eq 'Runbook') {
        "`$job = New-ProfileDeleteJob -DatasetId '$DatasetId' -Force; `$t4 = [Diagnostics.Stopwatch]::GetTimestamp(); " +
        "`$final = @(`$job | Wait-ProfileSystemJob -Timeout 120 -PollingInterval 1); `$t5 = [Diagnostics.Stopwatch]::GetTimestamp(); "
    }
    else { '$t4 = $t5 = [Diagnostics.Stopwatch]::GetTimestamp(); $final = @(1); ' }
    $work = if ($Shape -eq 'Floor') {
        'Import-Module ProfileJobsBench; $t1 = $t2 = [Diagnostics.Stopwatch]::GetTimestamp(); ' +
        '$count = Measure-BenchColdFloor; $t3 = [Diagnostics.Stopwatch]::GetTimestamp(); '
    }
    else {
        'Import-Module ProfileJobs; $t1 = [Diagnostics.Stopwatch]::GetTimestamp(); ' +
        'Connect-ExperiencePlatform -FromEnvironment; $t2 = [Diagnostics.Stopwatch]::GetTimestamp(); ' +
        '$jobs = @(Get-ProfileSystemJob); $t3 = [Diagnostics.Stopwatch]::GetTimestamp(); $count = $jobs.Count; '
    }
    '$ErrorActionPreference = ''Stop''; $j0 = [System.Runtime.JitInfo]::GetCompiledMethodCount($false); $t0 = [Diagnostics.Stopwatch]::GetTimestamp(); ' +
    $work + $create +
    '$f = [Diagnostics.Stopwatch]::Frequency / 1000; $p = [Diagnostics.Process]::GetCurrentProcess(); ' +
    '$sinceStart = ([DateTime]::Now - $p.StartTime).TotalMilliseconds - ([Diagnostics.Stopwatch]::GetTimestamp() - $t0) / $f; ' +
    '"BENCH {""kind"":""cold"",""count"":$count,""final"":$($final.Count),""startupMs"":$sinceStart,""importMs"":$(($t1 - $t0) / $f),' +
    '""connectMs"":$(($t2 - $t1) / $f),""listMs"":$(($t3 - $t2) / $f),""createMs"":$(($t4 - $t3) / $f),""waitMs"":$(($t5 - $t4) / $f),' +
    '""jitAtStart"":$j0,""jitAtEnd"":$([System.Runtime.JitInfo]::GetCompiledMethodCount($false)),""jitMs"":$([System.Runtime.JitInfo]::GetCompilationTime($false).TotalMilliseconds),' +
    '""cpuMs"":$($p.TotalProcessorTime.TotalMilliseconds),""peakWorkingSetMb"":$($p.PeakWorkingSet64 / 1MB)}"'
}

function Invoke-ColdScenario {
    $result = New-Result 'cold'
    $jobs = 1000
    $rounds = Get-RoundCount 9
    $datasetId = '65f0c0ffee0000000000b0c1'
    $hosts = @(Get-ColdHost)
    $emulator = Start-BenchEmulator -SeedJobs $jobs
    try {
        $environment = Get-ConnectEnvironment $emulator
        # One cold process: checked, and its wall time with the bare pwsh of its round.
        $run = {
            param($coldHost, [string] $shape, [hashtable] $childEnvironment, [double] $bareMs)
            Reset-Emulator $emulator
            $command = Get-ColdCommand -Shape $shape -DatasetId $datasetId
            $child = Invoke-Child -FilePath $coldHost.Exe -ArgumentList ($coldHost.Prefix + @('-NoProfile', '-Command', $command)) -Environment $childEnvironment -What "the cold $shape process" -TimeoutSeconds 180
            $record = @(Get-Record $child 'cold')
            if ($record.Count -ne 1) { throw "The cold $shape process wrote no report: $(Get-Tail $child.StdOut) $(Get-Tail $child.StdErr)" }
            if ($record[0].count -ne $jobs) { throw "The cold $shape process listed $($record[0].count) jobs, expected $jobs." }
            if ($record[0].final -ne 1) { throw "The cold $shape process waited for $($record[0].final) jobs, expected 1." }
            [pscustomobject]@{ WallMs = $child.WallMs; BareMs = $bareMs; Report = $record[0] }
        }
        $measured = @{}
        foreach ($coldHost in $hosts) {
            $measured[$coldHost.Key] = @{ Bare = [Collections.Generic.List[double]]::new(); Floor = [Collections.Generic.List[object]]::new() }
            foreach ($module in Get-MeasuredModule) {
                $measured[$coldHost.Key][$module.Label] = @{ List = [Collections.Generic.List[object]]::new(); Runbook = [Collections.Generic.List[object]]::new() }
            }
        }
        for ($round = 1; $round -le $rounds; $round++) {
            foreach ($coldHost in $hosts) {
                $m = $measured[$coldHost.Key]
                $exit = Invoke-Child -FilePath $coldHost.Exe -ArgumentList ($coldHost.Prefix + @('-NoProfile', '-Command', 'exit')) -What 'pwsh -Command exit' -TimeoutSeconds 120
                $m.Bare.Add($exit.WallMs)
                $m.Floor.Add((& $run $coldHost 'Floor' ((Get-ModuleEnvironment) + $environment) $exit.WallMs))
                foreach ($module in Get-MeasuredModule) {
                    foreach ($shape in 'List', 'Runbook') {
                        $m[$module.Label][$shape].Add((& $run $coldHost $shape ((Get-ModuleEnvironment $module.Directory) + $environment) $exit.WallMs))
                    }
                }
                Say "  cold round $round/$rounds$(if ($coldHost.Key) { " ($($coldHost.Label))" })`: bare $(Format-Number $exit.WallMs) ms, floor $(Format-Number $m.Floor[-1].WallMs) ms, list $(Format-Number $m['ProfileJobs'].List[-1].WallMs) ms, runbook $(Format-Number $m['ProfileJobs'].Runbook[-1].WallMs) ms"
            }
        }

        $note = {
            param([string] $label, $reports, [switch] $Floor, [switch] $Runbook)
            $s = { param($property) Format-Number (Get-Stat ($reports | ForEach-Object $property)).Median }
            $steps = if ($Floor) { "then Import-Module ProfileJobsBench $(& $s importMs) ms, token + listing (Measure-BenchColdFloor) $(& $s listMs) ms" }
            else {
                "then Import-Module $(& $s importMs) ms, Connect $(& $s connectMs) ms, listing $(& $s listMs) ms" +
                $(if ($Runbook) { ", create $(& $s createMs) ms, wait $(& $s waitMs) ms" })
            }
            $result.Notes.Add("${label}: inside the process (medians) $(& $s startupMs) ms from process start to the command (runtime and engine start-up), $steps" +
                "; $(& $s jitAtStart) methods were jitted before the command and $(Format-Number (Get-Stat ($reports | ForEach-Object { $_.jitAtEnd - $_.jitAtStart })).Median) more by it " +
                "($(& $s jitMs) ms of JIT in the whole process, all threads); $(& $s cpuMs) ms of CPU time in the whole process (less sensitive to the machine's load than wall time); peak working set $(& $s peakWorkingSetMb) MB.")
        }
        foreach ($coldHost in $hosts) {
            $m = $measured[$coldHost.Key]
            $on = if ($hosts.Count -gt 1) { ", on $($coldHost.Label)" } else { '' }
            $bareStat = Get-Stat $m.Bare
            $bareText = (Format-Stat $bareStat) + ' (`pwsh -NoProfile -Command exit`)'
            $floorWall = Get-Stat ($m.Floor | ForEach-Object WallMs)
            $floorOver = Get-Stat ($m.Floor | ForEach-Object { $_.WallMs - $_.BareMs })
            Add-Row $result "Cold floor in a fresh pwsh$on`: the empty binary module imported + an IMS token and 1,000 jobs (10 pages) with a bare HttpClient and source-generated JSON" `
                (Format-Stat $floorWall) $bareText (Format-Difference $floorOver) 'reported: what any client pays (the engine''s first import, the first HTTP request)' $null 'reported'
            & $note "Cold floor$on" ($m.Floor | ForEach-Object Report) -Floor
            $result.Values["$($coldHost.Key)floor_over_ms"] = Format-Number $floorOver.Median '0'
            foreach ($module in Get-MeasuredModule) {
                foreach ($shape in 'List', 'Runbook') {
                    $runs = $m[$module.Label][$shape]
                    $wall = Get-Stat ($runs | ForEach-Object WallMs)
                    # Paired: each run against the bare pwsh (and the floor process) of the same round, so both saw the same load.
                    $over = Get-Stat ($runs | ForEach-Object { $_.WallMs - $_.BareMs })
                    $what = if ($shape -eq 'List') { 'Import + Connect + list 1,000 jobs' } else { 'runbook: Import + Connect + list 1,000 + create one delete + wait for it' }
                    $name = "Cold start in a fresh pwsh ($($module.Label))$on, $what"
                    $key = $coldHost.Key + $(if ($module.Label -eq 'ProfileJobs') { '' } else { 'compare_' }) + $shape.ToLowerInvariant()
                    if ($shape -eq 'List') {
                        $met = $over.Median -le $Targets.ColdOverheadMs
                        Add-Row $result $name (Format-Stat $wall) $bareText (Format-Difference $over) "≤ +$($Targets.ColdOverheadMs) ms" $met `
                            $(if ($met) { 'met' } else { "missed by $(Format-Number ($over.Median - $Targets.ColdOverheadMs)) ms" })
                        $own = Get-Stat (@(for ($i = 0; $i -lt $runs.Count; $i++) { $runs[$i].WallMs - $m.Floor[$i].WallMs }))
                        $met = $own.Median -le $Targets.ColdOverheadMs
                        Add-Row $result "The module's own cold cost ($($module.Label))$on`: Import + Connect + list 1,000 jobs over the cold floor" (Format-Stat $wall) `
                            ((Format-Stat $floorWall) + ' (cold floor process)') (Format-Difference $own) "≤ +$($Targets.ColdOverheadMs) ms" $met `
                            $(if ($met) { 'met' } else { "missed by $(Format-Number ($own.Median - $Targets.ColdOverheadMs)) ms" })
                        # The same split in load-independent terms: methods jitted by the command and process CPU time.
                        $jit = { param($r) $r.Report.jitAtEnd - $r.Report.jitAtStart }
                        $jitModule = Get-Stat ($runs | ForEach-Object { & $jit $_ }); $jitFloor = Get-Stat ($m.Floor | ForEach-Object { & $jit $_ })
                        $cpuOwn = Get-Stat (@(for ($i = 0; $i -lt $runs.Count; $i++) { $runs[$i].Report.cpuMs - $m.Floor[$i].Report.cpuMs }))
                        $result.Notes.Add("The module's own cold cost ($($module.Label))$on, load-independent: its command jitted $(Format-Number $jitModule.Median) methods against the cold floor's $(Format-Number $jitFloor.Median) " +
                            "($(Format-Number ($jitModule.Median - $jitFloor.Median)) more); process CPU time $(Format-Difference $cpuOwn) over the floor process of the same round.")
                        $result.Values["${key}_own_jit"] = Format-Number ($jitModule.Median - $jitFloor.Median) '0'
                    }
                    else {
                        Add-Row $result $name (Format-Stat $wall) $bareText (Format-Difference $over) 'reported (no target)' $null 'reported'
                    }
                    & $note "$($module.Label)$on, $($shape.ToLowerInvariant())" ($runs | ForEach-Object Report) -Runbook:($shape -eq 'Runbook')
                    $result.Values["${key}_over_ms"] = Format-Number $over.Median '0'
                    if ($shape -eq 'List') { $result.Values["${key}_own_ms"] = Format-Number $own.Median '0' }
                }
            }
        }
        $result.Values.jobs = $jobs
        $result.Values.rounds = $rounds
    }
    finally { Stop-Emulator $emulator }
    $result
}

# ---- import: Import-Module ProfileJobs alone, by name, over importing the empty binary module ------------------------

function Invoke-ImportScenario {
    $result = New-Result 'import'
    $rounds = Get-RoundCount 9
    $report = '"BENCH {""kind"":""import"",""ms"":$ms,""jit"":$($j1 - $j0),""loaded"":""$(([AppDomain]::CurrentDomain.GetAssemblies() | ForEach-Object { $_.GetName().Name } | ' +
        'Where-Object { $_ -like ''ProfileJobs*'' -or $_ -like ''Microsoft.Extensions*'' -or $_ -like ''Polly*'' -or $_ -like ''Microsoft.Bcl*'' }) -join '','')""}"'
    function Measure-Import([string] $Name, [string] $Directory) {
        $command = "`$j0 = [System.Runtime.JitInfo]::GetCompiledMethodCount(`$false); `$sw = [Diagnostics.Stopwatch]::StartNew(); Import-Module $Name -ErrorAction Stop; " +
            "`$ms = `$sw.Elapsed.TotalMilliseconds; `$j1 = [System.Runtime.JitInfo]::GetCompiledMethodCount(`$false); " + $report
        $child = Invoke-Child -FilePath $PwshExe -ArgumentList ($PwshPrefix + @('-NoProfile', '-NonInteractive', '-Command', $command)) -Environment (Get-ModuleEnvironment $Directory) -What "Import-Module $Name" -TimeoutSeconds 120
        $record = @(Get-Record $child 'import')
        if ($record.Count -ne 1) { throw "Import-Module $Name wrote no report: $(Get-Tail $child.StdOut) $(Get-Tail $child.StdErr)" }
        $record[0]
    }
    $empty = [Collections.Generic.List[object]]::new()
    $measured = @{}
    foreach ($module in Get-MeasuredModule) { $measured[$module.Label] = [Collections.Generic.List[object]]::new() }
    for ($round = 1; $round -le $rounds; $round++) {
        $floor = Measure-Import 'ProfileJobsBench' $ModuleDirectory
        $empty.Add($floor)
        foreach ($module in Get-MeasuredModule) {
            $run = Measure-Import 'ProfileJobs' $module.Directory
            $measured[$module.Label].Add([pscustomobject]@{ Run = $run; Floor = $floor })
        }
        Say "  import round $round/$rounds`: empty module $(Format-Number $floor.ms) ms, ProfileJobs $(Format-Number $measured['ProfileJobs'][-1].Run.ms) ms"
    }
    $emptyStat = Get-Stat ($empty | ForEach-Object ms)
    foreach ($module in Get-MeasuredModule) {
        $runs = $measured[$module.Label]
        $stat = Get-Stat ($runs | ForEach-Object { $_.Run.ms })
        $over = Get-Stat ($runs | ForEach-Object { $_.Run.ms - $_.Floor.ms })
        $met = $over.Median -le $Targets.ImportOverheadMs
        Add-Row $result "Cold ``Import-Module $($module.Label)`` by name, alone, in a fresh pwsh" (Format-Stat $stat) ((Format-Stat $emptyStat) + ' (`Import-Module` of the empty binary module by name)') `
            (Format-Difference $over) "≤ +$($Targets.ImportOverheadMs) ms" $met $(if ($met) { 'met' } else { "missed by $(Format-Number ($over.Median - $Targets.ImportOverheadMs)) ms" })
        $loaded = @($runs[-1].Run.loaded -split ',' | Where-Object { $_ })
        # The cmdlets and the user-facing types (ProfileJobs.Types, no dependencies) are the module's own; the client
        # and its dependencies should wait for the first use.
        $own = 'ProfileJobs', 'ProfileJobs.Types'
        $others = @($loaded | Where-Object { $_ -notin $own })
        $only = $others.Count -eq 0
        Add-Row $result "Assemblies the import of $($module.Label) loads" ($loaded -join ', ') '–' '–' 'ProfileJobs and ProfileJobs.Types only (the client and its dependencies on first use)' $only `
            $(if ($only) { 'met' } else { 'missed: ' + ($others -join ', ') })
        $result.Notes.Add("$($module.Label): the import jitted $(Format-Number (Get-Stat ($runs | ForEach-Object { $_.Run.jit })).Median) methods; the empty module's $(Format-Number (Get-Stat ($empty | ForEach-Object jit)).Median).")
        if ($module.Label -eq 'ProfileJobs') { $result.Values.over_ms = Format-Number $over.Median '0' }
    }
    $result.Values.rounds = $rounds
    $result
}

# ---- list: every job of 100,000 in pages of 100, warm; peak working set at 1,000 and 100,000 in fresh processes ----

function Invoke-ListScenario {
    $result = New-Result 'list'
    $jobs = if ($Smoke) { 1000 } else { 100000 }
    $runs = if ($Smoke) { 1 } else { 5 }
    $rounds = Get-RoundCount 3
    $count = "(Get-ProfileSystemJob -PageSize 100 | Measure-Object).Count"
    $big = Start-BenchEmulator -SeedJobs $jobs
    $small = if ($Smoke) { $big } else { Start-BenchEmulator -SeedJobs 1000 }
    try {
        $module = [Collections.Generic.List[double]]::new()
        $floor = [Collections.Generic.List[double]]::new()
        $peakSmall = [Collections.Generic.List[double]]::new()
        $peakBig = [Collections.Generic.List[double]]::new()
        $peakFloor = [Collections.Generic.List[double]]::new()
        $measuredBig = $null
        for ($round = 1; $round -le $rounds; $round++) {
            $child = Invoke-ModuleProcess $big @{ Warmup = $count; WarmupCount = $jobs; Timed = 'Get-ProfileSystemJob -PageSize 100'; Runs = $runs } -What 'the listing process'
            Get-Record $child 'run' | ForEach-Object { $module.Add($_.ms) }
            $floorChild = Invoke-Floor list $big @{ 'page-size' = 100; expect = $jobs; runs = $runs; warmups = 1 }
            Get-Record $floorChild 'run' | ForEach-Object { $floor.Add($_.ms) }
            $peakFloor.Add((Get-Record $floorChild 'process')[0].peakWorkingSetMb)
            # Memory: a fresh process that lists once (cold, as a runbook does), at both sizes.
            $peakSmall.Add((Get-Record (Invoke-ModuleProcess $small @{ Measured = $count; MeasuredCount = 1000 } -What 'the listing memory process (1,000)') 'process')[0].peakWorkingSetMb)
            $memory = Invoke-ModuleProcess $big @{ Measured = $count; MeasuredCount = $jobs } -What "the listing memory process ($jobs)"
            $peakBig.Add((Get-Record $memory 'process')[0].peakWorkingSetMb)
            $measuredBig = (Get-Record $memory 'measured')[0]
            Say "  list round $round/$rounds`: module $(Format-Number (Get-Stat $module).Median) ms, floor $(Format-Number (Get-Stat $floor).Median) ms (medians so far)"
        }
        $m = Get-Stat $module; $f = Get-Stat $floor
        $ratio = $m.Median / $f.Median
        $met = $ratio -le $Targets.ListRatio
        Add-Row $result "``Get-ProfileSystemJob``, $(Format-Number $jobs) jobs in pages of 100 (warm process)" (Format-Stat $m) (Format-Stat $f) (Format-Ratio $ratio) "≤ $(Format-Ratio $Targets.ListRatio)" $met `
            $(if ($met) { 'met' } else { "missed by $(Format-Number (($ratio - $Targets.ListRatio) * 100)) points ($(Format-Number ($m.Median - $f.Median * $Targets.ListRatio)) ms over)" })
        $s = Get-Stat $peakSmall; $b = Get-Stat $peakBig
        $growth = $b.Median - $s.Median
        $met = $growth -le $Targets.ListGrowthMb
        Add-Row $result "Peak working set of a fresh pwsh listing 1,000 → $(Format-Number $jobs) jobs" "$(Format-Stat $s 'MB' 'N1') → $(Format-Stat $b 'MB' 'N1') (+$(Format-Number $growth 'N1') MB)" `
            "$(Format-Stat (Get-Stat $peakFloor) 'MB' 'N1') (floor process, $(Format-Number $jobs) jobs)" '–' "growth ≤ $($Targets.ListGrowthMb) MB" $met $(if ($met) { 'met' } else { "missed by $(Format-Number ($growth - $Targets.ListGrowthMb) 'N1') MB" })
        $result.Notes.Add("Per job: module $(Format-Number ($m.Median * 1000 / $jobs) 'N2') µs, floor $(Format-Number ($f.Median * 1000 / $jobs) 'N2') µs. " +
            "The cold listing of $(Format-Number $jobs) jobs (memory process) took $(Format-Number $measuredBig.ms) ms, allocated $(Format-Number $measuredBig.allocatedMb) MB in $($measuredBig.gen0)/$($measuredBig.gen1)/$($measuredBig.gen2) gen0/1/2 collections.")
        $result.Values.count = $jobs
        $result.Values.ratio = Format-Number $ratio '0.00'
        $result.Values.growth_mb = Format-Number $growth '0.0'
    }
    finally {
        if (-not $Smoke) { Stop-Emulator $small }
        Stop-Emulator $big
    }
    $result
}

# ---- hygiene: Import-Csv of a 1,000,000-row identity file piped into New-HygieneRecordDelete ------------------------

function Invoke-HygieneScenario([switch] $WorkOrders) {
    $name = if ($WorkOrders) { 'hygiene-workorders' } else { 'hygiene-jobs' }
    $result = New-Result $name
    $identities = if ($Smoke) { 20000 } else { 1000000 }
    $warm = $identities / 20
    $perRequest = if ($WorkOrders) { 100000 } else { 1000 }
    $rounds = Get-RoundCount 3
    $requests = [Math]::Ceiling($identities / $perRequest)
    # What the module writes: one object per customer (record-delete jobs) or per work order.
    $outputs = if ($WorkOrders) { $requests } else { $identities }
    $warmOutputs = if ($WorkOrders) { [Math]::Ceiling($warm / $perRequest) } else { $warm }
    $csv = Join-Path $Work "identities-$identities.csv"
    $valuesFile = Join-Path $Work "values-$identities.txt"
    $smallCsv = Join-Path $Work "identities-$warm.csv"
    if (-not (Test-Path $csv)) { $null = Invoke-Floor write-csv -Options @{ path = $csv; count = $identities; 'values-path' = $valuesFile } }
    if (-not (Test-Path $smallCsv)) { $null = Invoke-Floor write-csv -Options @{ path = $smallCsv; count = $warm } }
    $dataset = if ($WorkOrders) { ' -DatasetId ALL' } else { '' }
    $command = "Import-Csv -LiteralPath `$BenchData | New-HygieneRecordDelete -Force -ThrottleLimit $InFlight$dataset"
    $warmup = "(Import-Csv -LiteralPath '$smallCsv' | New-HygieneRecordDelete -Force -ThrottleLimit $InFlight$dataset | Measure-Object).Count"
    $emulator = Start-BenchEmulator
    try {
        $module = [Collections.Generic.List[double]]::new()
        $inMemory = [Collections.Generic.List[double]]::new()
        $engine = [Collections.Generic.List[double]]::new()
        $floor = [Collections.Generic.List[double]]::new()
        $peak = [Collections.Generic.List[double]]::new()
        $floorPeak = [Collections.Generic.List[double]]::new()
        $cold = [Collections.Generic.List[object]]::new()
        for ($round = 1; $round -le $rounds; $round++) {
            $child = Invoke-ModuleProcess $emulator @{ DataFile = $csv; Warmup = $warmup; WarmupCount = $warmOutputs; Timed = $command; Runs = 1; Reset = $true } -What "the $name process"
            Get-Record $child 'run' | ForEach-Object { $module.Add($_.ms) }
            # The module's own throughput: the same identities from an array in memory (-Value), no Import-Csv.
            $child = Invoke-ModuleProcess $emulator @{ DataFile = $valuesFile; Setup = '$values = [IO.File]::ReadAllLines($BenchData)'; Warmup = $warmup; WarmupCount = $warmOutputs; Timed = "New-HygieneRecordDelete -Namespace email -Value `$values -Force -ThrottleLimit $InFlight$dataset"; Runs = 1; Reset = $true } -What "the $name in-memory process"
            Get-Record $child 'run' | ForEach-Object { $inMemory.Add($_.ms) }
            # The engine alone: the same file through Import-Csv into a compiled cmdlet that binds the same parameters.
            $child = Invoke-ModuleProcess $emulator @{ Module = 'ProfileJobsBench'; NoConnect = $true; DataFile = $csv; Warmup = "Import-Csv -LiteralPath '$smallCsv' | Measure-BenchIdentity"; WarmupCount = $warm; Timed = 'Import-Csv -LiteralPath $BenchData | Measure-BenchIdentity'; Runs = 1 } -What 'the Import-Csv process'
            Get-Record $child 'run' | ForEach-Object { $engine.Add($_.ms) }
            $floorOptions = @{ csv = $csv; 'per-request' = $perRequest; 'in-flight' = $InFlight; expect = $identities; 'warmup-csv' = $smallCsv; 'warmup-expect' = $warm; runs = 1 }
            if ($WorkOrders) { $floorOptions.dataset = 'ALL' }
            $floorChild = Invoke-Floor $(if ($WorkOrders) { 'work-orders' } else { 'record-deletes' }) $emulator $floorOptions
            Get-Record $floorChild 'run' | ForEach-Object { $floor.Add($_.ms) }
            $floorPeak.Add((Get-Record $floorChild 'process')[0].peakWorkingSetMb)
            # Memory: a fresh pwsh that runs the command once, as a runbook does, counting what it writes.
            $child = Invoke-ModuleProcess $emulator @{ DataFile = $csv; Measured = "($command | Measure-Object).Count"; MeasuredCount = $outputs; Reset = $true } -What "the $name memory process"
            $peak.Add((Get-Record $child 'process')[0].peakWorkingSetMb)
            $cold.Add((Get-Record $child 'measured')[0])
            Say "  $name round $round/$rounds`: Import-Csv | module $(Format-Number $module[-1]) ms, in memory $(Format-Number $inMemory[-1]) ms, Import-Csv alone $(Format-Number $engine[-1]) ms, floor $(Format-Number $floor[-1]) ms, peak $(Format-Number $peak[-1]) MB"
        }
        $m = Get-Stat $module; $e = Get-Stat $engine; $f = Get-Stat $floor
        $target = if ($WorkOrders) { $Targets.WorkOrderRatio } else { $Targets.RecordDeleteRatio }
        $ratio = $m.Median / $f.Median
        $result.Values.ratio = Format-Number $ratio '0.00'
        $met = $ratio -le $target
        $what = if ($WorkOrders) { "$(Format-Number $identities) identities as $requests work orders of up to $(Format-Number $perRequest)" } else { "$(Format-Number $identities) identities as $(Format-Number $requests) record-delete requests of $(Format-Number $perRequest) users" }
        Add-Row $result "``Import-Csv`` file ``| New-HygieneRecordDelete$dataset``, $what (warm process)" (Format-Stat $m) "$(Format-Stat $f) (reads the same file, $InFlight in flight)" (Format-Ratio $ratio) "≤ $(Format-Ratio $target)" $met `
            $(if ($met) { 'met' } else { "missed by $(Format-Number (($ratio - $target) * 100)) points ($(Format-Number ($m.Median - $f.Median * $target)) ms over); Import-Csv and binding alone take $(Format-Number $e.Median) ms" })
        $i = Get-Stat $inMemory
        $ratio = $i.Median / $f.Median
        $met = $ratio -le $target
        Add-Row $result "``New-HygieneRecordDelete -Namespace email -Value `$values$dataset``, the same identities from an array in memory (warm process)" (Format-Stat $i) "$(Format-Stat $f) (as above)" (Format-Ratio $ratio) "≤ $(Format-Ratio $target)" $met `
            $(if ($met) { 'met' } else { "missed by $(Format-Number (($ratio - $target) * 100)) points ($(Format-Number ($i.Median - $f.Median * $target)) ms over)" })
        $result.Values.ratio_in_memory = Format-Number $ratio '0.00'
        $p = Get-Stat $peak
        $met = $p.Median -le $Targets.BulkPeakMb
        Add-Row $result "Peak working set of the whole fresh pwsh process running that command" (Format-Stat $p 'MB') "$(Format-Stat (Get-Stat $floorPeak) 'MB') (floor process)" '–' "≤ $($Targets.BulkPeakMb) MB" $met `
            $(if ($met) { 'met' } else { "missed by $(Format-Number ($p.Median - $Targets.BulkPeakMb)) MB" })
        $c = $cold[-1]
        $result.Notes.Add("The engine's share: ``Import-Csv`` of the same file into a compiled cmdlet binding the same parameters (ProfileJobsBench's Measure-BenchIdentity) takes $(Format-Stat $e); " +
            "the module's own work is then about $(Format-Number ($m.Median - $e.Median)) ms against the floor's $(Format-Number $f.Median) ms ($(Format-Ratio (($m.Median - $e.Median) / $f.Median))).")
        $result.Notes.Add("The cold memory run: $(Format-Number $c.ms) ms; the process held $(Format-Number $c.baselineWorkingSetMb) MB before the command (engine, module, connection); " +
            "the command allocated $(Format-Number $c.allocatedMb) MB with $($c.gen0)/$($c.gen1)/$($c.gen2) gen0/1/2 collections and $(Format-Number $c.gcPauseMs) ms of GC pauses.")
        $result.Values.identities = $identities
        $result.Values.outputs = $outputs
        $result.Values.peak_mb = Format-Number $p.Median '0'
    }
    finally { Stop-Emulator $emulator }
    $result
}

function Invoke-HygieneJobsScenario { Invoke-HygieneScenario }
function Invoke-HygieneWorkOrdersScenario { Invoke-HygieneScenario -WorkOrders }

# ---- per-call: 1,000 ids piped into Get-ProfileSystemJob against 1,000 sequential GETs --------------------------------

function Invoke-PerCallScenario {
    $result = New-Result 'per-call'
    $calls = if ($Smoke) { 50 } else { 1000 }
    $runs = if ($Smoke) { 1 } else { 5 }
    $rounds = Get-RoundCount 3
    $emulator = Start-BenchEmulator -SeedJobs $calls
    try {
        $idsFile = Join-Path $Work 'ids.txt'
        $ids = @((Get-EmulatorJob $emulator).id)
        if ($ids.Count -ne $calls) { throw "The emulator holds $($ids.Count) jobs, expected $calls." }
        Set-Content -LiteralPath $idsFile -Value $ids
        $setup = '$ids = @(Get-Content -LiteralPath $BenchData)'
        $module = [Collections.Generic.List[double]]::new()
        $engine = [Collections.Generic.List[double]]::new()
        $floor = [Collections.Generic.List[double]]::new()
        for ($round = 1; $round -le $rounds; $round++) {
            $child = Invoke-ModuleProcess $emulator @{ DataFile = $idsFile; Setup = $setup; Warmup = '($ids | Get-ProfileSystemJob | Measure-Object).Count'; WarmupCount = $calls; Timed = '$ids | Get-ProfileSystemJob'; Runs = $runs } -What 'the per-call process'
            Get-Record $child 'run' | ForEach-Object { $module.Add($_.ms) }
            Get-Record (Invoke-Floor get $emulator @{ ids = $idsFile; runs = $runs; warmups = 1 }) 'run' | ForEach-Object { $floor.Add($_.ms) }
            $child = Invoke-ModuleProcess $emulator @{ Module = 'ProfileJobsBench'; NoConnect = $true; DataFile = $idsFile; Setup = $setup; Warmup = '$ids | Measure-BenchCount'; WarmupCount = $calls; Timed = '$ids | Measure-BenchCount'; Runs = $runs } -What 'the pipeline-only process'
            Get-Record $child 'run' | ForEach-Object { $engine.Add($_.ms) }
            Say "  per-call round $round/$rounds`: module $(Format-Number (Get-Stat $module).Median 'N1') ms, floor $(Format-Number (Get-Stat $floor).Median 'N1') ms (medians so far)"
        }
        $m = Get-Stat $module; $f = Get-Stat $floor
        $overhead = ($m.Median - $f.Median) / $calls
        $met = $overhead -le $Targets.PerCallOverheadMs
        Add-Row $result "$(Format-Number $calls) ids piped into ``Get-ProfileSystemJob`` (warm process)" "$(Format-Stat $m 'ms' 'N1'); $(Format-Number ($m.Median / $calls) '0.000') ms per call" `
            "$(Format-Stat $f 'ms' 'N1'); $(Format-Number ($f.Median / $calls) '0.000') ms per call" "$(Format-Ratio ($m.Median / $f.Median)); overhead $(Format-Number $overhead '0.000') ms per call" `
            "overhead ≤ $($Targets.PerCallOverheadMs) ms per call" $met $(if ($met) { 'met' } else { "missed by $(Format-Number ($overhead - $Targets.PerCallOverheadMs) '0.000') ms per call" })
        $result.Notes.Add("Of that overhead, the engine alone (the same ids piped into a compiled cmdlet that only counts them) takes $(Format-Number ((Get-Stat $engine).Median * 1000 / $calls) 'N1') µs per item.")
        $result.Values.calls = $calls
        $result.Values.overhead_ms = Format-Number $overhead '0.000'
    }
    finally { Stop-Emulator $emulator }
    $result
}

# ---- emulator: how many simple requests it serves when pushed, so that it is known not to be the bottleneck ----------

function Invoke-EmulatorScenario {
    $result = New-Result 'emulator'
    $emulator = Start-BenchEmulator -SeedJobs 1000
    try {
        $idsFile = Join-Path $Work 'capacity-ids.txt'
        Set-Content -LiteralPath $idsFile -Value @((Get-EmulatorJob $emulator).id)
        $emulator.Process.Refresh()
        $cpu = $emulator.Process.TotalProcessorTime
        $child = Invoke-Floor capacity $emulator @{ ids = $idsFile; clients = 4; 'in-flight' = 2; seconds = $(if ($Smoke) { 0.5 } else { 3 }); rounds = (Get-RoundCount 3) }
        $emulator.Process.Refresh()
        $runs = @(Get-Record $child 'run')
        $rates = Get-Stat ($runs | ForEach-Object { $_.requests / $_.seconds })
        $seconds = ($runs | Measure-Object seconds -Sum).Sum
        $met = $rates.Median -ge $Targets.EmulatorRps
        Add-Row $result 'Emulator: `GET /data/core/ups/system/jobs/{id}` on loopback' (Format-Stat $rates 'requests/s') '4 clients × 2 in flight' '–' "≥ $(Format-Number $Targets.EmulatorRps) requests/s" $met `
            $(if ($met) { 'met' } else { "missed by $(Format-Number ($Targets.EmulatorRps - $rates.Median)) requests/s" })
        $result.Notes.Add("While serving that rate the emulator used about $(Format-Number (($emulator.Process.TotalProcessorTime - $cpu).TotalSeconds / $seconds) '0.00') of the machine's $([Environment]::ProcessorCount) cores, the load generator $(Format-Number (Get-Stat ($runs | ForEach-Object clientCores)).Median '0.00').")
        $result.Values.requests = ($runs | Measure-Object requests -Sum).Sum
        $result.Values.requests_per_second = Format-Number $rates.Median '0'
    }
    finally { Stop-Emulator $emulator }
    $result
}
