#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

BeforeAll {
    . ([IO.Path]::Combine($PSScriptRoot, 'TestSupport.ps1'))
    $emulator = Start-Emulator -Mode unified -Arguments '--seed-jobs', '10'
}

AfterAll {
    Disconnect-ExperiencePlatform
    Stop-Emulator $emulator
}

Describe 'Get-ExperiencePlatformContext' {
    It 'returns nothing before Connect-ExperiencePlatform' {
        Disconnect-ExperiencePlatform

        Get-ExperiencePlatformContext | Should -BeNullOrEmpty
    }

    It 'returns the default context, the very one Connect-ExperiencePlatform -PassThru returned' {
        $connected = Connect-Emulator $emulator

        $context = Get-ExperiencePlatformContext

        [object]::ReferenceEquals($context, $connected) | Should -BeTrue
        $context.OrgId | Should -Be $emulator.OrgId
        $context.ClientId | Should -Be $emulator.ClientId
    }

    It 'reads as client, org and sandbox in a string, and none of its properties holds the secret' {
        $null = Connect-Emulator $emulator

        $context = Get-ExperiencePlatformContext

        "$context" | Should -BeExactly "$($emulator.ClientId) in $($emulator.OrgId) (sandbox prod)"
        $properties = $context.PSObject.Properties | ForEach-Object { "$($_.Name)=$($_.Value)" }
        $properties | Should -Not -BeNullOrEmpty
        $properties | Where-Object { $_ -match [regex]::Escape($emulator.ClientSecret) } | Should -BeNullOrEmpty
    }
}
