#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

BeforeAll {
    . ([IO.Path]::Combine($PSScriptRoot, 'TestSupport.ps1'))
}

Describe 'New-ProfileDeleteJob' {
    Context 'on the <Mode> API' -ForEach @(@{ Mode = 'azure' }, @{ Mode = 'aws' }, @{ Mode = 'unified' }) {
        BeforeAll {
            $emulator = Start-Emulator -Mode $Mode -Arguments '--seed-jobs', '250', '--job-step-ms', '300'
            $context = Connect-Emulator $emulator
            # What a delete request sends for the dataset, spelled as the generation spells it.
            $datasetField = if ($Mode -eq 'azure') { 'dataSetId' } else { 'datasetId' }
            $posts = { param($position) (Get-EmulatorRequest $emulator -Since $position -Api) | Where-Object method -EQ POST }
        }

        AfterAll {
            Disconnect-ExperiencePlatform
            Stop-Emulator $emulator
        }

        It 'describes the delete with -WhatIf and sends nothing' {
            $dataset = New-TestDatasetId
            $position = Get-EmulatorLogPosition $emulator

            $session = Invoke-Captured { New-ProfileDeleteJob -DatasetId $dataset -WhatIf }

            $session.Output | Should -BeNullOrEmpty
            $target = "dataset $dataset (sandbox $($context.Sandbox), org $($emulator.OrgId))"
            $session.HostText | Should -BeLike "*What if: Performing the operation `"Delete all profile data of the dataset`" on target `"$target`".*"
            & $posts $position | Should -BeNullOrEmpty
        }

        It 'asks before deleting; answered No, it sends nothing' {
            $dataset = New-TestDatasetId
            $position = Get-EmulatorLogPosition $emulator

            $session = Invoke-PwshSession $emulator -Parameters @{ Dataset = $dataset } -Answer 'N' {
                param($Dataset)
                New-ProfileDeleteJob -DatasetId $Dataset
            }

            $session.Output | Should -BeNullOrEmpty
            $session.Errors | Should -BeNullOrEmpty
            ([regex]::Matches($session.Text, 'Are you sure you want to perform this action\?')).Count | Should -Be 1
            ($session.Text -replace '\s+', ' ') | Should -BeLike "*Performing the operation `"Delete all profile data of the dataset`" on target `"dataset $dataset *"
            & $posts $position | Should -BeNullOrEmpty
        }

        It 'asks before deleting; answered Yes, it creates the job' {
            $dataset = New-TestDatasetId

            $session = Invoke-PwshSession $emulator -Parameters @{ Dataset = $dataset } -Answer 'Y' {
                param($Dataset)
                New-ProfileDeleteJob -DatasetId $Dataset
            }

            $session.Text | Should -Match 'Are you sure you want to perform this action\?'
            $session.Errors | Should -BeNullOrEmpty
            $session.Output.Count | Should -Be 1
            $session.Output[0].DatasetId | Should -Be $dataset
            ((Get-EmulatorJob $emulator) | Where-Object datasetId -EQ $dataset).Count | Should -Be 1
        }

        It "deletes a dataset with -Force, sending {`"<datasetField>`":...}, and writes the new job" {
            $dataset = New-TestDatasetId
            $position = Get-EmulatorLogPosition $emulator

            $job = New-ProfileDeleteJob -DatasetId $dataset -Force -ErrorVariable problems

            $problems | Should -BeNullOrEmpty
            $job.Count | Should -Be 1
            $job.Type | Should -Be 'TRUNCATE_DATASET'
            "$($job.State)" | Should -Be 'Pending'
            $job.DatasetId | Should -Be $dataset
            $sent = & $posts $position
            $sent.Count | Should -Be 1
            $sent[0].body | Should -BeExactly "{`"$datasetField`":`"$dataset`"}"
            ($sent[0].headers.'content-type' -split ';')[0] | Should -Be 'application/json'
        }

        It 'deletes one batch of a dataset, sending both ids' {
            $dataset = New-TestDatasetId
            $position = Get-EmulatorLogPosition $emulator

            $job = New-ProfileDeleteJob -DatasetId $dataset -BatchId "01BATCH$dataset" -Force -ErrorVariable problems

            $problems | Should -BeNullOrEmpty
            $job.Type | Should -Be 'DELETE_EE_BATCH'
            $job.BatchId | Should -Be "01BATCH$dataset"
            $sent = & $posts $position
            $sent.Count | Should -Be 1
            $sent[0].body | Should -BeExactly "{`"datasetId`":`"$dataset`",`"batchId`":`"01BATCH$dataset`"}"
        }

        It 'reports a batch of a record dataset as BatchRequiresTimeSeriesDataset (the platform said <Status>)' -ForEach @(
            @{ Status = $(if ($Mode -eq 'azure') { 400 } else { 422 }) }
        ) {
            $dataset = New-TestDatasetId
            $null = Register-EmulatorDataset $emulator -Id $dataset -Behavior record
            $position = Get-EmulatorLogPosition $emulator

            $job = New-ProfileDeleteJob -DatasetId $dataset -BatchId "B$dataset" -Force -ErrorVariable problems -ErrorAction SilentlyContinue

            $job | Should -BeNullOrEmpty
            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -Be 'BatchRequiresTimeSeriesDataset,ProfileJobs.Commands.NewProfileDeleteJobCommand'
            $problems[0].CategoryInfo.Category | Should -Be ([Management.Automation.ErrorCategory]::InvalidArgument)
            $problems[0].TargetObject | Should -Be "B$dataset"
            $problems[0].Exception.Message | Should -Match 'batches can only be deleted from time-series datasets'
            (& $posts $position).status | Should -Be $Status
        }

        It 'binds DatasetId from the pipeline by property name' {
            $first = New-TestDatasetId
            $second = New-TestDatasetId

            $jobs = [pscustomobject]@{ DatasetId = $first }, [pscustomobject]@{ DatasetId = $second } | New-ProfileDeleteJob -Force -ErrorVariable problems

            $problems | Should -BeNullOrEmpty
            $jobs.DatasetId | Should -Be $first, $second
        }

        It 'takes an empty BatchId cell of a CSV file as a dataset delete, and a filled one as a batch delete' {
            $whole = New-TestDatasetId
            $series = New-TestDatasetId
            $csv = Join-Path TestDrive: "datasets-$Mode.csv"
            Set-Content -LiteralPath $csv -Value 'DatasetId,BatchId', "$whole,", "$series,01BATCH$series"
            $position = Get-EmulatorLogPosition $emulator

            $jobs = Import-Csv -LiteralPath $csv | New-ProfileDeleteJob -Force -ErrorVariable problems

            $problems | Should -BeNullOrEmpty
            $jobs.Type | Should -Be 'TRUNCATE_DATASET', 'DELETE_EE_BATCH'
            $jobs[0].BatchId | Should -BeNullOrEmpty
            $sent = & $posts $position
            $sent.Count | Should -Be 2
            $sent[0].body | Should -BeExactly "{`"$datasetField`":`"$whole`"}"
            $sent[1].body | Should -BeExactly "{`"datasetId`":`"$series`",`"batchId`":`"01BATCH$series`"}"
        }

        It 'deletes again the datasets of piped dataset-delete jobs (BatchId null), also after an Export-Csv and Import-Csv round trip' {
            $piped = New-TestDatasetId
            $exported = New-TestDatasetId
            $finished = $piped, $exported | New-ProfileDeleteJob -Force | Wait-ProfileSystemJob -PollingInterval 0.2 -Timeout 30
            $csv = Join-Path TestDrive: "jobs-$Mode.csv"
            $finished | Where-Object DatasetId -EQ $exported | Export-Csv -LiteralPath $csv
            $position = Get-EmulatorLogPosition $emulator

            $jobs = @($finished | Where-Object DatasetId -EQ $piped | New-ProfileDeleteJob -Force -ErrorVariable problems)
            $jobs += Import-Csv -LiteralPath $csv | New-ProfileDeleteJob -Force -ErrorVariable +problems

            $problems | Should -BeNullOrEmpty
            $jobs.DatasetId | Should -Be $piped, $exported
            $jobs.Type | Should -Be 'TRUNCATE_DATASET', 'TRUNCATE_DATASET'
            (& $posts $position).body | Should -BeExactly "{`"$datasetField`":`"$piped`"}", "{`"$datasetField`":`"$exported`"}"
        }

        It 'refuses piped jobs of another type as UnsupportedJobType, and sends nothing' {
            $job = [ProfileJobs.ProfileSystemJob]@{ Id = 'ttl-1'; Type = 'BACKFILL_TTL'; Status = 'SUCCESS'; DatasetId = New-TestDatasetId }
            $position = Get-EmulatorLogPosition $emulator

            $created = $job | New-ProfileDeleteJob -Force -ErrorVariable problems -ErrorAction SilentlyContinue

            $created | Should -BeNullOrEmpty
            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -Be 'UnsupportedJobType,ProfileJobs.Commands.NewProfileDeleteJobCommand'
            $problems[0].CategoryInfo.Category | Should -Be ([Management.Automation.ErrorCategory]::InvalidArgument)
            $problems[0].TargetObject | Should -Be 'BACKFILL_TTL'
            $problems[0].Exception.Message | Should -BeLike "*DatasetId '$($job.DatasetId)'*BACKFILL_TTL*"
            & $posts $position | Should -BeNullOrEmpty
        }

        It 'refuses a bad row as InvalidBatchId naming its values: <Case>' -ForEach @(
            @{ Case = 'a batch id with a space'; Batch = 'a b'; Type = '' }
            @{ Case = 'a blank batch id'; Batch = ' '; Type = '' }
            @{ Case = 'a batch job without its batch id'; Batch = ''; Type = 'DELETE_EE_BATCH' }
        ) {
            $dataset = New-TestDatasetId
            $position = Get-EmulatorLogPosition $emulator

            $created = [pscustomobject]@{ DatasetId = $dataset; BatchId = $Batch; Type = $Type } |
                New-ProfileDeleteJob -Force -ErrorVariable problems -ErrorAction SilentlyContinue

            $created | Should -BeNullOrEmpty
            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -Be 'InvalidBatchId,ProfileJobs.Commands.NewProfileDeleteJobCommand'
            $problems[0].CategoryInfo.Category | Should -Be ([Management.Automation.ErrorCategory]::InvalidArgument)
            $problems[0].Exception.Message | Should -BeLike "Nothing was sent for DatasetId '$dataset', BatchId '$Batch'*"
            & $posts $position | Should -BeNullOrEmpty
        }

        It 'writes its -Debug lines without ever asking "Continue with this operation?", also while waiting' {
            $dataset = New-TestDatasetId

            $session = Invoke-PwshSession $emulator -Parameters @{ Dataset = $dataset } {
                param($Dataset)
                New-ProfileDeleteJob -DatasetId $Dataset -Force -Wait -PollingInterval 0.2 -Timeout 30 -Debug
            }

            $session.Text | Should -Not -Match 'Continue with this operation'
            $session.Text | Should -Match 'DEBUG: '
            $session.Errors | Should -BeNullOrEmpty
            $session.Output[0].Status | Should -BeIn 'COMPLETED', 'SUCCESS'
        }

        It 'follows the new job to success with -Wait, showing progress' {
            $dataset = New-TestDatasetId

            $session = Invoke-InNewRunspace -Parameters @{ Dataset = $dataset; Context = $context } {
                param($Dataset, $Context)
                New-ProfileDeleteJob -DatasetId $Dataset -Force -Wait -PollingInterval 0.2 -Timeout 30 -Context $Context
            }

            $session.Terminating | Should -BeNullOrEmpty
            $session.Errors | Should -BeNullOrEmpty
            $session.Output.Count | Should -Be 1
            "$($session.Output[0].State)" | Should -Be 'Succeeded'
            $session.Output[0].DatasetId | Should -Be $dataset
            $session.Progress | Where-Object { $_.Activity -eq 'Waiting for 1 profile system job' -and $_.RecordType -eq 'Processing' } | Should -Not -BeNullOrEmpty
            $session.Progress | Where-Object RecordType -EQ 'Completed' | Should -Not -BeNullOrEmpty
        }

        It 'refuses a second delete of a dataset while the first runs, as DeleteRequestExists (ResourceExists)' {
            $dataset = New-TestDatasetId

            $jobs = @(New-ProfileDeleteJob -DatasetId $dataset -Force)
            $jobs += New-ProfileDeleteJob -DatasetId $dataset -Force -ErrorVariable problems -ErrorAction SilentlyContinue

            $jobs.Count | Should -Be 1
            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -Be 'DeleteRequestExists,ProfileJobs.Commands.NewProfileDeleteJobCommand'
            $problems[0].CategoryInfo.Category | Should -Be ([Management.Automation.ErrorCategory]::ResourceExists)
            $problems[0].TargetObject.Id | Should -Be $jobs[0].Id
            ((Get-EmulatorJob $emulator) | Where-Object datasetId -EQ $dataset).Count | Should -Be 1
        }
    }
    Context 'stopped before it wrote the jobs it created' {
        BeforeAll {
            # Jobs that take 10 s, so -Wait is still waiting when the command stops.
            $slow = Start-Emulator -Mode unified -Arguments '--job-step-ms', '5000'
            $slowContext = Connect-Emulator $slow
            $jobsPath = '/data/core/ups/system/jobs'
            $reported = {
                param($Output, $Warnings, $Datasets)
                $stored = @((Get-EmulatorJob $slow) | Where-Object datasetId -In $Datasets)
                $warned = $Warnings -join "`n"
                [pscustomobject]@{
                    Stored     = $stored
                    Unreported = @($stored | Where-Object { $_.id -notin @($Output.Id) -and -not $warned.Contains($_.id) })
                }
            }
        }

        AfterAll {
            Disconnect-ExperiencePlatform -Context $slowContext
            Stop-Emulator $slow
        }

        AfterEach { Clear-EmulatorFault $slow }

        It 'names the jobs it created for -Wait in a warning when the third piped item fails with -ErrorAction Stop' {
            $datasets = 1..4 | ForEach-Object { New-TestDatasetId }
            Set-EmulatorFault $slow @(@{ method = 'POST'; path = $jobsPath; fault = 'status'; status = 400; skip = 2; count = 1 })

            $session = Invoke-Captured { $datasets | New-ProfileDeleteJob -Context $slowContext -Force -Wait -PollingInterval 0.2 -ErrorAction Stop }

            $session.Terminating | Should -Not -BeNullOrEmpty
            $check = & $reported $session.Output $session.Warnings $datasets
            $check.Stored.Count | Should -Be 2
            $check.Unreported | Should -BeNullOrEmpty
            $session.Warnings | Where-Object { $_ -match 'These exist on the platform' } | Should -Not -BeNullOrEmpty
        }

        It 'names the jobs it holds for -Wait in a warning when Ctrl+C stops the pipeline while an upstream command runs' {
            $datasets = 1..2 | ForEach-Object { New-TestDatasetId }

            $stopped = Invoke-AndStop -After ([timespan]::FromMilliseconds(2500)) -Parameters @{ Datasets = $datasets; Context = $slowContext } {
                param($Datasets, $Context)
                & { $Datasets; Start-Sleep -Seconds 30; New-Guid } | New-ProfileDeleteJob -Context $Context -Force -Wait -PollingInterval 0.2
            }

            $stopped.RunningWhenStopped | Should -BeTrue
            $check = & $reported $stopped.Output $stopped.Warnings $datasets
            $check.Stored.Count | Should -Be 2
            $check.Unreported | Should -BeNullOrEmpty
        }

        It 'says nothing is unknown when Ctrl+C stops it while it reads the job list before sending (nothing was sent)' {
            # A new connection knows the server's clock only to a second, so the create first lists the dataset's jobs.
            $fresh = Connect-Emulator $slow
            $dataset = New-TestDatasetId
            $position = Get-EmulatorLogPosition $slow
            Set-EmulatorFault $slow @(@{ method = 'GET'; path = $jobsPath; fault = 'slow'; delayMs = 20000 })

            $stopped = Invoke-AndStop -After ([timespan]::FromMilliseconds(1500)) -Parameters @{ Dataset = $dataset; Context = $fresh } {
                param($Dataset, $Context)
                New-ProfileDeleteJob -DatasetId $Dataset -Context $Context -Force
            }

            $stopped.RunningWhenStopped | Should -BeTrue
            $stopped.EndedWith | Should -BeOfType [Management.Automation.PipelineStoppedException]
            $stopped.Warnings | Where-Object { $_ -match 'unknown' } | Should -BeNullOrEmpty
            # It was held in the job list's GET (the slow rule fired), and no create reached the server.
            (Invoke-EmulatorControl $slow 'faults').faults[0].fired | Should -BeGreaterThan 0
            @(Get-EmulatorRequest $slow -Since $position -Api | Where-Object method -EQ POST) | Should -BeNullOrEmpty
            @((Get-EmulatorJob $slow) | Where-Object datasetId -EQ $dataset) | Should -BeNullOrEmpty
            Disconnect-ExperiencePlatform -Context $fresh
        }

        It 'writes, or names in a warning, the jobs it created when Ctrl+C stops the wait' {
            $datasets = 1..3 | ForEach-Object { New-TestDatasetId }

            $stopped = Invoke-AndStop -After ([timespan]::FromMilliseconds(2500)) -Parameters @{ Datasets = $datasets; Context = $slowContext } {
                param($Datasets, $Context)
                $Datasets | New-ProfileDeleteJob -Context $Context -Force -Wait -PollingInterval 0.2
            }

            $stopped.RunningWhenStopped | Should -BeTrue
            $stopped.EndedWith | Should -BeOfType [Management.Automation.PipelineStoppedException]
            $check = & $reported $stopped.Output $stopped.Warnings $datasets
            $check.Stored.Count | Should -Be 3
            $check.Unreported | Should -BeNullOrEmpty
        }
    }
}
