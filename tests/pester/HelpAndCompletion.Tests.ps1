#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# What a user meets around the commands rather than in their results: Tab completion of parameter values, Get-Help
# (default values, -Online, examples), which parameters each parameter set offers, pipeline binding and the wording
# of input errors. Completion goes through TabExpansion2, as the console calls it.

BeforeDiscovery {
    # The cmdlets the built module exports, from its manifest (the tests per cmdlet are made before anything is imported).
    $moduleFolder = if ($env:PROFILEJOBS_MODULE_PATH) { $env:PROFILEJOBS_MODULE_PATH } else { Join-Path $PSScriptRoot '../../out/ProfileJobs' }
    $Cmdlets = @((Import-PowerShellDataFile (Join-Path $moduleFolder 'ProfileJobs.psd1')).CmdletsToExport | Sort-Object)
}

BeforeAll {
    . ([IO.Path]::Combine($PSScriptRoot, 'TestSupport.ps1'))

    # The completions Tab offers with the cursor at the end of $InputScript.
    function Get-Completion([string] $InputScript) {
        @((TabExpansion2 -inputScript $InputScript -cursorColumn $InputScript.Length).CompletionMatches)
    }

    function Get-CompletionText([string] $InputScript) { @(Get-Completion $InputScript | ForEach-Object CompletionText) }
}

