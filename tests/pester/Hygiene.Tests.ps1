#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

BeforeAll {
    . ([IO.Path]::Combine($PSScriptRoot, 'TestSupport.ps1'))
    $script:Emulator = Start-Emulator -Mode unified -Arguments '--seed-jobs', '250', '--job-step-ms', '300', '--fail-identity', 'fail@example.com'
    $script:Context = Connect-Emulator $script:Emulator
}

AfterAll {
    Disconnect-ExperiencePlatform
    Stop-Emulator $script:Emulator
}

Describe 'New-HygieneRecordDelete' {
    It 'creates one record-delete job per customer from CSV rows' {
        $csv = @'
Key,Namespace,Value,Type
John Doe,email,johnd@example.com,
John Doe,ECID,9cbefef1-dd44-4411-87db-2d387bf882bc,
Jane Doe,Loyalty ID,30583967185734,custom
'@
        $jobs = $csv | ConvertFrom-Csv | New-HygieneRecordDelete -Force
        $jobs.Count | Should -Be 2
        $jobs[0].UserKey | Should -Be 'John Doe'
        $jobs[0].Identities.NamespaceId | Should -Be @(6, 4)
    }

    It 'rejects a customer with more than 9 identities and sends the rest' {
        $rows = @(1..10 | ForEach-Object { [pscustomobject]@{ Key = 'big'; Namespace = 'email'; Value = "n$_@example.com" } }) +
                [pscustomobject]@{ Key = 'small'; Namespace = 'email'; Value = 'small@example.com' }
        $jobs = $rows | New-HygieneRecordDelete -Force -ErrorVariable problems -ErrorAction SilentlyContinue
        $jobs.UserKey | Should -Be 'small'
        $problems[0].FullyQualifiedErrorId | Should -Be 'TooManyIdentities,ProfileJobs.Commands.NewHygieneRecordDeleteCommand'
    }

    It 'splits work orders at 100,000 identities' {
        $values = 1..100001 | ForEach-Object { "wo$_@example.com" }
        $orders = New-HygieneRecordDelete -Namespace email -Value $values -DatasetId ALL -Force
        $orders.IdentityCount | Should -Be @(100000, 1)
    }
}

Describe 'Get-HygieneRecordDelete' {
    It 'reads a record-delete job by id' {
        $job = New-HygieneRecordDelete -Namespace email -Value 'read@example.com' -Force
        (Get-HygieneRecordDelete -JobId $job.JobId).UserKey | Should -Be 'email:read@example.com'
    }

    It 'lists work orders' {
        New-HygieneRecordDelete -Namespace email -Value 'listed@example.com' -DatasetId ALL -DisplayName 'pester-list' -Force | Out-Null
        @(Get-HygieneRecordDelete -Search 'pester-list').Count | Should -BeGreaterThan 0
    }
}

Describe 'Wait-HygieneRecordDelete' {
    It 'waits for record-delete jobs and reports failures' {
        $jobs = New-HygieneRecordDelete -Namespace email -Value 'ok@example.com', 'fail@example.com' -Force |
            Wait-HygieneRecordDelete -PollingInterval 0.2 -Timeout 30 -ErrorVariable failed -ErrorAction SilentlyContinue
        $jobs.State | Should -Be @('Succeeded', 'Failed')
        $failed[0].FullyQualifiedErrorId | Should -Be 'JobFailed,ProfileJobs.Commands.WaitHygieneRecordDeleteCommand'
    }
}

Describe 'Get-HygieneQuota' {
    It 'returns the three quotas' {
        (Get-HygieneQuota).Name | Should -Contain 'dailyConsumerDeleteIdentitiesQuota'
    }
}
