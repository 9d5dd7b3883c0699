#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# On AWS instances system jobs name the sandbox by id (x-sandbox-id) while work orders name it by name
# (x-sandbox-name): one connection given both serves both APIs, each request carrying the header its API needs.

BeforeAll {
    . ([IO.Path]::Combine($PSScriptRoot, 'TestSupport.ps1'))
    $script:Emulator = Start-Emulator -Mode aws -Arguments '--seed-jobs', '3'

    function Get-Header($request, [string] $name) {
        $property = $request.headers.PSObject.Properties[$name]
        if ($property) { $property.Value }
    }
}

AfterAll {
    Disconnect-ExperiencePlatform
    Stop-Emulator $script:Emulator
}

Describe 'Connect-ExperiencePlatform -Sandbox with -SandboxId' {
    BeforeAll {
        $script:Both = Connect-Emulator $script:Emulator -Parameters @{ Sandbox = $script:Emulator.SandboxName; SandboxId = $script:Emulator.SandboxId }
    }

    It 'accepts both and keeps both' {
        $script:Both.SandboxName | Should -Be $script:Emulator.SandboxName
        $script:Both.SandboxId | Should -Be $script:Emulator.SandboxId
        $script:Both.ApiGeneration | Should -Be 'Aws'
    }

    It 'sends x-sandbox-id to system jobs and x-sandbox-name to work orders, and neither to record-delete jobs' {
        $mark = Get-EmulatorLogPosition $script:Emulator

        @(Get-ProfileSystemJob -Context $script:Both) | Should -HaveCount 3
        $order = New-HygieneRecordDelete -Context $script:Both -Namespace email -Value 'both@example.com' -DatasetId ALL -Force
        $job = New-HygieneRecordDelete -Context $script:Both -Namespace email -Value 'both@example.com' -Force

        $order.WorkOrderId | Should -Not -BeNullOrEmpty
        $job.JobId | Should -Not -BeNullOrEmpty
        $requests = (Get-EmulatorRequest $script:Emulator -Since $mark -Api)
        $jobs = @($requests | Where-Object path -Like '/data/core/ups/system/jobs*')
        $orders = @($requests | Where-Object path -Like '/data/core/hygiene/workorder*')
        $privacy = @($requests | Where-Object path -Like '/data/core/privacy/jobs*')
        $jobs | Should -Not -BeNullOrEmpty
        $jobs | ForEach-Object { Get-Header $_ 'x-sandbox-id' } | Should -Be @($script:Emulator.SandboxId)
        $jobs | ForEach-Object { Get-Header $_ 'x-sandbox-name' } | Should -BeNullOrEmpty
        $orders | ForEach-Object { Get-Header $_ 'x-sandbox-name' } | Should -Be @($script:Emulator.SandboxName)
        $orders | ForEach-Object { Get-Header $_ 'x-sandbox-id' } | Should -BeNullOrEmpty
        $privacy | Should -HaveCount 1
        (Get-Header $privacy[0] 'x-sandbox-name') + (Get-Header $privacy[0] 'x-sandbox-id') | Should -BeNullOrEmpty
    }
}

Describe 'A connection that lacks the header an API needs says what to do, before sending' {
    It 'a work order on a connection with only a sandbox id' {
        $idOnly = Connect-Emulator $script:Emulator
        $mark = Get-EmulatorLogPosition $script:Emulator

        New-HygieneRecordDelete -Context $idOnly -Namespace email -Value 'idonly@example.com' -DatasetId ALL -Force -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'SandboxNameRequired,ProfileJobs.Commands.NewHygieneRecordDeleteCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $failures[0].Exception.Message | Should -Match '-Sandbox'
        (Get-EmulatorRequest $script:Emulator -Since $mark -Api) | Should -HaveCount 0
    }

    It 'system jobs on an AWS connection with only a sandbox name' {
        $secret = ConvertTo-SecureString $script:Emulator.ClientSecret -AsPlainText -Force
        $nameOnly = Connect-ExperiencePlatform -ClientId $script:Emulator.ClientId -ClientSecret $secret -OrgId $script:Emulator.OrgId `
            -PlatformUri $script:Emulator.Uri -ImsUri $script:Emulator.Uri -Sandbox $script:Emulator.SandboxName -ApiGeneration Aws -PassThru
        $mark = Get-EmulatorLogPosition $script:Emulator

        Get-ProfileSystemJob -Context $nameOnly -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'SandboxIdRequired,ProfileJobs.Commands.GetProfileSystemJobCommand'
        $failures[0].Exception.Message | Should -Match '-SandboxId'
        (Get-EmulatorRequest $script:Emulator -Since $mark -Api) | Should -HaveCount 0
    }
}
