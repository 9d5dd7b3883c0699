#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

BeforeAll {
    . ([IO.Path]::Combine($PSScriptRoot, 'TestSupport.ps1'))
    $script:Emulator = Start-Emulator -Mode unified -Arguments '--seed-jobs', '250', '--job-step-ms', '300'
    $script:Context = Connect-Emulator $script:Emulator
}

AfterAll {
    Disconnect-ExperiencePlatform
    Stop-Emulator $script:Emulator
}

Describe 'Connect-ExperiencePlatform' {
    It 'returns a context without secrets' {
        $script:Context.ClientId | Should -Be $script:Emulator.ClientId
        ($script:Context | Format-List * | Out-String) | Should -Not -Match $script:Emulator.ClientSecret
    }

    It 'fails with AuthenticationFailed for a wrong secret' {
        $bad = [System.Net.NetworkCredential]::new('', 'wrong').SecurePassword
        { Connect-ExperiencePlatform -ClientId $script:Emulator.ClientId -ClientSecret $bad -OrgId $script:Emulator.OrgId -PlatformUri $script:Emulator.Uri -ImsUri $script:Emulator.Uri } |
            Should -Throw -ErrorId 'AuthenticationFailed,ProfileJobs.Commands.ConnectExperiencePlatformCommand'
    }
}

Describe 'Get-ExperiencePlatformContext' {
    It 'returns the default context' {
        (Get-ExperiencePlatformContext).OrgId | Should -Be $script:Emulator.OrgId
    }
}

Describe 'Get-ProfileSystemJob' {
    It 'follows every page' {
        @(Get-ProfileSystemJob).Count | Should -Be 250
    }

    It 'stops early with -First' {
        @(Get-ProfileSystemJob -First 5).Count | Should -Be 5
    }

    It 'reports an unknown id as JobNotFound' {
        { Get-ProfileSystemJob -Id 'nosuchjob000' -ErrorAction Stop } | Should -Throw -ErrorId 'JobNotFound,ProfileJobs.Commands.GetProfileSystemJobCommand'
    }
}

Describe 'New-ProfileDeleteJob' {
    It 'sends nothing with -WhatIf' {
        New-ProfileDeleteJob -DatasetId (New-TestDatasetId) -WhatIf | Should -BeNullOrEmpty
    }

    It 'creates a job and waits for it' {
        $job = New-ProfileDeleteJob -DatasetId (New-TestDatasetId) -Force -Wait -PollingInterval 0.2 -Timeout 30
        $job.State | Should -Be 'Succeeded'
    }
}

Describe 'Wait-ProfileSystemJob' {
    It 'waits for piped jobs' {
        $job = New-ProfileDeleteJob -DatasetId (New-TestDatasetId) -Force | Wait-ProfileSystemJob -PollingInterval 0.2 -Timeout 30
        $job.IsFinal | Should -BeTrue
    }
}

Describe 'Remove-ProfileSystemJob' {
    It 'is not supported on the unified API' {
        $id = (Get-ProfileSystemJob -First 1).Id
        { Remove-ProfileSystemJob -Id $id -Force -ErrorAction Stop } | Should -Throw -ErrorId 'RemoveNotSupported,ProfileJobs.Commands.RemoveProfileSystemJobCommand'
    }
}

Describe 'Disconnect-ExperiencePlatform' {
    It 'clears the default context' {
        $context = Connect-Emulator $script:Emulator
        Disconnect-ExperiencePlatform
        Get-ExperiencePlatformContext | Should -BeNullOrEmpty
        $script:Context = Connect-Emulator $script:Emulator
    }
}