Describe 'Tab completion' {
    BeforeAll {
        $emulator = Start-Emulator -Mode unified -Arguments '--seed-jobs', '40', '--job-step-ms', '300'
        $prod = Connect-Emulator $emulator
        $prodJobs = @(Get-ProfileSystemJob -First 25)
        # A second sandbox of the same organization, with a job of its own; it is the default connection from here on.
        $dev = Connect-Emulator $emulator -Parameters @{ Sandbox = 'dev' }
        $devJob = New-ProfileDeleteJob -DatasetId (New-TestDatasetId) -Force
        $devJobs = @(Get-ProfileSystemJob)
    }

    AfterAll {
        Disconnect-ExperiencePlatform -ErrorAction SilentlyContinue
        Stop-Emulator $emulator
    }

    It 'offers each -Status of Get-ProfileSystemJob once, the states in their own case' {
        $offered = Get-CompletionText 'Get-ProfileSystemJob -Status '

        $offered | Should -Contain 'Failed'
        $offered | Should -Contain 'ERROR'
        $offered | Should -Contain 'IN-PROGRESS'
        $offered -ccontains 'FAILED' | Should -BeFalse
        @($offered | Sort-Object -Unique).Count | Should -Be $offered.Count
        Get-CompletionText 'Get-ProfileSystemJob -Status fa' | Should -BeExactly 'Failed'
    }

    It 'never offers file names for <Command>' -ForEach @(
        @{ Command = 'Get-ProfileSystemJob -Id ' }
        @{ Command = 'Remove-ProfileSystemJob -Id ' }
        @{ Command = 'Wait-ProfileSystemJob ' }
        @{ Command = 'New-ProfileDeleteJob -DatasetId ' }
        @{ Command = 'New-ProfileDeleteJob -DatasetId 5c8c3c555033b814b69f947f -BatchId ' }
        @{ Command = 'Get-HygieneRecordDelete -JobId ' }
        @{ Command = 'Get-HygieneRecordDelete -WorkOrderId ' }
        @{ Command = 'Wait-HygieneRecordDelete -JobId ' }
        @{ Command = 'Wait-HygieneRecordDelete -WorkOrderId ' }
        @{ Command = 'New-HygieneRecordDelete -Namespace email -Value a@example.com -DatasetId ' }
    ) {
        $folder = Join-Path ([IO.Path]::GetTempPath()) "profilejobs-completion-$([guid]::NewGuid().ToString('N'))"
        $null = New-Item -ItemType Directory -Path (Join-Path $folder 'a-folder')
        Set-Content -LiteralPath (Join-Path $folder 'identities.csv') -Value 'Namespace,Value'
        Push-Location -LiteralPath $folder
        try {
            $offered = Get-Completion $Command
            $offered | Where-Object { $_.ResultType -in 'ProviderItem', 'ProviderContainer' } | Should -BeNullOrEmpty
            $offered.CompletionText | Where-Object { $_ -match 'identities\.csv|a-folder' } | Should -BeNullOrEmpty
        }
        finally {
            Pop-Location
            Remove-Item -LiteralPath $folder -Recurse -Force
        }
    }

    It 'offers the job ids listed on the connection the command will use, never those of another sandbox' {
        $devIds = @($devJobs.Id)
        $prodIds = @($prodJobs.Id)
        $devIds | Should -Contain $devJob.Id
        $position = Get-EmulatorLogPosition $emulator

        Get-CompletionText 'Get-ProfileSystemJob -Id ' | Should -Be $devIds
        Get-CompletionText 'Wait-ProfileSystemJob -Context $dev -Id ' | Should -Be $devIds
        Get-CompletionText 'Get-ProfileSystemJob -Context $prod -Id ' | Should -Be $prodIds
        Get-CompletionText 'Remove-ProfileSystemJob -Context $prod ' | Should -Be $prodIds
        # A -Context that completion cannot evaluate without running something: nothing is offered rather than a guess.
        Get-CompletionText 'Get-ProfileSystemJob -Context (Get-ExperiencePlatformContext) -Id ' | Should -BeNullOrEmpty
        Get-EmulatorRequest $emulator -Since $position | Should -BeNullOrEmpty
    }

    It 'offers the datasets and batches of the last listing for New-ProfileDeleteJob' {
        $datasets = @($prodJobs.DatasetId | Where-Object { $_ } | Select-Object -Unique)
        $batchJob = $prodJobs | Where-Object BatchId | Select-Object -First 1
        $batchJob | Should -Not -BeNullOrEmpty

        Get-CompletionText 'New-ProfileDeleteJob -Context $prod -DatasetId ' | Sort-Object | Should -Be ($datasets | Sort-Object)
        Get-CompletionText 'New-ProfileDeleteJob -DatasetId ' | Should -Be @($devJob.DatasetId)
        $batches = Get-CompletionText "New-ProfileDeleteJob -Context `$prod -DatasetId $($batchJob.DatasetId) -BatchId "
        $batches | Should -Be @($prodJobs | Where-Object { $_.BatchId -and $_.DatasetId -eq $batchJob.DatasetId } | ForEach-Object BatchId)
    }

    It 'offers the record-delete jobs New-HygieneRecordDelete created for -JobId' {
        Get-CompletionText 'Wait-HygieneRecordDelete -JobId ' | Should -BeNullOrEmpty

        $jobs = New-HygieneRecordDelete -Namespace email -Value 'tab1@example.com', 'tab2@example.com' -Force

        Get-CompletionText 'Wait-HygieneRecordDelete -JobId ' | Should -Be @($jobs.JobId)
        Get-CompletionText 'Get-HygieneRecordDelete -JobId ' | Should -Be @($jobs.JobId)
        $tip = (Get-Completion "Get-HygieneRecordDelete -JobId $($jobs[0].JobId)")[0].ToolTip
        $tip | Should -Match ([regex]::Escape($jobs[0].UserKey))
    }

    It 'offers the work orders of the last listing of the same sandbox for -WorkOrderId, and ALL first for -DatasetId' {
        $null = New-HygieneRecordDelete -Context $prod -Namespace email -Value 'tab3@example.com' -DatasetId 5c8c3c555033b814b69f947f -DisplayName 'tab' -Force
        $listed = @(Get-HygieneRecordDelete -Context $prod)
        $listed | Should -Not -BeNullOrEmpty

        Get-CompletionText 'Get-HygieneRecordDelete -Context $prod -WorkOrderId ' | Should -Be @($listed.WorkOrderId)
        Get-CompletionText 'Wait-HygieneRecordDelete -Context $prod -WorkOrderId ' | Should -Be @($listed.WorkOrderId)
        Get-CompletionText 'Wait-HygieneRecordDelete -WorkOrderId ' | Should -BeNullOrEmpty
        $datasets = Get-CompletionText 'New-HygieneRecordDelete -Context $prod -Namespace email -Value x@example.com -DatasetId '
        $datasets[0] | Should -BeExactly 'ALL'
        $datasets | Should -Contain '5c8c3c555033b814b69f947f'
    }

    # Last: a listing replaces the one completion offers.
    It 'still accepts FAILED, the API status, as -Status' {
        $failed = @(Get-ProfileSystemJob -Context $prod -Status FAILED)

        $failed | Should -Not -BeNullOrEmpty
        $failed.State | Sort-Object -Unique | Should -Be 'Failed'
    }
}

