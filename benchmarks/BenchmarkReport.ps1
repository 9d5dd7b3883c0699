# The machine the numbers belong to, and the results block of docs/benchmarks.md (dot-sourced by Invoke-Benchmarks.ps1).

$ReportBegin = '<!-- benchmark-results:begin (written by benchmarks/Invoke-Benchmarks.ps1; do not edit by hand) -->'
$ReportEnd = '<!-- benchmark-results:end -->'

function Get-MachineInfo {
    $read = { param($path, $name, $separator = ':')
        if (Test-Path -LiteralPath $path) {
            foreach ($line in Get-Content -LiteralPath $path) {
                $at = $line.IndexOf($separator)
                if ($at -gt 0 -and $line.Substring(0, $at).Trim() -eq $name) { return $line.Substring($at + 1).Trim().Trim('"') }
            }
        }
    }
    $cpu = & $read '/proc/cpuinfo' 'model name'
    $memoryKb = & $read '/proc/meminfo' 'MemTotal'
    $memory = if ($memoryKb) { '{0:0.0} GiB' -f (([double]($memoryKb -replace '\D', '')) / 1MB) } else { 'unknown' }
    $os = & $read '/etc/os-release' 'PRETTY_NAME' '='
    $commit = try { (& git -C $RepoRoot rev-parse --short HEAD 2>$null) } catch { $null }
    $dirty = try { [bool](& git -C $RepoRoot status --porcelain 2>$null) } catch { $false }
    $info = [pscustomobject]@{
        Started    = [DateTime]::UtcNow
        Cpu        = if ($cpu) { $cpu } else { [Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture }
        Cores      = [Environment]::ProcessorCount
        Memory     = $memory
        Os         = if ($os) { "$os ($([Runtime.InteropServices.RuntimeInformation]::OSArchitecture))" } else { [Runtime.InteropServices.RuntimeInformation]::OSDescription }
        Runtime    = [Runtime.InteropServices.RuntimeInformation]::FrameworkDescription
        PowerShell = "$($PSVersionTable.PSVersion) ($(if ($PowerShellHome) { "dotnet $($PwshPrefix[0])" } elseif ($PwshPrefix) { "the repository's dotnet tool, started as dotnet pwsh.dll" } else { $PwshExe }))"
        Commit     = if ($commit) { "$commit$(if ($dirty) { ' plus uncommitted changes' })" } else { 'unknown' }
        LoadAtStart = Get-LoadAverage
        LoadAtEnd  = ''
        Minutes    = 0.0
        Summary    = ''
    }
    $info.Summary = "$($info.Cores) cores, $($info.Memory), $($info.Os), $($info.Runtime), PowerShell $($info.PowerShell), load $($info.LoadAtStart)"
    $info
}

function Write-BenchmarkReport {
    param([Parameter(Mandatory)] [string] $Path, [Parameter(Mandatory)] $Machine, [Parameter(Mandatory)] [object[]] $Results)
    $cell = { param($text) ([string]$text).Replace('|', '\|').Replace("`n", ' ') }
    $md = [Text.StringBuilder]::new()
    $null = $md.Append("$ReportBegin`n`n")
    $scope = @()
    if ($Smoke) { $scope += '**smoke sizes only: not results**' }
    if ($Scenario) { $scope += "scenarios $($Scenario -join ', ') only" }
    if ($CompareModuleDirectory) { $scope += "with ``$CompareModuleDirectory`` measured alongside" }
    $null = $md.Append("Measured $($Machine.Started.ToString('yyyy-MM-dd HH:mm', $Invariant)) UTC on commit ``$($Machine.Commit)``, in $(Format-Number $Machine.Minutes '0.0') minutes$(if ($scope) { ', ' + ($scope -join ', ') }), ")
    $null = $md.Append("by ``dotnet pwsh ./benchmarks/Invoke-Benchmarks.ps1 -OutFile docs/benchmarks.md``.`n`n")
    $null = $md.Append("| machine | |`n|---|---|`n")
    $null = $md.Append("| CPU | $($Machine.Cpu), $($Machine.Cores) logical cores |`n| memory | $($Machine.Memory) |`n| OS | $($Machine.Os) |`n")
    $null = $md.Append("| .NET | $($Machine.Runtime) |`n| PowerShell | $($Machine.PowerShell) |`n")
    $null = $md.Append("| load average (1, 5, 15 min) | $($Machine.LoadAtStart) at the start, $($Machine.LoadAtEnd) at the end |`n`n")
    $null = $md.Append("| scenario | ProfileJobs | floor | ratio or difference | target | verdict |`n|---|---|---|---|---|---|`n")
    foreach ($row in $Results | ForEach-Object Rows) {
        $verdict = switch ($row.Met) { $true { "✅ $($row.Verdict)" } $false { "❌ $($row.Verdict)" } default { $row.Verdict } }
        $null = $md.Append("| $(& $cell $row.Scenario) | $(& $cell $row.Module) | $(& $cell $row.Floor) | $(& $cell $row.Ratio) | $(& $cell $row.Target) | $(& $cell $verdict) |`n")
    }
    $null = $md.Append("`nTimes are medians with the spread (fastest–slowest) and the number of runs in brackets. Module and floor processes ")
    $null = $md.Append("alternated against the same emulator, so both saw the same load; differences are paired (each run against the ")
    $null = $md.Append("floor run of its round) and their median is shown.`n`n")
    $null = $md.Append("Measured alongside (load average at the start → end of each scenario in brackets):`n`n")
    foreach ($result in $Results) {
        $null = $md.Append("- ``$($result.Name)`` (load $($result.Load)): $(if ($result.Notes.Count -eq 0) { 'nothing else.' })`n")
        foreach ($note in $result.Notes) { $null = $md.Append("  - $note`n") }
    }
    $null = $md.Append("`n$ReportEnd")

    $existing = if (Test-Path -LiteralPath $Path) { Get-Content -Raw -LiteralPath $Path } else { '' }
    $begin = $existing.IndexOf('<!-- benchmark-results:begin')
    $end = $existing.IndexOf($ReportEnd)
    $text = if ($begin -ge 0 -and $end -gt $begin) { $existing.Substring(0, $begin) + $md.ToString() + $existing.Substring($end + $ReportEnd.Length) }
    else { "# Benchmarks`n`n" + $md.ToString() + "`n" + $existing }
    $full = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
    $null = New-Item -ItemType Directory -Force -Path (Split-Path -Parent $full)
    [IO.File]::WriteAllText($full, $text)
}
