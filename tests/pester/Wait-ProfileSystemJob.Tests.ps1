#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

BeforeAll {
    . ([IO.Path]::Combine($PSScriptRoot, 'TestSupport.ps1'))
}

Describe 'Wait-ProfileSystemJob' {
    Context 'on the <Mode> API' -ForEach @(@{ Mode = 'azure' }, @{ Mode = 'aws' }, @{ Mode = 'unified' }) {
        BeforeAll {
            $emulator = Start-Emulator -Mode $Mode -Arguments '--seed-jobs', '250', '--job-step-ms', '300'
            $context = Connect-Emulator $emulator
            # Seeded jobs keep their status forever and are older than any job a test creates, so a wait on the oldest
            # running job cannot end on its own or race the emulator's clock.
            $seededRunning = { Get-ProfileSystemJob -Status Running | Sort-Object CreatedAt | Select-Object -First 1 }
        }

        AfterAll {
            Disconnect-ExperiencePlatform
            Stop-Emulator $emulator
        }

        It 'waits for piped jobs and writes them finished' {
            $dataset = New-TestDatasetId

            $job = New-ProfileDeleteJob -DatasetId $dataset -Force | Wait-ProfileSystemJob -PollingInterval 0.2 -Timeout 30

            $job.DatasetId | Should -Be $dataset
            $job.IsFinal | Should -BeTrue
            "$($job.State)" | Should -Be 'Succeeded'
        }

        It 'writes a job that failed and reports it as a JobFailed error targeting that job' {
            $dataset = New-TestDatasetId
            $null = Register-EmulatorDataset $emulator -Id $dataset -Fail

            $job = New-ProfileDeleteJob -DatasetId $dataset -Force |
                Wait-ProfileSystemJob -PollingInterval 0.2 -Timeout 30 -ErrorVariable problems -ErrorAction SilentlyContinue

            $job.Count | Should -Be 1
            "$($job.State)" | Should -Be 'Failed'
            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -Be 'JobFailed,ProfileJobs.Commands.WaitProfileSystemJobCommand'
            [object]::ReferenceEquals($problems[0].TargetObject.PSObject.BaseObject, $job.PSObject.BaseObject) | Should -BeTrue
        }

        It 'times out with a WaitTimeout error (OperationTimeout) and still writes the job as last seen' {
            $running = & $seededRunning

            $job = Wait-ProfileSystemJob -Id $running.Id -PollingInterval 0.1 -Timeout 0 -ErrorVariable problems -ErrorAction SilentlyContinue

            $job.Count | Should -Be 1
            $job.Id | Should -Be $running.Id
            "$($job.State)" | Should -Be 'Running'
            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -Be 'WaitTimeout,ProfileJobs.Commands.WaitProfileSystemJobCommand'
            $problems[0].CategoryInfo.Category | Should -Be ([Management.Automation.ErrorCategory]::OperationTimeout)
            $problems[0].TargetObject.Id | Should -Be $running.Id
        }

        It 'shows progress at once with the job''s state, then every second with the time waited and the seconds remaining' {
            $running = & $seededRunning

            $watch = [Diagnostics.Stopwatch]::StartNew()
            $session = Invoke-InNewRunspace -Parameters @{ Id = $running.Id; Context = $context } {
                param($Id, $Context)
                Wait-ProfileSystemJob -Id $Id -PollingInterval 30 -Timeout 3 -Context $Context -ErrorAction SilentlyContinue
            }
            $watch.Stop()

            $session.Output.Count | Should -Be 1
            $updates = @($session.Progress | Where-Object RecordType -EQ 'Processing')
            $updates[0].Activity | Should -Be 'Waiting for 1 profile system job'
            $updates[0].StatusDescription | Should -Be "0 of 1 finished; $($running.Id): $($running.Status); waited 0 s"
            $updates[0].SecondsRemaining | Should -Be 3
            foreach ($second in 1, 2) {
                $updates.StatusDescription | Should -Contain "0 of 1 finished; $($running.Id): $($running.Status); waited $second s"
            }
            $remaining = @($updates.SecondsRemaining)
            $remaining[-1] | Should -BeLessOrEqual 1
            for ($i = 1; $i -lt $remaining.Count; $i++) { $remaining[$i] | Should -BeLessOrEqual $remaining[$i - 1] }
            ($session.Progress | Where-Object RecordType -EQ 'Completed').Count | Should -Be 1
            $watch.Elapsed | Should -BeLessThan ([timespan]::FromSeconds(8))
        }

        It 'checks a job first after a second, not after the polling interval, so a job that finishes soon is written soon' {
            $job = New-ProfileDeleteJob -DatasetId (New-TestDatasetId) -Force

            $watch = [Diagnostics.Stopwatch]::StartNew()
            $finished = $job | Wait-ProfileSystemJob -PollingInterval 60 -Timeout 120
            $watch.Stop()

            "$($finished.State)" | Should -Be 'Succeeded'
            $watch.Elapsed | Should -BeLessThan ([timespan]::FromSeconds(10))
        }

        It 'stops at Ctrl+C between polls, long before the next one' {
            $running = & $seededRunning

            $stopped = Invoke-AndStop -After ([timespan]::FromMilliseconds(500)) -Parameters @{ Id = $running.Id; Context = $context } {
                param($Id, $Context)
                Wait-ProfileSystemJob -Id $Id -PollingInterval 60 -Context $Context
            }

            $stopped.RunningWhenStopped | Should -BeTrue
            $stopped.EndedWith | Should -BeOfType [Management.Automation.PipelineStoppedException]
            $stopped.StopTook | Should -BeLessThan ([timespan]::FromSeconds(2))
        }
    }

    Context 'with more finished jobs than the command queues writes for (1,024)' {
        BeforeAll {
            $many = Start-Emulator -Mode unified -Arguments '--seed-jobs', '3000'
            $manyContext = Connect-Emulator $many
        }

        AfterAll {
            Disconnect-ExperiencePlatform -Context $manyContext
            Stop-Emulator $many
        }

        It 'writes every one of them at once (the wait reports finished jobs before its first check)' {
            $finished = @(Get-ProfileSystemJob -Context $manyContext | Where-Object IsFinal)
            $finished.Count | Should -BeGreaterThan 1100

            # In a runspace of its own, stopped after 10 s if it has not ended, so a hang fails the test instead of the suite.
            $session = Invoke-AndStop -After ([timespan]::FromSeconds(10)) -Parameters @{ Jobs = $finished; Context = $manyContext } {
                param($Jobs, $Context)
                $Jobs | Wait-ProfileSystemJob -Context $Context -Timeout 60 -ErrorAction SilentlyContinue
            }

            $session.RunningWhenStopped | Should -BeFalse
            $session.Output.Count | Should -Be $finished.Count
            @($session.Output.Id | Sort-Object -Unique).Count | Should -Be $finished.Count
        }
    }
}