Describe 'Get-Help' {
    It 'shows the default value of <Cmdlet> -<Parameter>: <Expected>' -ForEach @(
        @{ Cmdlet = 'Connect-ExperiencePlatform'; Parameter = 'Sandbox'; Expected = 'prod' }
        @{ Cmdlet = 'Connect-ExperiencePlatform'; Parameter = 'ApiGeneration'; Expected = 'Auto' }
        @{ Cmdlet = 'Wait-ProfileSystemJob'; Parameter = 'Timeout'; Expected = '-1' }
        @{ Cmdlet = 'Wait-ProfileSystemJob'; Parameter = 'PollingInterval'; Expected = '5' }
        @{ Cmdlet = 'Wait-HygieneRecordDelete'; Parameter = 'PollingInterval'; Expected = '30' }
        @{ Cmdlet = 'New-ProfileDeleteJob'; Parameter = 'Timeout'; Expected = '-1' }
        @{ Cmdlet = 'New-HygieneRecordDelete'; Parameter = 'ThrottleLimit'; Expected = '4' }
        @{ Cmdlet = 'Get-ProfileSystemJob'; Parameter = 'PageSize'; Expected = '100' }
        @{ Cmdlet = 'Get-HygieneRecordDelete'; Parameter = 'PageSize'; Expected = '100' }
    ) {
        $help = Get-Help $Cmdlet -Parameter $Parameter

        "$($help.defaultValue)".Trim() | Should -BeExactly $Expected
        ($help | Out-String -Width 120) | Should -Match "Default value\s+$([regex]::Escape($Expected))\r?\n"
    }

    It 'shows, for every parameter of <_>, the value a new command starts with, or what [PSDefaultValue] says' -ForEach $Cmdlets {
        $command = Get-Command $_
        $instance = [Activator]::CreateInstance($command.ImplementingType)
        try {
            $common = [Management.Automation.Cmdlet]::CommonParameters + [Management.Automation.Cmdlet]::OptionalCommonParameters
            foreach ($parameter in $command.Parameters.Values | Where-Object Name -NotIn $common) {
                $property = $command.ImplementingType.GetProperty($parameter.Name)
                $property | Should -Not -BeNullOrEmpty -Because "-$($parameter.Name) is declared by the cmdlet, not added by PowerShell"
                $declared = $property.GetCustomAttributes([Management.Automation.PSDefaultValueAttribute], $true) | Select-Object -First 1
                $value = $property.GetValue($instance)
                $unset = $null -eq $value -or ($value -is [string] -and $value -eq '') -or ($value -is [array] -and $value.Count -eq 0) -or
                    $value -is [switch]
                $expected = if ($declared) { if ($declared.Help) { $declared.Help } else { "$($declared.Value)" } }
                    elseif ($value -is [switch]) { 'False' }
                    elseif ($unset) { '' }
                    elseif ($value -is [array]) { ($value | ForEach-Object { [string]::Format([cultureinfo]::InvariantCulture, '{0}', $_) }) -join ', ' }
                    else { [string]::Format([cultureinfo]::InvariantCulture, '{0}', $value) }
                "$($parameter.Name)=$("$((Get-Help $command.Name -Parameter $parameter.Name).defaultValue)".Trim())" | Should -BeExactly "$($parameter.Name)=$expected"
            }
        }
        finally { if ($instance -is [IDisposable]) { $instance.Dispose() } }
    }

    It 'has a working online link for <_>' -ForEach $Cmdlets {
        [Management.Automation.Internal.InternalTestHooks]::SetTestHook('BypassOnlineHelpRetrieval', $true)
        try {
            # With the hook PowerShell writes the address instead of starting a browser.
            $shown = Get-Help $_ -Online -ErrorAction Stop
        }
        finally { [Management.Automation.Internal.InternalTestHooks]::SetTestHook('BypassOnlineHelpRetrieval', $false) }

        "$shown" | Should -Match '^Help URI: https://'
        $uri = [uri]("$shown" -replace '^Help URI: ', '')
        $uri.IsAbsoluteUri | Should -BeTrue
        (Get-Command $_).HelpUri | Should -BeExactly $uri.OriginalString
        # The same address is the first related link of the help, where Get-Help -Full shows it.
        $first = @((Get-Help $_ -Full).relatedLinks.navigationLink)[0]
        $first.linkText | Should -Be 'Online Version:'
        $first.uri | Should -BeExactly $uri.OriginalString
    }

    It 'passes record-delete job ids, not request ids, to -JobId and -Id in the examples of <_>' -ForEach $Cmdlets {
        foreach ($example in @((Get-Help $_ -Full).examples.example)) {
            $ast = [Management.Automation.Language.Parser]::ParseInput($example.code, [ref]$null, [ref]$null)
            foreach ($call in $ast.FindAll({ $args[0] -is [Management.Automation.Language.CommandAst] }, $true)) {
                $elements = $call.CommandElements
                for ($i = 0; $i -lt $elements.Count - 1; $i++) {
                    if ($elements[$i] -isnot [Management.Automation.Language.CommandParameterAst] -or $elements[$i].ParameterName -notin 'JobId', 'Id') { continue }
                    $values = @($elements[$i + 1].FindAll({ $args[0] -is [Management.Automation.Language.StringConstantExpressionAst] }, $true).Value)
                    # A request id (the submission's, such as 16318094870430026RX-334) is no job id.
                    $values | Where-Object { $_ -match '^\d+RX-\d+$' } | Should -BeNullOrEmpty -Because "$($example.title) passes -$($elements[$i].ParameterName) $values"
                }
            }
        }
    }

    Context 'examples against the emulator' {
        BeforeAll {
            $emulator = Start-Emulator -Mode unified
            $null = Connect-Emulator $emulator
        }

        AfterAll {
            Disconnect-ExperiencePlatform
            Stop-Emulator $emulator
        }

        It 'exports an audit trail of record deletes as the example of Get-HygieneRecordDelete does' {
            $example = @((Get-Help Get-HygieneRecordDelete -Full).examples.example | Where-Object { $_.title -match 'audit trail' })
            $example.Count | Should -Be 1
            $folder = Join-Path ([IO.Path]::GetTempPath()) "profilejobs-audit-$([guid]::NewGuid().ToString('N'))"
            $null = New-Item -ItemType Directory -Path $folder
            Set-Content -LiteralPath (Join-Path $folder 'identities.csv') -Value @(
                'Key,Namespace,Value,Type', 'Jane Doe,email,jane.audit@example.com,', 'Jane Doe,ECID,73019271538296528733512917683204812256,', ',email,joe.audit@example.com,')
            Push-Location -LiteralPath $folder
            try {
                . ([scriptblock]::Create($example[0].code))
                $rows = @(Import-Csv -LiteralPath (Join-Path $folder 'record-deletes-audit.csv'))
            }
            finally {
                Pop-Location
                Remove-Item -LiteralPath $folder -Recurse -Force
            }

            $rows.Count | Should -Be 2
            $rows[0].UserKey | Should -Be 'Jane Doe'
            $rows[0].IdentitiesText | Should -Be 'email:jane.audit@example.com; ECID:73019271538296528733512917683204812256'
            $rows[1].UserKey | Should -Be 'email:joe.audit@example.com'
            $rows[1].IdentitiesText | Should -Be 'email:joe.audit@example.com'
            $rows.StateText | Should -Not -Contain ''
            $rows.ProductStatusText | Should -Not -Contain ''
            $sent = @(Get-EmulatorPrivacyJob $emulator)
            $rows.JobId | ForEach-Object { $sent.jobId | Should -Contain $_ }
            $rows.Status | Should -Not -Contain ''
            $rows.RequestId | Should -Not -Contain ''
            $rows | ForEach-Object { [DateTimeOffset]::Parse($_.CreatedAt, [cultureinfo]::InvariantCulture) } | Should -Not -BeNullOrEmpty
        }
    }
}

