#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:Emulator = Start-Emulator -Mode unified -Arguments '--job-step-ms', '200', '--fail-identity', 'fail@example.com'
    $script:Context = Connect-Emulator $script:Emulator
}

AfterAll {
    Disconnect-ExperiencePlatform -ErrorAction SilentlyContinue
    Stop-Emulator $script:Emulator
}

Describe 'Wait-HygieneRecordDelete' {
    It 'with the default 30-second interval, writes a job that finishes in a second or two within seconds, showing progress at once' {
        $created = New-HygieneRecordDelete -Namespace email -Value soon@example.com -Force

        $watch = [Diagnostics.Stopwatch]::StartNew()
        $session = Invoke-InNewRunspace -Parameters @{ Id = $created.JobId; Context = $script:Context } {
            param($Id, $Context)
            Wait-HygieneRecordDelete -JobId $Id -Context $Context
        }
        $watch.Stop()

        $session.Errors | Should -BeNullOrEmpty
        "$($session.Output[0].State)" | Should -Be 'Succeeded'
        $watch.Elapsed | Should -BeLessThan ([timespan]::FromSeconds(12))
        $first = @($session.Progress)[0]
        $first.RecordType | Should -Be 'Processing'
        $first.StatusDescription | Should -BeLike "0 of 1 finished; $($created.JobId): *; waited 0 s"
        $first.SecondsRemaining | Should -Be -1
    }

    It 'waits for record-delete jobs with progress, writes each in its final state and a JobFailed error for the failed one' {
        # A runspace of its own, as a console session: progress records cannot be redirected, only read from its streams.
        $powershell = [powershell]::Create()
        try {
            $null = $powershell.AddScript({
                    param($ModuleManifest, $Emulator)
                    Import-Module $ModuleManifest -ErrorAction Stop
                    $null = Connect-ExperiencePlatform -ClientId $Emulator.ClientId -ClientSecret (ConvertTo-SecureString $Emulator.ClientSecret -AsPlainText -Force) `
                        -OrgId $Emulator.OrgId -Sandbox $Emulator.SandboxName -PlatformUri $Emulator.Uri -ImsUri $Emulator.Uri
                    New-HygieneRecordDelete -Namespace email -Value w1@example.com, fail@example.com -Force |
                        Wait-HygieneRecordDelete -PollingInterval 0.2 -Timeout 30
                }.ToString()).AddArgument((Join-Path $script:ModulePath 'ProfileJobs.psd1')).AddArgument($script:Emulator)
            $jobs = @($powershell.Invoke())
            $errors = @($powershell.Streams.Error)
            $progress = @($powershell.Streams.Progress)
        }
        finally { $powershell.Dispose() }

        $jobs.Count | Should -Be 2
        $jobs[0].UserKey | Should -Be 'email:w1@example.com'
        $jobs[0].Status | Should -Be 'complete'
        "$($jobs[0].State)" | Should -Be 'Succeeded'
        $jobs[1].UserKey | Should -Be 'email:fail@example.com'
        "$($jobs[1].State)" | Should -Be 'Failed'
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'JobFailed,ProfileJobs.Commands.WaitHygieneRecordDeleteCommand'
        $errors[0].TargetObject.JobId | Should -Be $jobs[1].JobId
        $progress.Activity | Should -Contain 'Waiting for 2 record-delete jobs'
    }

    It 'waits for work orders piped from New-HygieneRecordDelete and from a listing' {
        $name = "wait-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        $orders = @(1..5 | ForEach-Object { New-HygieneRecordDelete -Namespace email -Value "wait$_@example.com" -DatasetId ALL -DisplayName "$name $_" -Force })

        $waited = @($orders | Wait-HygieneRecordDelete -PollingInterval 0.2 -Timeout 30 -ErrorVariable waitErrors)
        $listed = @(Get-HygieneRecordDelete -Search $name | Wait-HygieneRecordDelete -PollingInterval 0.2 -Timeout 30 -ErrorVariable listErrors)

        $waitErrors | Should -BeNullOrEmpty
        $waited.Count | Should -Be 5
        $waited.WorkOrderId | Should -Be $orders.WorkOrderId
        $listErrors | Should -BeNullOrEmpty
        $listed.Count | Should -Be 5
        $listed.Status | Sort-Object -Unique | Should -Be 'completed'
    }

    It 'reports a work order that failed as JobFailed' {
        $order = New-HygieneRecordDelete -Namespace email -Value 'fail@example.com' -DatasetId ALL -Force

        $final = Wait-HygieneRecordDelete -WorkOrderId $order.WorkOrderId -PollingInterval 0.2 -Timeout 30 -ErrorVariable problems -ErrorAction SilentlyContinue

        $final.Status | Should -Be 'failed'
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'JobFailed,ProfileJobs.Commands.WaitHygieneRecordDeleteCommand'
    }
}
