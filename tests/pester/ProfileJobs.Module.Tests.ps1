#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

BeforeDiscovery {
    $cmdlets = @(
        'Connect-ExperiencePlatform', 'Disconnect-ExperiencePlatform', 'Get-ExperiencePlatformContext',
        'Get-ProfileSystemJob', 'New-ProfileDeleteJob', 'Remove-ProfileSystemJob', 'Wait-ProfileSystemJob',
        'New-HygieneRecordDelete', 'Get-HygieneRecordDelete', 'Wait-HygieneRecordDelete', 'Get-HygieneQuota', 'Set-HygieneWorkOrder'
    )
}

BeforeAll {
    . ([IO.Path]::Combine($PSScriptRoot, 'TestSupport.ps1'))
    $manifest = Join-Path $ModulePath 'ProfileJobs.psd1'
    $emulator = Start-Emulator -Mode unified -Arguments '--seed-jobs', '250', '--job-step-ms', '300'
}

AfterAll {
    Disconnect-ExperiencePlatform
    Stop-Emulator $emulator
}

Describe 'The ProfileJobs module' {
    It 'has a manifest that passes Test-ModuleManifest and exports exactly the cmdlets' -ForEach @{ Expected = $cmdlets } {
        $module = Test-ModuleManifest -Path $manifest -ErrorVariable problems

        $problems | Should -BeNullOrEmpty
        $module.Name | Should -Be 'ProfileJobs'
        $module.ExportedCmdlets.Keys | Sort-Object | Should -Be ($Expected | Sort-Object)
    }

    It '<_> declares its output type, a ProfileJobs type' -ForEach ($cmdlets | Where-Object { $_ -ne 'Disconnect-ExperiencePlatform' }) {
        $types = (Get-Command $_).OutputType.Name

        $types | Should -Not -BeNullOrEmpty
        $types | Where-Object { -not $_.StartsWith('ProfileJobs.') } | Should -BeNullOrEmpty
    }

    It '<_> supports -WhatIf, -Confirm and -Force, with high confirm impact' -ForEach 'New-ProfileDeleteJob', 'Remove-ProfileSystemJob', 'New-HygieneRecordDelete' {
        $command = Get-Command $_

        $command.Parameters.Keys | Should -Contain 'WhatIf'
        $command.Parameters.Keys | Should -Contain 'Confirm'
        $command.Parameters.Keys | Should -Contain 'Force'
        $command.ImplementingType.GetCustomAttributes([Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact |
            Should -Be ([Management.Automation.ConfirmImpact]::High)
    }
}

Describe 'Default views' {
    It 'shows jobs as a table of Id, State, CreatedAt (to the minute), Status, Type, DatasetId and BatchId, 200 columns wide' {
        $null = Connect-Emulator $emulator

        $text = Get-ProfileSystemJob -First 3 | Out-String -Width 200

        $lines = @($text -split '\r?\n' | ForEach-Object TrimEnd | Where-Object { $_.Trim() })
        $lines[0] | Should -Match '^Id\s+State\s+CreatedAt\s+Status\s+Type\s+DatasetId\s+BatchId$'
        $lines[1] | Should -Match '^--'
        $lines.Count | Should -Be 5
        $lines[2] | Should -Match ' \d{4}-\d\d-\d\d \d\d:\d\d( |$)'
    }

    It 'shows the context, 250 columns wide, without the secret' {
        $text = Connect-Emulator $emulator | Out-String -Width 250

        $text | Should -Match ([regex]::Escape($emulator.ClientId))
        $text | Should -Match 'TokenExpiresOn'
        $text | Should -Not -Match ([regex]::Escape($emulator.ClientSecret))
        "$(Get-ExperiencePlatformContext)" | Should -BeExactly "$($emulator.ClientId) in $($emulator.OrgId) (sandbox prod)"
        (Get-ExperiencePlatformContext).PSObject.Properties | ForEach-Object { "$($_.Name)=$($_.Value)" } |
            Where-Object { $_ -match [regex]::Escape($emulator.ClientSecret) } | Should -BeNullOrEmpty
    }
}

Describe 'Bad input' {
    BeforeAll { $null = Connect-Emulator $emulator }

    It 'refuses <Command> with <ErrorId>, before any request' -ForEach @(
        @{ Command = 'Get-ProfileSystemJob -PageSize 0'; ErrorId = 'ParameterArgumentValidationError' }
        @{ Command = 'Get-ProfileSystemJob -PageSize 1001'; ErrorId = 'ParameterArgumentValidationError' }
        @{ Command = 'Get-ProfileSystemJob -Status Done'; ErrorId = 'ParameterArgumentValidationError' }
        @{ Command = 'Wait-ProfileSystemJob -Id abc -Timeout -2'; ErrorId = 'ParameterArgumentValidationError' }
        @{ Command = 'Wait-ProfileSystemJob -Id abc -PollingInterval 0'; ErrorId = 'ParameterArgumentValidationError' }
        @{ Command = "New-ProfileDeleteJob -DatasetId 'ds/../x' -Force"; ErrorId = 'ParameterArgumentValidationError' }
        @{ Command = "New-ProfileDeleteJob -DatasetId ds1 -BatchId 'b?x=1' -Force"; ErrorId = 'InvalidBatchId' }
        @{ Command = "Remove-ProfileSystemJob -Id 'a#b' -Force"; ErrorId = 'ParameterArgumentValidationError' }
        @{ Command = "Get-HygieneRecordDelete -JobId '%2F'"; ErrorId = 'ParameterArgumentValidationError' }
        @{ Command = 'Get-HygieneRecordDelete -PageSize 101'; ErrorId = 'ParameterArgumentValidationError' }
        @{ Command = "New-HygieneRecordDelete -Namespace email -Value ('a' + [char]7) -Force"; ErrorId = 'InvalidIdentity' }
        @{ Command = "New-HygieneRecordDelete -Namespace email -Value '   ' -Force"; ErrorId = 'InvalidIdentity' }
        @{ Command = "New-HygieneRecordDelete -Namespace '' -Value x@example.com -Force"; ErrorId = 'InvalidIdentity' }
        @{ Command = "New-HygieneRecordDelete -Namespace email -Value ('a' * 1025) -Force"; ErrorId = 'InvalidIdentity' }
        @{ Command = 'New-HygieneRecordDelete -Namespace email -Value x@example.com -IdentityType nonsense -Force'; ErrorId = 'InvalidIdentity' }
        @{ Command = 'Connect-ExperiencePlatform -FromEnvironment -MaxRetries 101'; ErrorId = 'ParameterArgumentValidationError' }
    ) {
        $position = Get-EmulatorLogPosition $emulator

        $session = Invoke-Captured ([scriptblock]::Create($Command))

        $session.Errors.Count | Should -Be 1
        $session.Errors[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId*"
        $session.Errors[0].CategoryInfo.Category | Should -BeIn ([Management.Automation.ErrorCategory]::InvalidArgument), ([Management.Automation.ErrorCategory]::InvalidData)
        $session.Output | Should -BeNullOrEmpty
        Get-EmulatorRequest $emulator -Since $position -Api | Should -BeNullOrEmpty
    }
}

Describe 'Runspaces' {
    It 'keeps the default context to the runspace that connected' {
        $null = Connect-Emulator $emulator

        $other = Invoke-InNewRunspace {
            [pscustomobject]@{
                Context = Get-ExperiencePlatformContext
                Listing = try { Get-ProfileSystemJob -First 1 -ErrorAction Stop } catch { $_.FullyQualifiedErrorId }
            }
        }

        @(Get-ExperiencePlatformContext).Count | Should -Be 1
        $other.Output.Count | Should -Be 1
        $other.Output[0].Context | Should -BeNullOrEmpty
        $other.Output[0].Listing | Should -Be 'NotConnected,ProfileJobs.Commands.GetProfileSystemJobCommand'
    }

    It 'lets another runspace use a context passed with -Context' {
        $context = Connect-Emulator $emulator

        $other = Invoke-InNewRunspace -Parameters @{ Context = $context } {
            param($Context)
            Get-ProfileSystemJob -First 2 -Context $Context
        }

        $other.Errors | Should -BeNullOrEmpty
        $other.Output.Count | Should -Be 2
        $other.Output | ForEach-Object { $_.GetType().FullName } | Sort-Object -Unique | Should -Be 'ProfileJobs.ProfileSystemJob'
    }
}
