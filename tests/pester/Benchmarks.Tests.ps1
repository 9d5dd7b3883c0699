# The benchmarks (benchmarks/ProfileJobs.Benchmarks, docs/benchmarks.md) at smoke sizes, so that they cannot rot:
# every scenario runs to the end and gets its counts right. The numbers themselves are not checked here.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $benchmark = Join-Path $script:RepoRoot 'benchmarks/ProfileJobs.Benchmarks/bin/Release/net10.0/ProfileJobs.Benchmarks.dll'
    $script:Smoke = $null
    if (Test-Path $benchmark) {
        $output = & dotnet $benchmark --smoke 2>&1 | Out-String
        $script:Smoke = [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = $output }
    }
}

Describe 'The benchmarks at smoke size' {
    It 'are built with the solution' {
        $script:Smoke | Should -Not -BeNullOrEmpty -Because 'dotnet build ProfileJobs.sln -c Release builds benchmarks/ProfileJobs.Benchmarks'
    }

    It 'run every scenario to the end' {
        $script:Smoke.ExitCode | Should -Be 0 -Because $script:Smoke.Output
        $script:Smoke.Output | Should -Not -CMatch 'FAILED'
        foreach ($scenario in 'import', 'list', 'hygiene-jobs', 'hygiene-workorders', 'per-call', 'emulator') {
            $script:Smoke.Output | Should -Match "RESULT $scenario "
        }
    }

    It 'count what the smoke sizes must produce' {
        $script:Smoke.Output | Should -Match 'RESULT list count=1000 '
        $script:Smoke.Output | Should -Match 'identities=20000 '
        $script:Smoke.Output | Should -Match 'RESULT per-call calls=50 '
    }
}