Describe 'Parameter sets' {
    It 'offers -First, -Skip and -IncludeTotalCount of <Cmdlet> only when listing' -ForEach @(
        @{ Cmdlet = 'Get-ProfileSystemJob'; List = 'List'; ById = @('Id') }
        @{ Cmdlet = 'Get-HygieneRecordDelete'; List = 'List'; ById = @('JobId', 'WorkOrderId') }
    ) {
        $command = Get-Command $Cmdlet
        $paging = 'First', 'Skip', 'IncludeTotalCount'

        $listSet = $command.ParameterSets | Where-Object Name -EQ $List
        $listSet.Parameters.Name | Should -Contain 'First'
        $listSet.Parameters.Name | Should -Contain 'Skip'
        $listSet.Parameters.Name | Should -Contain 'IncludeTotalCount'
        foreach ($set in $ById) {
            ($command.ParameterSets | Where-Object Name -EQ $set).Parameters.Name | Where-Object { $_ -in $paging } | Should -BeNullOrEmpty -Because "the $set set reads by id"
        }
        $syntax = Get-Command $Cmdlet -Syntax
        ($syntax -split '\r?\n' | Where-Object { $_ -match '-(Id|JobId|WorkOrderId) ' }) -join "`n" | Should -Not -Match '-First|-Skip|-IncludeTotalCount'
        (Get-Help $Cmdlet).syntax.syntaxItem | Where-Object { $_.parameter.name -contains $ById[0] } |
            ForEach-Object { $_.parameter.name } | Where-Object { $_ -in $paging } | Should -BeNullOrEmpty
    }

    Context 'against the emulator' {
        BeforeAll {
            $emulator = Start-Emulator -Mode unified -Arguments '--seed-jobs', '30', '--job-step-ms', '300'
            $null = Connect-Emulator $emulator
        }

        AfterAll {
            Disconnect-ExperiencePlatform
            Stop-Emulator $emulator
        }

        It 'refuses -First with -Id before sending anything' {
            $job = Get-ProfileSystemJob -First 1
            $position = Get-EmulatorLogPosition $emulator

            { Get-ProfileSystemJob -Id $job.Id -First 1 -ErrorAction Stop } | Should -Throw -ErrorId 'AmbiguousParameterSet,ProfileJobs.Commands.GetProfileSystemJobCommand'
            Get-EmulatorRequest $emulator -Since $position -Api | Should -BeNullOrEmpty
        }

        It 'keeps -First, -Skip and -IncludeTotalCount on listings' {
            $all = @(Get-ProfileSystemJob)

            $page = @(Get-ProfileSystemJob -Skip 3 -First 4 -IncludeTotalCount)

            $page.Count | Should -Be 5
            $page[0..3].Id | Should -Be ($all | Select-Object -Skip 3 -First 4).Id
            $page[4] | Should -BeOfType [uint64]
            $page[4] | Should -Be $all.Count
            $page[4].Accuracy | Should -Be 1.0
            "$($page[4])" | Should -Match "$($all.Count)"

            $null = New-HygieneRecordDelete -Namespace email -Value 'p1@example.com', 'p2@example.com' -DatasetId ALL -DisplayName 'paging' -Force
            $null = New-HygieneRecordDelete -Namespace email -Value 'p3@example.com' -DatasetId ALL -DisplayName 'paging' -Force
            $orders = @(Get-HygieneRecordDelete -Search paging)
            $orders.Count | Should -Be 2
            $counted = @(Get-HygieneRecordDelete -Search paging -Skip 1 -IncludeTotalCount)
            $counted[0].WorkOrderId | Should -Be $orders[1].WorkOrderId
            $counted[1] | Should -Be 2
            @(Get-HygieneRecordDelete -Search paging -First 1).WorkOrderId | Should -Be $orders[0].WorkOrderId
        }
    }
}

