#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

BeforeAll {
    . ([IO.Path]::Combine($PSScriptRoot, 'TestSupport.ps1'))
    $emulator = Start-Emulator -Mode unified -Arguments '--seed-jobs', '10'
}

AfterAll {
    Disconnect-ExperiencePlatform
    Stop-Emulator $emulator
}

Describe 'Disconnect-ExperiencePlatform' {
    It 'clears the default context and retires it: a command given it afterwards is refused as ContextDisconnected, sending nothing' {
        $context = Connect-Emulator $emulator

        Disconnect-ExperiencePlatform

        Get-ExperiencePlatformContext | Should -BeNullOrEmpty
        $position = Get-EmulatorLogPosition $emulator
        $jobs = [Collections.Generic.List[object]]::new()
        $refused = { Get-ProfileSystemJob -First 1 -Context $context | ForEach-Object { $jobs.Add($_) } } | Should -Throw -PassThru
        $jobs.Count | Should -Be 0
        $refused.FullyQualifiedErrorId | Should -Be 'ContextDisconnected,ProfileJobs.Commands.GetProfileSystemJobCommand'
        $refused.Exception.Message | Should -Match 'Connect again'
        Get-EmulatorRequest $emulator -Since $position | Should -BeNullOrEmpty
    }

    It 'does nothing, and says nothing, when not connected' {
        Disconnect-ExperiencePlatform

        $session = Invoke-Captured { Disconnect-ExperiencePlatform }

        $session.Output | Should -BeNullOrEmpty
        $session.Errors | Should -BeNullOrEmpty
        Get-ExperiencePlatformContext | Should -BeNullOrEmpty
    }
}
