#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

BeforeAll {
    . ([IO.Path]::Combine($PSScriptRoot, 'TestSupport.ps1'))
}

Describe 'Get-ProfileSystemJob' {
    Context 'on the <Mode> API' -ForEach @(@{ Mode = 'azure' }, @{ Mode = 'aws' }, @{ Mode = 'unified' }) {
        BeforeAll {
            $emulator = Start-Emulator -Mode $Mode -Arguments '--seed-jobs', '250', '--job-step-ms', '300'
            $null = Connect-Emulator $emulator
            # AWS instances serve one unpaged list of the newest 100 jobs.
            $listable = { $total = (Get-EmulatorJob $emulator).Count; if ($Mode -eq 'aws') { [Math]::Min(100, $total) } else { $total } }
        }

        AfterAll {
            Disconnect-ExperiencePlatform
            Stop-Emulator $emulator
        }

        It 'lists every job, one request per page, as typed jobs' {
            $total = (Get-EmulatorJob $emulator).Count
            $expected = & $listable
            $pages = if ($Mode -eq 'aws') { 1 } else { [Math]::Ceiling($total / 100) }
            $position = Get-EmulatorLogPosition $emulator

            $jobs = Get-ProfileSystemJob -ErrorVariable problems

            $problems | Should -BeNullOrEmpty
            $jobs.Count | Should -Be $expected
            $jobs | ForEach-Object { $_.PSObject.TypeNames[0] } | Sort-Object -Unique | Should -Be 'ProfileJobs.ProfileSystemJob'
            ($jobs.Id | Sort-Object -Unique).Count | Should -Be $expected
            $jobs | ForEach-Object { $_.CreatedAt.GetType() } | Sort-Object -Unique | Should -Be ([DateTimeOffset])
            $jobs | ForEach-Object { "$($_.State)" } | Where-Object { $_ -notin 'Pending', 'Running', 'Succeeded', 'Failed' } | Should -BeNullOrEmpty
            $jobs.OrgId | Sort-Object -Unique | Should -Be $emulator.OrgId
            $lists = (Get-EmulatorRequest $emulator -Since $position -Api) | Where-Object method -EQ GET
            $lists.Count | Should -Be $pages
            $lists.status | Sort-Object -Unique | Should -Be 200
        }

        It 'stops reading pages once -First has enough' {
            $position = Get-EmulatorLogPosition $emulator

            $jobs = Get-ProfileSystemJob -First 5

            $jobs.Count | Should -Be 5
            (Get-EmulatorRequest $emulator -Since $position -Api).Count | Should -Be 1
        }

        It 'pages through the same sequence with -Skip and -First' {
            $all = Get-ProfileSystemJob

            $window = Get-ProfileSystemJob -Skip 95 -First 10

            $window.Id | Should -Be ($all | Select-Object -Skip 95 -First 10).Id
        }

        It 'writes the exact total count after the first jobs with -IncludeTotalCount' {
            $expected = & $listable

            $result = Get-ProfileSystemJob -First 5 -IncludeTotalCount

            $result.Count | Should -Be 6
            $result[0..4] | ForEach-Object { $_.GetType().FullName } | Sort-Object -Unique | Should -Be 'ProfileJobs.ProfileSystemJob'
            $result[5] | Should -BeOfType [uint64]
            $result[5] | Should -Be $expected
            $result[5].Accuracy | Should -Be 1.0
        }

        It 'filters by state, or by the API status in any case, with -Status' {
            $succeeded = Get-ProfileSystemJob -Status Succeeded

            $succeeded | Should -Not -BeNullOrEmpty
            $succeeded | ForEach-Object { "$($_.State)" } | Sort-Object -Unique | Should -Be 'Succeeded'
            $apiStatus = $succeeded[0].Status
            $byStatus = Get-ProfileSystemJob -Status $apiStatus.ToLowerInvariant()
            $byStatus.Count | Should -Be $succeeded.Count
        }

        It 'reads jobs by -Id and by property name from the pipeline' {
            $ids = (Get-ProfileSystemJob -First 3).Id

            (Get-ProfileSystemJob -Id $ids[0], $ids[1]).Id | Should -Be $ids[0], $ids[1]
            (Get-ProfileSystemJob -First 3 | Get-ProfileSystemJob).Id | Should -Be $ids
        }

        It 'shows the detected generation on the first job read by -Id of a new connection, not Auto' {
            $id = (Get-ProfileSystemJob -First 1).Id
            $fresh = Connect-Emulator $emulator

            $job = Get-ProfileSystemJob -Id $id -Context $fresh

            $expected = @{ azure = 'Azure'; aws = 'Aws'; unified = 'Unified' }[$Mode]
            "$($job.ApiGeneration)" | Should -Be $expected
            "$($fresh.ApiGeneration)" | Should -Be $expected
        }

        It 'reports an unknown id as JobNotFound (ObjectNotFound) and still writes the other jobs' {
            $known = (Get-ProfileSystemJob -First 1).Id

            $jobs = Get-ProfileSystemJob -Id 'doesnotexist0000', $known -ErrorVariable problems -ErrorAction SilentlyContinue

            $jobs.Id | Should -Be $known
            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -Be 'JobNotFound,ProfileJobs.Commands.GetProfileSystemJobCommand'
            $problems[0].CategoryInfo.Category | Should -Be ([Management.Automation.ErrorCategory]::ObjectNotFound)
            $problems[0].TargetObject | Should -Be 'doesnotexist0000'
            $problems[0].Exception.Message | Should -Match '404'
        }

        It 'makes a failure catchable by its error id with -ErrorAction Stop' {
            $said = try { Get-ProfileSystemJob -Id 'nosuchjob0000' -ErrorAction Stop; 'not reached' } catch { $_.FullyQualifiedErrorId }

            $said | Should -Be 'JobNotFound,ProfileJobs.Commands.GetProfileSystemJobCommand'
        }

        It 'refuses the id <Name> at binding, before any request' -ForEach @(
            @{ Name = '../jobs'; Id = '../jobs' }
            @{ Name = 'a?b=1'; Id = 'a?b=1' }
            @{ Name = 'a#b'; Id = 'a#b' }
            @{ Name = 'a%2Fb'; Id = 'a%2Fb' }
            @{ Name = 'a b'; Id = 'a b' }
            @{ Name = '(a tab)'; Id = "`t" }
            @{ Name = '(empty)'; Id = '' }
            @{ Name = '(129 characters)'; Id = 'a' * 129 }
        ) {
            $position = Get-EmulatorLogPosition $emulator

            $refused = { Get-ProfileSystemJob -Id $Id } | Should -Throw -PassThru

            $refused.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError*'
            $refused.CategoryInfo.Category | Should -Be ([Management.Automation.ErrorCategory]::InvalidData)
            Get-EmulatorRequest $emulator -Since $position -Api | Should -BeNullOrEmpty
        }

        if ($Mode -eq 'unified') {
            It 'asks for -PageSize jobs per request' {
                $total = (Get-EmulatorJob $emulator).Count
                $position = Get-EmulatorLogPosition $emulator

                $jobs = Get-ProfileSystemJob -PageSize 60

                $jobs.Count | Should -Be $total
                $expected = 0..([Math]::Ceiling($total / 60) - 1) | ForEach-Object { "start=$_&limit=60" }
                (Get-EmulatorRequest $emulator -Since $position -Api).query | Should -Be $expected
            }
        }

        if ($Mode -eq 'azure') {
            It 'turns the metrics string of finished jobs into RecordsProcessed and TimeTaken' {
                $done = Get-ProfileSystemJob -Status COMPLETED

                $done | Should -Not -BeNullOrEmpty
                $done | ForEach-Object { $_.RecordsProcessed.GetType() } | Sort-Object -Unique | Should -Be ([long])
                $done | ForEach-Object { $_.TimeTaken.GetType() } | Sort-Object -Unique | Should -Be ([timespan])
            }
        }

        if ($Mode -eq 'aws') {
            It 'sends the sandbox id instead of its name' {
                $position = Get-EmulatorLogPosition $emulator

                $null = Get-ProfileSystemJob -First 1

                $request = Get-EmulatorRequest $emulator -Since $position -Api
                $request.Count | Should -Be 1
                $request[0].headers.'x-sandbox-id' | Should -Be $emulator.SandboxId
                $request[0].headers.PSObject.Properties.Name | Should -Not -Contain 'x-sandbox-name'
            }
        }
    }
}
