#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

BeforeAll {
    . ([IO.Path]::Combine($PSScriptRoot, 'TestHelpers.ps1'))
    Import-Module ([IO.Path]::Combine($script:RepoRoot, 'out', 'ProfileJobs', 'ProfileJobs.psd1')) -Force
    $script:Emulator = Start-TestEmulator -Mode unified
    $script:Context = Connect-TestEmulator $script:Emulator
}

AfterAll {
    Disconnect-ExperiencePlatform
    Stop-TestEmulator $script:Emulator
}

Describe 'Connect-ExperiencePlatform' {
    It 'returns a context without secrets' {
        $script:Context.ClientId | Should -Be 'emulator-client'
        ($script:Context | Format-List * | Out-String) | Should -Not -Match 'emulator-secret'
    }

    It 'fails with AuthenticationFailed for a wrong secret' {
        $bad = [System.Net.NetworkCredential]::new('', 'wrong').SecurePassword
        { Connect-ExperiencePlatform -ClientId 'emulator-client' -ClientSecret $bad -OrgId 'EMULATOR00000000000000000@AdobeOrg' -PlatformUri $script:Emulator.Uri -ImsUri $script:Emulator.Uri } |
            Should -Throw -ErrorId 'AuthenticationFailed,ProfileJobs.Commands.ConnectExperiencePlatformCommand'
    }
}

Describe 'Get-ExperiencePlatformContext' {
    It 'returns the default context' {
        (Get-ExperiencePlatformContext).OrgId | Should -Be 'EMULATOR00000000000000000@AdobeOrg'
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
        $context = Connect-TestEmulator $script:Emulator
        Disconnect-ExperiencePlatform
        Get-ExperiencePlatformContext | Should -BeNullOrEmpty
        $script:Context = Connect-TestEmulator $script:Emulator
    }
}
