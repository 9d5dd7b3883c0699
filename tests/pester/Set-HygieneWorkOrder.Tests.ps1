#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:Emulator = Start-Emulator -Mode unified
    $null = Connect-Emulator $script:Emulator
    function New-TestWorkOrder([string] $Name) {
        New-HygieneRecordDelete -Namespace email -Value "$Name@example.com" -DatasetId ALL -DisplayName $Name -Description 'first' -Force
    }
    function Get-TestName { "rename-$([guid]::NewGuid().ToString('N').Substring(0, 8))" }
}

AfterAll {
    Disconnect-ExperiencePlatform -ErrorAction SilentlyContinue
    Stop-Emulator $script:Emulator
}

Describe 'Set-HygieneWorkOrder' {
    It 'renames a work order with one PUT and writes it as changed with -PassThru' {
        $name = Get-TestName
        $order = New-TestWorkOrder $name
        $mark = Get-EmulatorLogPosition $script:Emulator

        $changed = @(Set-HygieneWorkOrder -WorkOrderId $order.WorkOrderId -DisplayName "$name renamed" -PassThru)

        $changed.Count | Should -Be 1
        $changed[0] | Should -BeOfType ([ProfileJobs.HygieneWorkOrder])
        $changed[0].WorkOrderId | Should -Be $order.WorkOrderId
        $changed[0].DisplayName | Should -Be "$name renamed"
        $changed[0].Description | Should -Be 'first'
        $requests = Get-EmulatorRequest $script:Emulator -Since $mark -Api
        $requests.Count | Should -Be 1
        $requests[0].method | Should -Be 'PUT'
        $requests[0].path | Should -Be "/data/core/hygiene/workorder/$($order.WorkOrderId)"
        ($requests[0].body | ConvertTo-CanonicalJson) | Should -Be (@{ displayName = "$name renamed" } | ConvertTo-Json | ConvertTo-CanonicalJson)
        (Get-HygieneRecordDelete -WorkOrderId $order.WorkOrderId).DisplayName | Should -Be "$name renamed"
    }

    It 'changes only the description, writing nothing without -PassThru' {
        $name = Get-TestName
        $order = New-TestWorkOrder $name
        $mark = Get-EmulatorLogPosition $script:Emulator

        $output = Set-HygieneWorkOrder $order.WorkOrderId -Description 'Ticket OPS-4411'

        $output | Should -BeNullOrEmpty
        ((Get-EmulatorRequest $script:Emulator -Since $mark -Api)[0].body | ConvertTo-CanonicalJson) | Should -Be '{"description":"Ticket OPS-4411"}'
        $read = Get-HygieneRecordDelete -WorkOrderId $order.WorkOrderId
        $read.DisplayName | Should -Be $order.DisplayName
        $read.Description | Should -Be 'Ticket OPS-4411'
    }

    It 'changes the work orders piped from Get-HygieneRecordDelete by their WorkOrderId' {
        $name = Get-TestName
        $orders = @(1..2 | ForEach-Object { New-TestWorkOrder "$name-$_" })

        $changed = @(Get-HygieneRecordDelete -Search $name | Set-HygieneWorkOrder -Description 'batch' -PassThru)

        @($changed.WorkOrderId | Sort-Object) | Should -Be @($orders.WorkOrderId | Sort-Object)
        $changed.Description | Sort-Object -Unique | Should -Be 'batch'
    }

    It 'names the work order and the change with -WhatIf and sends nothing' {
        $name = Get-TestName
        $order = New-TestWorkOrder $name
        $mark = Get-EmulatorLogPosition $script:Emulator

        $session = Invoke-Captured { Set-HygieneWorkOrder -WorkOrderId $order.WorkOrderId -DisplayName 'new name' -WhatIf }

        $session.HostText | Should -BeLike "*What if: Performing the operation `"Set display name to 'new name'`" on target `"work order $($order.WorkOrderId) (sandbox $($script:Emulator.SandboxName))`".*"
        Get-EmulatorRequest $script:Emulator -Since $mark -Api | Should -BeNullOrEmpty
    }

    It 'has medium confirm impact, so it asks when $ConfirmPreference is Medium' {
        $metadata = [Management.Automation.CommandMetadata]::new((Get-Command Set-HygieneWorkOrder))

        $metadata.SupportsShouldProcess | Should -BeTrue
        $metadata.ConfirmImpact | Should -Be 'Medium'
    }

    It 'refuses a call with nothing to change before any request' {
        $mark = Get-EmulatorLogPosition $script:Emulator

        $refused = { Set-HygieneWorkOrder -WorkOrderId DI-00000000-0000-0000-0000-000000000000 } | Should -Throw -PassThru

        $refused.FullyQualifiedErrorId | Should -Be 'NothingToChange,ProfileJobs.Commands.SetHygieneWorkOrderCommand'
        $refused.CategoryInfo.Category | Should -Be 'InvalidArgument'
        Get-EmulatorRequest $script:Emulator -Since $mark -Api | Should -BeNullOrEmpty
    }

    It 'reports an unknown work order as RecordDeleteNotFound and still changes the others' {
        $name = Get-TestName
        $order = New-TestWorkOrder $name
        $unknown = 'DI-00000000-0000-0000-0000-000000000000'

        $changed = Set-HygieneWorkOrder -WorkOrderId $unknown, $order.WorkOrderId -DisplayName "$name 2" -PassThru -ErrorVariable problems -ErrorAction SilentlyContinue

        $changed.WorkOrderId | Should -Be $order.WorkOrderId
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'RecordDeleteNotFound,ProfileJobs.Commands.SetHygieneWorkOrderCommand'
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problems[0].TargetObject | Should -Be $unknown
    }
}
