# The benchmarks (benchmarks/Invoke-Benchmarks.ps1, docs/benchmarks.md) at smoke sizes, so that they cannot rot:
# every scenario starts its emulator through the launcher, runs the module in fresh pwsh processes and the floor
# program, and gets its counts right. The numbers themselves are not checked here.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $floor = Join-Path $script:RepoRoot 'benchmarks/ProfileJobs.Benchmarks.Floor/bin/Release/net10.0/ProfileJobs.Benchmarks.Floor.dll'
    $emptyModule = Join-Path $script:RepoRoot 'benchmarks/ProfileJobs.Benchmarks.EmptyModule/bin/Release/Modules/ProfileJobsBench/ProfileJobsBench.psd1'
    $script:Built = (Test-Path $floor) -and (Test-Path $emptyModule)
    $script:Smoke = $null
    if ($script:Built) {
        $run = Invoke-Pwsh -ArgumentList '-File', (Join-Path $script:RepoRoot 'benchmarks/Invoke-Benchmarks.ps1'), '-Smoke', '-NoBuild', '-ModuleDirectory', $script:ModulePath -TimeoutSeconds 600
        $script:Smoke = [pscustomobject]@{ ExitCode = $run.ExitCode; Output = $run.StdOut + $run.StdErr }
    }
}

Describe 'The benchmarks at smoke size' {
    It 'are built with the solution' {
        $script:Built | Should -BeTrue -Because 'dotnet build ProfileJobs.sln -c Release builds the floor program and the empty module'
    }

    It 'run every scenario to the end' {
        $script:Smoke.ExitCode | Should -Be 0 -Because $script:Smoke.Output
        $script:Smoke.Output | Should -Not -CMatch 'FAILED '
        foreach ($scenario in 'cold', 'import', 'list', 'hygiene-jobs', 'hygiene-workorders', 'per-call', 'emulator') {
            $script:Smoke.Output | Should -Match "RESULT $scenario "
        }
    }

    It 'count what the smoke sizes must produce' {
        $script:Smoke.Output | Should -Match 'RESULT cold .*jobs=1000 rounds=1 '
        # The cold floor (the empty module + the same HTTP work with a bare HttpClient) listed the same 1,000 jobs, and
        # the module's own cost is reported against it.
        $script:Smoke.Output | Should -Match 'RESULT cold floor_over_ms=-?\d+ list_own_jit=-?\d+ list_over_ms=-?\d+ list_own_ms=-?\d+ '
        $script:Smoke.Output | Should -Match "The module's own cold cost \(ProfileJobs\): Import \+ Connect \+ list 1,000 jobs over the cold floor: "
        # A smoke run stays on the running pwsh (no ReadyToRun copy of its engine is made).
        $script:Smoke.Output | Should -Not -Match 'New-ReadyToRunModule'
        $script:Smoke.Output | Should -Match 'RESULT list count=1000 '
        $script:Smoke.Output | Should -Match 'RESULT hygiene-jobs .*identities=20000 outputs=20000 '
        $script:Smoke.Output | Should -Match 'RESULT hygiene-workorders .*identities=20000 outputs=1 '
        $script:Smoke.Output | Should -Match 'RESULT per-call calls=50 '
        $script:Smoke.Output | Should -Match 'RESULT emulator requests=[1-9]'
    }

}
