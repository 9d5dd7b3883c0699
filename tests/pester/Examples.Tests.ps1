#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# The scripts in examples/, each run as its user runs it: in a new pwsh process against the emulator.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:FailingDataset = '65f0c0ffee0000000000bad1'
    $script:Emulator = Start-Emulator -Mode unified -Arguments '--seed-jobs', '8', '--job-step-ms', '100', '--fail-dataset', $script:FailingDataset
    $script:Manifest = Join-Path $script:ModulePath 'ProfileJobs.psd1'
    $script:Examples = Join-Path $script:RepoRoot 'examples'
    # Import-Module ProfileJobs by name finds the built module first.
    $script:ModuleSearchPath = @{ PSModulePath = (Split-Path $script:ModulePath) + [IO.Path]::PathSeparator + $env:PSModulePath }
}

AfterAll {
    Stop-Emulator $script:Emulator
}

Describe 'examples/demo.ps1' {
    It 'tours the module against the emulator with formatted output and never shows the secret' {
        $session = Invoke-Pwsh -ArgumentList '-File', (Join-Path $script:Examples 'demo.ps1'), '-PlatformUri', $script:Emulator.Uri, '-ModulePath', $script:Manifest,
            '-ClientId', $script:Emulator.ClientId, '-ClientSecret', $script:Emulator.ClientSecret, '-OrgId', $script:Emulator.OrgId

        $session.ExitCode | Should -Be 0 -Because ($session.StdOut + $session.StdErr)
        $session.StdOut | Should -Match '(?m)^# List every profile system job'
        # The jobs' table view (its right-hand columns fall off at the 80 columns of a redirected console).
        $session.StdOut | Should -Match '(?m)^Id\s+State\s+CreatedAt\s+Status'
        $session.StdOut | Should -Match ([regex]::Escape('What if: Performing the operation "Delete all profile data of the dataset" on target "dataset 5c8c3c555033b814b69f947f'))
        $session.StdOut | Should -Match 'State: Succeeded; records processed: \d+'
        $session.StdOut | Should -Match 'Error id: JobNotFound,ProfileJobs.Commands.GetProfileSystemJobCommand'
        $session.StdErr | Should -Match 'failed with 404 Not Found'
        ($session.StdOut + $session.StdErr) | Should -Not -Match ([regex]::Escape($script:Emulator.ClientSecret))
    }
}

Describe 'examples/Remove-CustomersFromCsv.ps1 with <Api>' -ForEach @(
    @{ Api = 'record-delete jobs'; Arguments = ''; Summary = 'submitted 4, rejected 1, failed 0' }
    @{ Api = 'work orders'; Arguments = '-DatasetId ALL'; Summary = 'submitted 1, rejected 1, failed 0' }
) {
    It 'deletes the valid customers of data/customers.csv, reports the broken row and waits for the result' {
        $privacyBefore = (Get-EmulatorPrivacyJob $script:Emulator).Count
        $ordersBefore = (Get-EmulatorWorkOrder $script:Emulator -NoIdentities).Count
        $session = Invoke-Pwsh -Environment (Get-EmulatorEnvironment $script:Emulator) -ArgumentList '-Command', (@(
                "Import-Module $(ConvertTo-QuotedString $script:Manifest) -ErrorAction Stop"
                '$null = Connect-ExperiencePlatform -FromEnvironment'
                "& $(ConvertTo-QuotedString (Join-Path $script:Examples 'Remove-CustomersFromCsv.ps1')) -Path $(ConvertTo-QuotedString (Join-Path $script:Examples 'data/customers.csv')) -PollingIntervalSeconds 0.2 -TimeoutSeconds 60 $Arguments"
            ) -join "`n")

        $session.ExitCode | Should -Be 0 -Because ($session.StdOut + $session.StdErr)
        $session.StdOut | Should -Match 'rejected: Broken Row: '
        $session.StdOut | Should -Match ([regex]::Escape($Summary))
        $session.StdOut | Should -Match '(?m)^Succeeded: '
        $session.StdOut | Should -Not -Match '(?m)^Failed: '
        if ($Arguments) {
            $orders = @((Get-EmulatorWorkOrder $script:Emulator -NoIdentities) | Select-Object -Skip $ordersBefore)
            $orders.Count | Should -Be 1
            $orders[0].identityCount | Should -Be 6
        }
        else {
            $jobs = @((Get-EmulatorPrivacyJob $script:Emulator) | Select-Object -Skip $privacyBefore)
            @($jobs.userKey | Sort-Object) | Should -Be @('email:anonymous@example.com', 'Jane Doe', 'John Doe', 'Max Mustermann' | Sort-Object)
        }
    }
}

