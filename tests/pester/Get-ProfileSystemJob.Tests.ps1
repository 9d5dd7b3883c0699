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
            # AWS lists only its newest 100 jobs: the count is then at least that many, not exact.
            $result[5].Accuracy | Should -Be $(if ($Mode -eq 'aws') { 0.5 } else { 1.0 })
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

        It 'writes the newest jobs, newest first, with -Newest, reading <Reads>' -ForEach @{ Reads = @{ azure = 'one page'; aws = 'its one list'; unified = 'every page' }[$Mode] } {
            $expected = @(Get-ProfileSystemJob | Sort-Object CreatedAt -Descending | Select-Object -First 5)
            $pages = if ($Mode -eq 'unified') { [Math]::Ceiling((Get-EmulatorJob $emulator).Count / 100) } else { 1 }
            $position = Get-EmulatorLogPosition $emulator

            $newest = @(Get-ProfileSystemJob -Newest 5 -WarningVariable warnings)

            $newest.Count | Should -Be 5
            $newest.CreatedAt | Should -Be $expected.CreatedAt
            $newest[0].CreatedAt | Should -BeGreaterOrEqual $newest[4].CreatedAt
            (Get-EmulatorRequest $emulator -Since $position -Api).Count | Should -Be $pages
            $warnings | Should -BeNullOrEmpty
        }

        It 'writes the newest jobs that match -Status and -Type' {
            $expected = @(Get-ProfileSystemJob -Status Succeeded | Where-Object Type -EQ 'TRUNCATE_DATASET' | Sort-Object CreatedAt -Descending | Select-Object -First 3)

            $newest = @(Get-ProfileSystemJob -Newest 3 -Status Succeeded -Type truncate_dataset)

            $newest.Count | Should -Be $expected.Count
            $newest.Id | Should -Be $expected.Id
        }

        It 'filters by -DatasetId and -Type on the client, as the API cannot' {
            $all = @(Get-ProfileSystemJob)
            $dataset = ($all | Where-Object DatasetId | Select-Object -First 1).DatasetId
            $types = @($all.Type | Sort-Object -Unique)
            $position = Get-EmulatorLogPosition $emulator

            $ofDataset = @(Get-ProfileSystemJob -DatasetId $dataset.ToUpperInvariant())
            $ofType = @(Get-ProfileSystemJob -Type $types[0])

            $ofDataset.Id | Should -Be ($all | Where-Object DatasetId -EQ $dataset).Id
            $ofType.Id | Should -Be ($all | Where-Object Type -EQ $types[0]).Id
            (Get-EmulatorRequest $emulator -Since $position -Api).query | Where-Object { $_ -match 'dataset|type' } | Should -BeNullOrEmpty
        }

        It 'refuses a -Type the API does not have at binding' {
            { Get-ProfileSystemJob -Type DELETE } | Should -Throw -ErrorId 'ParameterArgumentValidationError,ProfileJobs.Commands.GetProfileSystemJobCommand'
        }

        It 'says in its help in which order each generation lists' {
            $description = (Get-Help Get-ProfileSystemJob).description.Text -join ' '

            $description | Should -Match 'Azure and AWS newest first, the unified generation oldest first'
        }

        if ($Mode -eq 'aws') {
            It 'warns that the listing reached the 100-job limit and gives the count as an at-least estimate' {
                $result = @(Get-ProfileSystemJob -IncludeTotalCount -WarningVariable warnings)

                $result.Count | Should -Be 101
                $warnings.Count | Should -Be 1
                "$($warnings[0])" | Should -BeLike '*lists only its newest 100 system jobs*'
                $result[100] | Should -Be 100
                $result[100].Accuracy | Should -BeLessThan 1.0
                $result[100].Accuracy | Should -BeGreaterThan 0.0
            }

            It 'does not warn when -First is satisfied within the limit' {
                $null = Get-ProfileSystemJob -First 5 -WarningVariable warnings

                $warnings | Should -BeNullOrEmpty
            }
        }
        else {
            It 'does not warn about a limit' {
                $null = Get-ProfileSystemJob -WarningVariable warnings

                $warnings | Should -BeNullOrEmpty
            }
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
