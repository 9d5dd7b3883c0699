#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:Emulator = Start-Emulator -Mode unified -Arguments '--job-step-ms', '200'
    $null = Connect-Emulator $script:Emulator
}

AfterAll {
    Disconnect-ExperiencePlatform -ErrorAction SilentlyContinue
    Stop-Emulator $script:Emulator
}

Describe 'Get-HygieneRecordDelete' {
    It 'reads a record-delete job by -JobId' {
        $created = New-HygieneRecordDelete -Namespace email -Value 'read@example.com' -Force

        $job = @(Get-HygieneRecordDelete -JobId $created.JobId)

        $job.Count | Should -Be 1
        $job[0].JobId | Should -Be $created.JobId
        $job[0].UserKey | Should -Be 'email:read@example.com'
        $job[0].CreatedAt | Should -BeOfType [DateTimeOffset]
    }

    It 'reads jobs and work orders piped from New-HygieneRecordDelete by property name' {
        $jobs = @(New-HygieneRecordDelete -Namespace email -Value 'p1@example.com', 'p2@example.com' -Force)
        $order = New-HygieneRecordDelete -Namespace email -Value 'p3@example.com' -DatasetId ALL -Force

        $read = @($jobs + $order | Get-HygieneRecordDelete)

        $read.Count | Should -Be 3
        $read[0..1].JobId | Should -Be $jobs.JobId
        $read[2].WorkOrderId | Should -Be $order.WorkOrderId
        $read[2].IdentityCount | Should -Be 1
    }

    It 'lists the work orders matching -Search over every page' {
        $name = "list-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        $created = @(1..5 | ForEach-Object { New-HygieneRecordDelete -Namespace email -Value "list$_@example.com" -DatasetId ALL -DisplayName "$name $_" -Force })
        $mark = Get-EmulatorLogPosition $script:Emulator

        $listed = @(Get-HygieneRecordDelete -Search $name -PageSize 2)

        $listed.Count | Should -Be 5
        @($listed.WorkOrderId | Sort-Object) | Should -Be @($created.WorkOrderId | Sort-Object)
        $requests = Get-EmulatorRequest $script:Emulator -Since $mark -Api
        $requests.Count | Should -Be 3
        $requests.path | Sort-Object -Unique | Should -Be '/data/core/hygiene/workorder'
    }

    It 'stops listing after -First without requesting more pages' {
        $name = "first-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        1..5 | ForEach-Object { $null = New-HygieneRecordDelete -Namespace email -Value "first$_@example.com" -DatasetId ALL -DisplayName "$name $_" -Force }
        $mark = Get-EmulatorLogPosition $script:Emulator

        $listed = @(Get-HygieneRecordDelete -Search $name -PageSize 2 -First 3)

        $listed.Count | Should -Be 3
        (Get-EmulatorRequest $script:Emulator -Since $mark -Api).Count | Should -Be 2
    }

    It 'reports an unknown job id as RecordDeleteNotFound' {
        $mark = Get-EmulatorLogPosition $script:Emulator

        $job = Get-HygieneRecordDelete -JobId 00000000-0000-0000-0000-000000000000 -ErrorVariable problems -ErrorAction SilentlyContinue

        $job | Should -BeNullOrEmpty
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'RecordDeleteNotFound,ProfileJobs.Commands.GetHygieneRecordDeleteCommand'
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        (Get-EmulatorRequest $script:Emulator -Since $mark -Api).Count | Should -Be 1
    }
}