Describe 'examples/runbooks/Invoke-NightlyProfileCleanup.ps1' {
    BeforeAll {
        $script:Runbook = Join-Path $script:Examples 'runbooks/Invoke-NightlyProfileCleanup.ps1'
        # Every AEP_* variable the runbook could read, removed unless a test sets it.
        $script:NoAep = @{ AEP_CLIENT_ID = $null; AEP_CLIENT_SECRET = $null; AEP_ORG_ID = $null; AEP_ACCESS_TOKEN = $null; AEP_PLATFORM_URI = $null; AEP_IMS_URI = $null; AEP_SANDBOX_NAME = $null; AEP_SANDBOX_ID = $null; AEP_API_KEY = $null }

        function Invoke-Runbook([string] $Prelude, [hashtable] $Environment, [string[]] $DatasetId, [string] $Arguments) {
            $all = $script:NoAep + $script:ModuleSearchPath
            foreach ($name in $Environment.Keys) { $all[$name] = $Environment[$name] }
            Invoke-Pwsh -Environment $all -ArgumentList '-Command', (@(
                    $Prelude
                    "& $(ConvertTo-QuotedString $script:Runbook) -DatasetId $(($DatasetId | ForEach-Object { ConvertTo-QuotedString $_ }) -join ',') $Arguments -PlatformUri '$($script:Emulator.Uri)' -ImsUri '$($script:Emulator.Uri)' -TimeoutSeconds 60 -PollingIntervalSeconds 0.2"
                ) -join "`n")
        }

        # DatasetId -> Status of the summary objects as pwsh shows them (a list per object: five properties).
        function Get-Summary([string] $Text) {
            $summaries = @{}
            foreach ($match in [regex]::Matches($Text, '(?m)^DatasetId\s*:\s*(?<id>\S+)\s*\r?\n\s*Status\s*:\s*(?<status>\S+)')) {
                $summaries[$match.Groups['id'].Value] = $match.Groups['status'].Value
            }
            $summaries
        }
    }

    It 'in Azure Automation reads the credential asset, deletes every dataset and writes a summary for each' {
        $datasets = '65f0c0ffee0000000000c001', '65f0c0ffee0000000000c002', '65f0c0ffee0000000000c003'
        # Azure Automation's internal cmdlet, as its sandbox provides it; it fails for any other asset name.
        $automation = "function Get-AutomationPSCredential { param([string] `$Name) if (`$Name -ne 'AEP-ServerToServer') { throw `"no asset `$Name`" }; " +
            "[pscredential]::new('$($script:Emulator.ClientId)', (ConvertTo-SecureString '$($script:Emulator.ClientSecret)' -AsPlainText -Force)) }"

        $session = Invoke-Runbook $automation @{} $datasets "-OrgId '$($script:Emulator.OrgId)'"

        $session.ExitCode | Should -Be 0 -Because ($session.StdOut + $session.StdErr)
        $summaries = Get-Summary $session.StdOut
        @($summaries.Keys | Sort-Object) | Should -Be $datasets
        $summaries.Values | Sort-Object -Unique | Should -Be 'Succeeded'
        $created = @((Get-EmulatorJob $script:Emulator) | ForEach-Object datasetId)
        foreach ($id in $datasets) { $created | Should -Contain $id }
    }

    It 'outside Azure Automation reads the environment, and fails the job when a delete fails' {
        $good = '65f0c0ffee0000000000d001'
        $environment = @{ AEP_CLIENT_ID = $script:Emulator.ClientId; AEP_CLIENT_SECRET = $script:Emulator.ClientSecret; AEP_ORG_ID = $script:Emulator.OrgId }

        $session = Invoke-Runbook '' $environment @($good, $script:FailingDataset) ''

        $session.ExitCode | Should -Not -Be 0 -Because ($session.StdOut + $session.StdErr)
        $summaries = Get-Summary $session.StdOut
        $summaries[$good] | Should -Be 'Succeeded'
        $summaries[$script:FailingDataset] | Should -Be 'Failed'
        $session.StdErr | Should -Match 'Profile cleanup failed for 1 of 2 datasets'
        $session.StdErr | Should -Match $script:FailingDataset
    }

    It 'without any credential fails at once instead of prompting, and sends nothing' {
        $mark = Get-EmulatorLogPosition $script:Emulator

        $session = Invoke-Runbook '' @{} @('65f0c0ffee0000000000e001') "-OrgId '$($script:Emulator.OrgId)'"

        $session.ExitCode | Should -Not -Be 0
        $session.StdErr | Should -Match 'AEP_CLIENT_ID and AEP_CLIENT_SECRET are not both set'
        (Get-Summary $session.StdOut).Count | Should -Be 0
        Get-EmulatorRequest $script:Emulator -Since $mark | Should -BeNullOrEmpty
    }

    It 'documents every parameter, never prompts, and passes -Context to every ProfileJobs command after Connect' {
        $tokens = $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($script:Runbook, [ref] $tokens, [ref] $errors)
        $errors | Should -BeNullOrEmpty
        $help = $ast.GetHelpContent()
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Description | Should -Match 'AEP_CLIENT_ID'
        $help.Description | Should -Match 'AEP_CLIENT_SECRET'
        $help.Examples.Count | Should -BeGreaterThan 0
        $parameters = @($ast.ParamBlock.Parameters | ForEach-Object { $_.Name.VariablePath.UserPath })
        $parameters[0..4] | Should -Be @('CredentialName', 'OrgId', 'Sandbox', 'DatasetId', 'TimeoutSeconds')
        foreach ($parameter in $parameters) { $help.Parameters.Keys | Should -Contain $parameter.ToUpperInvariant() -Because ".PARAMETER $parameter documents it" }

        $cmdlets = @((Get-Module ProfileJobs).ExportedCmdlets.Keys)
        $calls = @($ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] }, $true))
        @($calls | Where-Object { $_.GetCommandName() -in 'Read-Host', 'Get-Credential' }) | Should -BeNullOrEmpty
        $withoutContext = @($calls | Where-Object { $_.GetCommandName() -in $cmdlets -and $_.GetCommandName() -ne 'Connect-ExperiencePlatform' } |
                Where-Object { -not @($_.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] -and $_.ParameterName -eq 'Context' }) } |
                ForEach-Object { $_.Extent.Text })
        $withoutContext | Should -BeNullOrEmpty
        @($calls | Where-Object { $_.GetCommandName() -in $cmdlets }).Count | Should -BeGreaterThan 2
    }
}
