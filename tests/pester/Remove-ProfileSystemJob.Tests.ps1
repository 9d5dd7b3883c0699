#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

BeforeAll {
    . ([IO.Path]::Combine($PSScriptRoot, 'TestSupport.ps1'))
}

Describe 'Remove-ProfileSystemJob' {
    Context 'on the <Mode> API' -ForEach @(@{ Mode = 'azure' }, @{ Mode = 'aws' }, @{ Mode = 'unified' }) {
        BeforeAll {
            $emulator = Start-Emulator -Mode $Mode -Arguments '--seed-jobs', '250', '--job-step-ms', '300'
            $null = Connect-Emulator $emulator
            $deletes = { param($position) (Get-EmulatorRequest $emulator -Since $position -Api) | Where-Object method -EQ DELETE }
        }

        AfterAll {
            Disconnect-ExperiencePlatform
            Stop-Emulator $emulator
        }

        if ($Mode -eq 'azure') {
            It 'removes piped jobs once confirmed, passes them through, and the job is gone' {
                $created = New-ProfileDeleteJob -DatasetId (New-TestDatasetId) -Force
                $position = Get-EmulatorLogPosition $emulator

                $session = Invoke-PwshSession $emulator -Parameters @{ Id = $created.Id } -Answer 'Y' {
                    param($Id)
                    Get-ProfileSystemJob -Id $Id | Remove-ProfileSystemJob -PassThru
                }

                ([regex]::Matches($session.Text, 'Are you sure you want to perform this action\?')).Count | Should -Be 1
                $session.Errors | Should -BeNullOrEmpty
                $session.Output.Count | Should -Be 1
                $session.Output[0].Id | Should -Be $created.Id
                $sent = & $deletes $position
                $sent.Count | Should -Be 1
                $sent[0].path | Should -BeLike "*/data/core/ups/system/jobs/$($created.Id)"
                $sent[0].status | Should -Be 200
                { Get-ProfileSystemJob -Id $created.Id -ErrorAction Stop } | Should -Throw -ErrorId 'JobNotFound,ProfileJobs.Commands.GetProfileSystemJobCommand'
            }

            It 'describes the removal with -WhatIf and sends no DELETE' {
                $id = (Get-ProfileSystemJob -First 1).Id
                $position = Get-EmulatorLogPosition $emulator

                $session = Invoke-Captured { Remove-ProfileSystemJob -Id $id -WhatIf }

                $session.Output | Should -BeNullOrEmpty
                $session.HostText | Should -BeLike "*What if: Performing the operation `"Remove profile system job`" on target `"job $id*"
                & $deletes $position | Should -BeNullOrEmpty
            }
        }
        else {
            It 'says with -WhatIf that this instance has no DELETE and nothing would be sent, without an error' {
                $id = (Get-ProfileSystemJob -First 1).Id
                $position = Get-EmulatorLogPosition $emulator

                $session = Invoke-Captured { Remove-ProfileSystemJob -Id $id -WhatIf }

                $session.Errors | Should -BeNullOrEmpty
                $session.Output | Should -BeNullOrEmpty
                $generation = if ($Mode -eq 'aws') { 'Aws' } else { 'Unified' }
                ($session.HostText -replace '\s+', ' ') | Should -BeLike "*What if: Remove-ProfileSystemJob would not remove job $id, and would send nothing: this instance speaks the $generation generation of the Profile API, which has no DELETE /system/jobs/{id}*"
                & $deletes $position | Should -BeNullOrEmpty
            }

            It 'reports RemoveNotSupported (InvalidOperation), since the API has no DELETE here, and sends none' {
                $id = (Get-ProfileSystemJob -First 1).Id
                $position = Get-EmulatorLogPosition $emulator

                $removed = Remove-ProfileSystemJob -Id $id -Force -ErrorVariable problems -ErrorAction SilentlyContinue

                $removed | Should -BeNullOrEmpty
                $problems.Count | Should -Be 1
                $problems[0].FullyQualifiedErrorId | Should -Be 'RemoveNotSupported,ProfileJobs.Commands.RemoveProfileSystemJobCommand'
                $problems[0].CategoryInfo.Category | Should -Be ([Management.Automation.ErrorCategory]::InvalidOperation)
                $problems[0].TargetObject | Should -Be $id
                $problems[0].Exception.Message | Should -Match 'not supported on this instance'
                & $deletes $position | Should -BeNullOrEmpty
            }
        }
    }
}
