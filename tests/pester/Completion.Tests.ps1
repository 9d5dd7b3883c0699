#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# Tab completion of parameter values through TabExpansion2, as the console calls it: statuses, identity namespaces and
# types, the sandbox names seen in the session and the job ids of the last listing. What a completer remembers
# belongs to a runspace, so the tests of remembered values each use a new runspace (a new pwsh session).

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:Emulator = Start-Emulator -Mode unified -Arguments '--seed-jobs', '250', '--job-step-ms', '300'

    # A runspace of its own with the module imported.
    function New-Session {
        $powershell = [powershell]::Create()
        $null = $powershell.AddCommand('Import-Module').AddParameter('Name', (Join-Path $script:ModulePath 'ProfileJobs.psd1')).AddParameter('ErrorAction', 'Stop').Invoke()
        $powershell
    }

    # Runs a script in the session; any error fails the test.
    function Invoke-InSession($Session, [string] $Script, [object[]] $Arguments = @()) {
        $Session.Commands.Clear()
        $Session.Streams.Error.Clear()
        $null = $Session.AddScript($Script)
        foreach ($argument in $Arguments) { $null = $Session.AddArgument($argument) }
        $output = $Session.Invoke()
        @($Session.Streams.Error) | Should -BeNullOrEmpty -Because $Script
        $output
    }

    # What TabExpansion2 offers with the cursor at the end of -Text, here or in -Session.
    function Get-Completion([string] $Text, $Session) {
        $script = '(TabExpansion2 -inputScript $args[0] -cursorColumn $args[0].Length).CompletionMatches'
        if ($Session) { @(Invoke-InSession $Session $script @($Text)) }
        else {
            $Error.Clear()
            $found = @((TabExpansion2 -inputScript $Text -cursorColumn $Text.Length).CompletionMatches)
            $Error | Should -BeNullOrEmpty -Because "completing '$Text' must not fail"
            $found
        }
    }

    function Get-CompletionText([string] $Text, $Session) { @(Get-Completion $Text $Session | ForEach-Object CompletionText) }

    $script:ConnectScript = {
        param($Emulator, $Sandbox)
        $null = Connect-ExperiencePlatform -ClientId $Emulator.ClientId -ClientSecret (ConvertTo-SecureString $Emulator.ClientSecret -AsPlainText -Force) `
            -OrgId $Emulator.OrgId -Sandbox $Sandbox -PlatformUri $Emulator.Uri -ImsUri $Emulator.Uri -ErrorAction Stop
    }.ToString()
}

AfterAll {
    Stop-Emulator $script:Emulator
}

Describe 'Tab completion' {
    Context 'values the parameters declare' {
        It 'completes job statuses by prefix, also after a first value' {
            # FAILED (an API status) and Failed (a state) select the same jobs, so Failed is offered once.
            $all = 'NEW', 'PROCESSING', 'IN-PROGRESS', 'COMPLETED', 'SUCCESS', 'ERROR', 'Pending', 'Running', 'Succeeded', 'Failed'
            @(Get-CompletionText 'Get-ProfileSystemJob -Status ' | Sort-Object -CaseSensitive) | Should -Be @($all | Sort-Object -CaseSensitive)
            @(Get-CompletionText 'Get-ProfileSystemJob -Status su' | Sort-Object -CaseSensitive) | Should -Be @('SUCCESS', 'Succeeded' | Sort-Object -CaseSensitive)
            Get-CompletionText 'Get-ProfileSystemJob -Status Running, in' | Should -Be 'IN-PROGRESS'
        }

        It 'completes work-order statuses for Get-HygieneRecordDelete' {
            @(Get-CompletionText 'Get-HygieneRecordDelete -Status ' | Sort-Object) | Should -Be @('completed', 'failed', 'ingested', 'received', 'submitted', 'validated')
            Get-CompletionText 'Get-HygieneRecordDelete -Status co' | Should -Be 'completed'
        }

        It 'completes record-delete job statuses for Get-HygieneRecordDelete -RecordDeleteJobs' {
            @(Get-CompletionText 'Get-HygieneRecordDelete -RecordDeleteJobs -Status ' | Sort-Object) | Should -Be @('complete', 'error', 'processing', 'submitted')
            Get-CompletionText 'Get-HygieneRecordDelete -RecordDeleteJobs -Status co' | Should -Be 'complete'
        }
    }

    Context 'identity namespaces and types' {
        It 'completes namespaces case-insensitively by prefix and wildcard, with a tooltip, also positionally' {
            $all = Get-Completion 'New-HygieneRecordDelete -Namespace '
            @($all.CompletionText | Sort-Object -CaseSensitive) | Should -Be @('email', 'phone', 'ECID', 'CORE', 'AdCloud', 'TNTID', 'IDFA', 'GAID', 'WAID' | Sort-Object -CaseSensitive)
            $all.ResultType | Sort-Object -Unique | Should -Be 'ParameterValue'
            ($all | Where-Object CompletionText -CEQ 'email').ToolTip | Should -Match 'id 6'

            @(Get-CompletionText 'New-HygieneRecordDelete -Namespace e' | Sort-Object -CaseSensitive) | Should -Be @('ECID', 'email' | Sort-Object -CaseSensitive)
            Get-CompletionText 'New-HygieneRecordDelete -Namespace ec' | Should -Be 'ECID'
            $endingInId = @('ECID', 'TNTID', 'IDFA', 'GAID', 'WAID' | Sort-Object -CaseSensitive)
            @(Get-CompletionText 'New-HygieneRecordDelete -Namespace *id' | Sort-Object -CaseSensitive) | Should -Be $endingInId
            @(Get-CompletionText 'New-HygieneRecordDelete -Namespace *ID' | Sort-Object -CaseSensitive) | Should -Be $endingInId
            Get-CompletionText 'New-HygieneRecordDelete -Namespace unknownNamespace' | Should -BeNullOrEmpty
            # -Namespace is position 0.
            Get-CompletionText 'New-HygieneRecordDelete ph' | Should -Be 'phone'
        }

        It 'keeps a typed quote and closes the completion with it' {
            @(Get-CompletionText "New-HygieneRecordDelete -Namespace 'e" | Sort-Object -CaseSensitive) | Should -Be @("'ECID'", "'email'" | Sort-Object -CaseSensitive)
            Get-CompletionText 'New-HygieneRecordDelete -Namespace "tn' | Should -Be '"TNTID"'
        }

        It 'completes identity types by prefix, also through the -Type alias' {
            $all = 'standard', 'custom', 'integrationCode', 'namespaceId', 'unregistered', 'analytics', 'target'
            @(Get-CompletionText 'New-HygieneRecordDelete -Namespace email -Value jane@example.com -IdentityType ' | Sort-Object -CaseSensitive) | Should -Be @($all | Sort-Object -CaseSensitive)
            Get-CompletionText 'New-HygieneRecordDelete -IdentityType INTEG' | Should -Be 'integrationCode'
            Get-CompletionText 'New-HygieneRecordDelete -Type n' | Should -Be 'namespaceId'
        }

        It 'completes odd input to nothing, without an error' {
            Get-CompletionText 'New-HygieneRecordDelete -Namespace [e' | Should -BeNullOrEmpty
            Get-CompletionText "New-HygieneRecordDelete -Namespace 'it''s" | Should -BeNullOrEmpty
            Get-CompletionText 'Get-ProfileSystemJob -Id [x' | Should -BeNullOrEmpty
            Get-CompletionText 'Connect-ExperiencePlatform -Sandbox "x$' | Should -BeNullOrEmpty
        }
    }

    Context 'values the session has seen' {
        BeforeEach {
            $session = New-Session
            $other = New-Session
        }

        AfterEach {
            $session.Dispose()
            $other.Dispose()
        }

        It 'offers prod and the sandboxes connected to in this session only, without asking the platform' {
            Get-CompletionText 'Connect-ExperiencePlatform -Sandbox ' $session | Should -Be 'prod'
            foreach ($sandbox in 'dev-emea', 'qa-west', 'dev-apac') { Invoke-InSession $session $script:ConnectScript @($script:Emulator, $sandbox) }
            $mark = Get-EmulatorLogPosition $script:Emulator

            $all = Get-Completion 'Connect-ExperiencePlatform -Sandbox ' $session
            @($all.CompletionText | Sort-Object) | Should -Be @('dev-apac', 'dev-emea', 'prod', 'qa-west' | Sort-Object)
            ($all | Where-Object ListItemText -EQ 'dev-apac').ToolTip | Should -Match 'current connection'
            @(Get-CompletionText 'Connect-ExperiencePlatform -Sandbox DEV' $session | Sort-Object) | Should -Be @('dev-apac', 'dev-emea')
            Get-CompletionText 'Connect-ExperiencePlatform -SandboxName *emea' $session | Should -Be 'dev-emea'
            Get-CompletionText 'Connect-ExperiencePlatform -Sandbox q' $session | Should -Be 'qa-west'

            # The default context's sandbox counts even when it was never typed (here the emulator's, prod).
            Invoke-InSession $session $script:ConnectScript @($script:Emulator, 'prod')
            Get-CompletionText 'Connect-ExperiencePlatform -Sandbox p' $session | Should -Be 'prod'

            # Completing asked nothing of the platform, and another session has seen none of these sandboxes.
            @((Get-EmulatorRequest $script:Emulator -Since $mark) | Where-Object { -not $_.path.StartsWith('/ims/') }) | Should -BeNullOrEmpty
            Get-CompletionText 'Connect-ExperiencePlatform -Sandbox ' $other | Should -Be 'prod'
        }

        It 'offers the job ids of the last listing with status and dataset, without any request' {
            Invoke-InSession $session $script:ConnectScript @($script:Emulator, 'prod')
            Get-CompletionText 'Get-ProfileSystemJob -Id ' $session | Should -BeNullOrEmpty

            $listed = @(Invoke-InSession $session 'Get-ProfileSystemJob -First 30')
            $ids = @($listed.Id)
            $ids.Count | Should -Be 30

            $mark = Get-EmulatorLogPosition $script:Emulator
            foreach ($command in 'Get-ProfileSystemJob -Id ', 'Remove-ProfileSystemJob -Id ', 'Wait-ProfileSystemJob -Id ', 'Wait-ProfileSystemJob ') {
                Get-CompletionText $command $session | Should -Be $ids -Because $command
            }
            $first = Get-Completion "Get-ProfileSystemJob -Id $($ids[0])" $session | Where-Object CompletionText -EQ $ids[0]
            $first.ToolTip | Should -Match ([regex]::Escape($listed[0].Status))
            $first.ToolTip | Should -Match ([regex]::Escape($listed[0].DatasetId))
            $prefix = $ids[1].Substring(0, 2)
            $withPrefix = @($ids | Where-Object { $_.StartsWith($prefix, [StringComparison]::OrdinalIgnoreCase) })
            Get-CompletionText "Remove-ProfileSystemJob -Id $($prefix.ToUpperInvariant())" $session | Should -Be $withPrefix
            Get-CompletionText "Get-ProfileSystemJob -Id 'no-such', $prefix" $session | Should -Be $withPrefix
            Get-EmulatorRequest $script:Emulator -Since $mark | Should -BeNullOrEmpty

            # A newer listing replaces the ids; one that finds nothing leaves the last useful one.
            $failed = @((Invoke-InSession $session 'Get-ProfileSystemJob -Status Failed').Id)
            $failed | Should -Not -BeNullOrEmpty
            Get-CompletionText 'Wait-ProfileSystemJob -Id ' $session | Should -Be $failed
            $null = Invoke-InSession $session 'Get-ProfileSystemJob -Skip 100000'
            Get-CompletionText 'Wait-ProfileSystemJob -Id ' $session | Should -Be $failed

            # Per session: another one has listed nothing.
            Get-CompletionText 'Get-ProfileSystemJob -Id ' $other | Should -BeNullOrEmpty
        }

        It 'keeps the newest thousand job ids of a long listing' {
            $long = Start-Emulator -Mode unified -Arguments '--seed-jobs', '1100'
            try {
                Invoke-InSession $session $script:ConnectScript @($long, 'prod')
                $ids = @((Invoke-InSession $session 'Get-ProfileSystemJob').Id)
                $ids.Count | Should -BeGreaterThan 1000

                Get-CompletionText 'Get-ProfileSystemJob -Id ' $session | Should -Be @($ids | Select-Object -Last 1000)
            }
            finally { Stop-Emulator $long }
        }
    }
}
