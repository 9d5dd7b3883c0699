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

    It 'refuses a record-delete job status when listing work orders, before any request' {
        $mark = Get-EmulatorLogPosition $script:Emulator

        $listed = Get-HygieneRecordDelete -Status complete -ErrorVariable problems -ErrorAction SilentlyContinue

        $listed | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -Be 'InvalidStatus,ProfileJobs.Commands.GetHygieneRecordDeleteCommand'
        $problems[0].TargetObject | Should -Be 'complete'
        Get-EmulatorRequest $script:Emulator -Since $mark -Api | Should -BeNullOrEmpty
    }

    Context 'dates' {
        It 'lists only the work orders created within the instants -From and -To give, sending the covering UTC dates' {
            $name = "window-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
            $before = New-HygieneRecordDelete -Namespace email -Value 'before@example.com' -DatasetId ALL -DisplayName "$name before" -Force
            Start-Sleep -Milliseconds 1100
            $between = Get-Date
            Start-Sleep -Milliseconds 1100
            $after = New-HygieneRecordDelete -Namespace email -Value 'after@example.com' -DatasetId ALL -DisplayName "$name after" -Force
            $mark = Get-EmulatorLogPosition $script:Emulator

            $since = @(Get-HygieneRecordDelete -Search $name -From $between)
            $until = @(Get-HygieneRecordDelete -Search $name -To $between)

            $since.WorkOrderId | Should -Be $after.WorkOrderId
            $until.WorkOrderId | Should -Be $before.WorkOrderId
            $utc = $between.ToUniversalTime()
            $queries = @((Get-EmulatorRequest $script:Emulator -Since $mark -Api).query)
            $queries[0] | Should -Match "fromDate=$($utc.ToString('yyyy-MM-dd'))&toDate=$([datetime]::UtcNow.ToString('yyyy-MM-dd'))"
            $queries[1] | Should -Match "fromDate=$($utc.AddDays(-30).ToString('yyyy-MM-dd'))&toDate=$($utc.ToString('yyyy-MM-dd'))"
        }

        It 'finds the work order made minutes ago with -From/-To (Get-Date) in a time zone whose date is not the UTC date' {
            # UTC-12 is a day behind UTC before noon UTC, UTC+14 a day ahead from 10:00 UTC: one of them always differs.
            $zone = if ([datetime]::UtcNow.Hour -lt 11) { 'Etc/GMT+12' } else { 'Pacific/Kiritimati' }
            $name = "zone-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
            $environment = Get-EmulatorEnvironment $script:Emulator
            $environment.TZ = $zone
            $session = Invoke-Pwsh -Environment $environment -ArgumentList '-Command', (@(
                    '$ErrorActionPreference = ''Stop'''
                    "Import-Module $(ConvertTo-QuotedString (Join-Path $script:ModulePath 'ProfileJobs.psd1'))"
                    '$null = Connect-ExperiencePlatform -FromEnvironment'
                    '"date: local $((Get-Date).ToString(''yyyy-MM-dd'')) utc $([datetime]::UtcNow.ToString(''yyyy-MM-dd''))"'
                    "`$order = New-HygieneRecordDelete -Namespace email -Value 'zone@example.com' -DatasetId ALL -DisplayName '$name' -Force"
                    "`$found = @(Get-HygieneRecordDelete -Search '$name' -From (Get-Date).AddMinutes(-15) -To (Get-Date))"
                    '"found: $($found.WorkOrderId -join '','') created: $($order.WorkOrderId)"'
                ) -join "`n")

            $session.ExitCode | Should -Be 0 -Because $session.StdErr
            $session.StdOut -match 'date: local (\S+) utc (\S+)' | Should -BeTrue -Because $session.StdOut
            $Matches[1] | Should -Not -Be $Matches[2] -Because "the test needs a zone ($zone) whose date differs from UTC's"
            $session.StdOut -match 'found: (DI-\S*) created: (DI-\S+)' | Should -BeTrue -Because $session.StdOut
            $Matches[1] | Should -Be $Matches[2]
        }

        It 'refuses -From after -To before any request' {
            $mark = Get-EmulatorLogPosition $script:Emulator

            $listed = Get-HygieneRecordDelete -From (Get-Date) -To (Get-Date).AddHours(-1) -ErrorVariable problems -ErrorAction SilentlyContinue

            $listed | Should -BeNullOrEmpty
            $problems[0].FullyQualifiedErrorId | Should -Be 'InvalidDateRange,ProfileJobs.Commands.GetHygieneRecordDeleteCommand'
            $problems[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            Get-EmulatorRequest $script:Emulator -Since $mark -Api | Should -BeNullOrEmpty
        }
    }

    Context 'record-delete jobs with -RecordDeleteJobs' {
        It 'lists the record-delete jobs newest first, over every page, with -From, -Skip and -First' {
            $start = Get-Date
            $first = @(New-HygieneRecordDelete -Namespace email -Value 'rl1@example.com', 'rl2@example.com', 'rl3@example.com' -Force)
            Start-Sleep -Milliseconds 200
            $second = @(New-HygieneRecordDelete -Namespace email -Value 'rl4@example.com', 'rl5@example.com' -Force)
            $mark = Get-EmulatorLogPosition $script:Emulator

            $listed = @(Get-HygieneRecordDelete -RecordDeleteJobs -From $start.AddMinutes(-1) -PageSize 2)
            $window = @(Get-HygieneRecordDelete -RecordDeleteJobs -From $start.AddMinutes(-1) -Skip 1 -First 2)

            $listed | ForEach-Object { $_.GetType().FullName } | Sort-Object -Unique | Should -Be 'ProfileJobs.HygieneRecordDelete'
            $mine = @($listed | Where-Object JobId -In ($first.JobId + $second.JobId))
            $mine.Count | Should -Be 5
            $mine[0..1].JobId | Should -Be $second.JobId
            $mine[0].UserKey | Should -Be 'email:rl4@example.com'
            $mine[0].CreatedAt | Should -BeOfType [DateTimeOffset]
            $window.JobId | Should -Be $listed[1..2].JobId
            $requests = Get-EmulatorRequest $script:Emulator -Since $mark -Api
            $requests[0].path | Should -Be '/data/core/privacy/jobs'
            $requests[0].query | Should -Match '^regulation=hygiene&page=0&size=2&fromDate=\d{4}-\d\d-\d\d&toDate=\d{4}-\d\d-\d\d$'
            $requests[1].query | Should -Match '&page=1&size=2&'
            $requests[0].headers.PSObject.Properties.Name | Should -Not -Contain 'x-sandbox-name'
        }

        It 'sends -Status to the API' {
            $null = New-HygieneRecordDelete -Namespace email -Value 'rls@example.com' -Force
            $mark = Get-EmulatorLogPosition $script:Emulator

            $listed = @(Get-HygieneRecordDelete -RecordDeleteJobs -Status submitted, processing, complete)

            $listed | Should -Not -BeNullOrEmpty
            $listed.Status | Sort-Object -Unique | Where-Object { $_ -notin 'submitted', 'processing', 'complete' } | Should -BeNullOrEmpty
            (Get-EmulatorRequest $script:Emulator -Since $mark -Api)[0].query | Should -Match 'status=submitted%2Cprocessing%2Ccomplete'
        }

        It 'refuses <Name> before any request' -ForEach @(
            @{ Name = 'a work-order status'; Arguments = @{ Status = 'received' }; ErrorId = 'InvalidStatus' }
            @{ Name = '-Search'; Arguments = @{ Search = 'x' }; ErrorId = 'SearchNotSupported' }
            @{ Name = 'a window over 30 days'; Arguments = @{ From = (Get-Date).AddDays(-40); To = (Get-Date) }; ErrorId = 'InvalidDateRange' }
        ) {
            $mark = Get-EmulatorLogPosition $script:Emulator

            $listed = Get-HygieneRecordDelete -RecordDeleteJobs @Arguments -ErrorVariable problems -ErrorAction SilentlyContinue

            $listed | Should -BeNullOrEmpty
            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -Be "$ErrorId,ProfileJobs.Commands.GetHygieneRecordDeleteCommand"
            $problems[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            Get-EmulatorRequest $script:Emulator -Since $mark -Api | Should -BeNullOrEmpty
        }
    }
}