Describe 'Pipeline input and input errors' {
    BeforeAll {
        $emulator = Start-Emulator -Mode unified -Arguments '--seed-jobs', '5', '--job-step-ms', '300'
        $null = Connect-Emulator $emulator
    }

    AfterAll {
        Disconnect-ExperiencePlatform
        Stop-Emulator $emulator
    }

    It 'binds job ids piped as strings to Wait-HygieneRecordDelete and Get-HygieneRecordDelete, as Wait-ProfileSystemJob does' {
        $jobs = New-HygieneRecordDelete -Namespace email -Value 'piped1@example.com', 'piped2@example.com' -Force
        $systemJob = Get-ProfileSystemJob -First 1

        $waited = @($jobs.JobId | Wait-HygieneRecordDelete -PollingInterval 0.2 -Timeout 60)
        $read = @($jobs.JobId | Get-HygieneRecordDelete)
        $waitedSystem = @($systemJob.Id | Wait-ProfileSystemJob -Timeout 0 -ErrorAction SilentlyContinue)

        $waited.JobId | Should -Be $jobs.JobId
        $waited.State | Should -Be 'Succeeded', 'Succeeded'
        $read.JobId | Should -Be $jobs.JobId
        $waitedSystem.Id | Should -Be $systemJob.Id
        # Objects still bind by property name: work orders to -WorkOrderId, jobs to -JobId.
        @($jobs | Get-HygieneRecordDelete).JobId | Should -Be $jobs.JobId
        $order = New-HygieneRecordDelete -Namespace email -Value 'piped3@example.com' -DatasetId ALL -DisplayName 'piped' -Force
        ($order | Get-HygieneRecordDelete).WorkOrderId | Should -Be $order.WorkOrderId
    }

    It 'says "input row 1" for a customer of one row, and names a customer without a key by its row' {
        $result = Invoke-Captured {
            @([pscustomobject]@{ Namespace = ''; Value = '' }) | New-HygieneRecordDelete -Force
            @([pscustomobject]@{ Key = 'Jane Doe'; Namespace = 'email'; Value = '' }) | New-HygieneRecordDelete -Force
            @([pscustomobject]@{ Key = 'John Doe'; Namespace = 'email'; Value = 'john@example.com' }, [pscustomobject]@{ Key = 'John Doe'; Namespace = 'email'; Value = '' }) |
                New-HygieneRecordDelete -Force
        }

        $result.Errors.Count | Should -Be 3
        $messages = @($result.Errors | ForEach-Object { $_.Exception.Message })
        $messages | Should -Not -Match "'\s*:\s*'"
        $messages | Should -Not -Match 'rows 1\b(?!,)'
        $messages[0] | Should -Match '^Input row 1 was not submitted: row 1 has no namespace\.$'
        $result.Errors[0].TargetObject | Should -Be 'row 1'
        $messages[1] | Should -Match "^Customer 'Jane Doe' \(input row 1\) was not submitted: row 1 \(email\) has an empty value\.$"
        $result.Errors[1].TargetObject | Should -Be 'Jane Doe'
        $messages[2] | Should -Match "^Customer 'John Doe' \(input rows 1, 2\) was not submitted: row 2 \(email\) has an empty value\.$"
        $result.Errors | ForEach-Object FullyQualifiedErrorId | Sort-Object -Unique | Should -Be 'InvalidIdentity,ProfileJobs.Commands.NewHygieneRecordDeleteCommand'
    }
}
