#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# What the module does when a server misbehaves or a user (or an attacker) hands it bad values: credentials never
# leave their origin, bad connection values never reach a header, a disconnected context sends nothing more, and every
# job the platform accepted is reported however the command stops.

BeforeAll {
    . ([IO.Path]::Combine($PSScriptRoot, 'TestSupport.ps1'))
    . ([IO.Path]::Combine($PSScriptRoot, 'HostileSupport.ps1'))
    # Jobs stay NEW for ten minutes: waits never end on their own.
    $script:Emulator = Start-Emulator -Mode unified -Arguments '--seed-jobs', '3', '--job-step-ms', '600000'
    $script:Secret = ConvertTo-SecureString $script:Emulator.ClientSecret -AsPlainText -Force

    # Connect-ExperiencePlatform's parameters for the emulator, with -Change winning.
    function Get-ConnectParameters([hashtable] $Change = @{}) {
        $parameters = @{
            ClientId     = $script:Emulator.ClientId
            ClientSecret = $script:Secret
            OrgId        = $script:Emulator.OrgId
            PlatformUri  = $script:Emulator.Uri
            ImsUri       = $script:Emulator.Uri
            PassThru     = $true
        }
        foreach ($key in $Change.Keys) { $parameters[$key] = $Change[$key] }
        $parameters
    }

    # Runs Connect-ExperiencePlatform and returns the error record it failed with (or $null).
    function Get-ConnectError([hashtable] $Change = @{}) {
        $parameters = Get-ConnectParameters $Change
        try { $null = Connect-ExperiencePlatform @parameters; $null } catch { $_ }
    }

    $script:ConnectId = 'ProfileJobs.Commands.ConnectExperiencePlatformCommand'
}

AfterAll {
    Stop-Emulator $script:Emulator
}

Describe 'Redirects: a credential never follows one to another host' {
    BeforeAll {
        # The other host: an emulator of its own, whose request log shows whatever reached it.
        $script:Other = Start-Emulator -Mode unified
        $script:EmulatorHost = ([uri]$script:Emulator.Uri).Authority
        $script:OtherHost = ([uri]$script:Other.Uri).Authority
        function Set-RedirectFault([string] $Method, [string] $Path) {
            Set-EmulatorFault $script:Emulator @(@{ method = $Method; path = $Path; fault = 'redirect'; status = 307; location = $script:Other.Uri; appendPath = $true })
        }
    }
    AfterAll { Stop-Emulator $script:Other }
    BeforeEach { Reset-Emulator $script:Emulator; Reset-Emulator $script:Other }
    AfterEach { Clear-EmulatorFault $script:Emulator }

    It 'refuses an IMS redirect at Connect, naming both hosts: the other host gets no token request and no secret' {
        Set-RedirectFault 'POST' '/ims/token/v3'

        $failure = Get-ConnectError

        $failure.FullyQualifiedErrorId | Should -Be "RedirectRefused,$script:ConnectId"
        $failure.CategoryInfo.Category | Should -Be 'SecurityError'
        $failure.Exception.Message | Should -Match ([regex]::Escape($script:EmulatorHost))
        $failure.Exception.Message | Should -Match ([regex]::Escape($script:OtherHost))
        (Find-EmulatorCredential $script:Other -Secret $script:Emulator.ClientSecret) | Should -HaveCount 0
        (Get-EmulatorRequest $script:Other) | Should -HaveCount 0
        # Redirects are not retried either.
        @((Get-EmulatorRequest $script:Emulator) | Where-Object path -EQ '/ims/token/v3') | Should -HaveCount 1
    }

    It 'refuses a platform redirect on a listing: the other host receives nothing' {
        $parameters = Get-ConnectParameters
        $context = Connect-ExperiencePlatform @parameters
        Set-RedirectFault 'GET' '/data/core/ups/system/jobs'

        $jobs = Get-ProfileSystemJob -Context $context -ErrorVariable failures -ErrorAction SilentlyContinue

        $jobs | Should -BeNullOrEmpty
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'RedirectRefused,ProfileJobs.Commands.GetProfileSystemJobCommand'
        $failures[0].Exception.Message | Should -Match ([regex]::Escape($script:OtherHost))
        (Get-EmulatorRequest $script:Other) | Should -HaveCount 0
    }

    It 'refuses a platform redirect on a create: nothing is sent to the other host and nothing is created' {
        $parameters = Get-ConnectParameters @{ ApiGeneration = 'Unified' }
        $context = Connect-ExperiencePlatform @parameters
        Set-RedirectFault 'POST' '/data/core/ups/system/jobs'
        $dataset = New-TestDatasetId

        New-ProfileDeleteJob -Context $context -DatasetId $dataset -Force -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'RedirectRefused,ProfileJobs.Commands.NewProfileDeleteJobCommand'
        (Get-EmulatorRequest $script:Other) | Should -HaveCount 0
        @((Get-EmulatorJob $script:Emulator) + (Get-EmulatorJob $script:Other) | Where-Object datasetId -EQ $dataset) | Should -HaveCount 0
    }
}

Describe 'Connect refuses values that could inject headers, before any request' {
    BeforeAll { Reset-Emulator $script:Emulator }

    It 'refuses <Name>' -ForEach @(
        @{ Name = 'a sandbox name with CR LF'; Change = @{ Sandbox = "prod`r`nx-evil: 1" }; Parameter = 'Sandbox' }
        @{ Name = 'a sandbox name with a space'; Change = @{ Sandbox = 'my sandbox' }; Parameter = 'Sandbox' }
        @{ Name = 'an org id with a newline'; Change = @{ OrgId = "TESTORG0000000000000000@AdobeOrg`nx-evil: 1" }; Parameter = 'OrgId' }
        @{ Name = 'an org id without @AdobeOrg'; Change = @{ OrgId = 'TESTORG0000000000000000' }; Parameter = 'OrgId' }
        @{ Name = 'a sandbox id that is not a UUID'; Change = @{ SandboxId = "5b1c1b3a`r`nx-evil: 1" }; Parameter = 'SandboxId' }
        @{ Name = 'a client id with a newline'; Change = @{ ClientId = "test-client`nx-evil: 1" }; Parameter = 'ClientId' }
        @{ Name = 'a scope with CR LF'; Change = @{ Scope = "openid`r`nx-evil: 1" }; Parameter = 'Scope' }
        @{ Name = 'a scope with a space'; Change = @{ Scope = 'openid AdobeID' }; Parameter = 'Scope' }
    ) {
        $mark = Get-EmulatorLogPosition $script:Emulator
        $failure = Get-ConnectError $Change

        $failure.FullyQualifiedErrorId | Should -Be "InvalidConnectionParameter,$script:ConnectId"
        $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failure.TargetObject | Should -Be $Parameter
        (Get-EmulatorRequest $script:Emulator -Since $mark) | Should -HaveCount 0
    }

    It 'refuses an API key with a newline given with an access token' {
        $mark = Get-EmulatorLogPosition $script:Emulator
        $token = ConvertTo-SecureString 'not-a-real-token' -AsPlainText -Force
        $failure = try {
            Connect-ExperiencePlatform -AccessToken $token -ApiKey "test-client`r`nx-evil: 1" -OrgId $script:Emulator.OrgId -PlatformUri $script:Emulator.Uri -ImsUri $script:Emulator.Uri
        }
        catch { $_ }

        $failure.FullyQualifiedErrorId | Should -Be "InvalidConnectionParameter,$script:ConnectId"
        $failure.TargetObject | Should -Be 'ApiKey'
        (Get-EmulatorRequest $script:Emulator -Since $mark) | Should -HaveCount 0
    }

    It 'refuses <Variable> with a newline from the environment' -ForEach @(
        @{ Variable = 'AEP_SANDBOX_NAME'; Value = "prod`r`nx-evil: 1" }
        @{ Variable = 'AEP_ORG_ID'; Value = "TESTORG0000000000000000@AdobeOrg`r`nx-evil: 1" }
        @{ Variable = 'AEP_CLIENT_ID'; Value = "test-client`nx-evil: 1" }
    ) {
        $environment = @{
            AEP_CLIENT_ID = $script:Emulator.ClientId; AEP_CLIENT_SECRET = $script:Emulator.ClientSecret; AEP_ORG_ID = $script:Emulator.OrgId
            AEP_PLATFORM_URI = $script:Emulator.Uri; AEP_IMS_URI = $script:Emulator.Uri; AEP_SANDBOX_NAME = 'prod'
        }
        $environment[$Variable] = $Value
        $mark = Get-EmulatorLogPosition $script:Emulator
        try {
            foreach ($name in $environment.Keys) { [Environment]::SetEnvironmentVariable($name, $environment[$name]) }
            $failure = try { Connect-ExperiencePlatform -FromEnvironment -PassThru } catch { $_ }
        }
        finally {
            foreach ($name in $environment.Keys) { [Environment]::SetEnvironmentVariable($name, $null) }
        }

        $failure.FullyQualifiedErrorId | Should -Be "InvalidConnectionParameter,$script:ConnectId"
        $failure.Exception.Message | Should -Match $Variable
        (Get-EmulatorRequest $script:Emulator -Since $mark) | Should -HaveCount 0
    }
}

Describe 'Connect refuses user information in a URI' {
    It 'refuses <Parameter> with user:password@ and does not repeat the password' -ForEach @(
        @{ Parameter = 'PlatformUri' }
        @{ Parameter = 'ImsUri' }
    ) {
        $withUserInfo = $script:Emulator.Uri -replace '^http://', 'http://someone:pa55w0rd-canary@'
        $mark = Get-EmulatorLogPosition $script:Emulator
        $failure = Get-ConnectError @{ $Parameter = $withUserInfo }

        $failure.FullyQualifiedErrorId | Should -Be "InvalidConnectionParameter,$script:ConnectId"
        $failure.TargetObject | Should -Be $Parameter
        ($failure | Out-String) + $failure.Exception.Message | Should -Not -Match 'pa55w0rd-canary'
        (Get-EmulatorRequest $script:Emulator -Since $mark) | Should -HaveCount 0
    }
}

Describe 'Connect''s network failures and settings' {
    It 'reports a refused IMS connection as Network with the attempt count' {
        $closed = "http://127.0.0.1:$(Get-FreeLoopbackPort)/"
        $failure = Get-ConnectError @{ ImsUri = $closed; MaxRetries = 2; RetryBaseDelayMilliseconds = 10 }

        $failure.FullyQualifiedErrorId | Should -Be "Network,$script:ConnectId"
        $failure.CategoryInfo.Category | Should -Be 'ConnectionError'
        $failure.Exception.Message | Should -Match 'after 3 attempts'
    }

    It 'reports a connection IMS drops as Network with the attempt count' {
        Set-EmulatorFault $script:Emulator @(@{ method = 'POST'; path = '/ims/token/v3'; fault = 'drop-before' })
        try {
            $failure = Get-ConnectError @{ MaxRetries = 1; RetryBaseDelayMilliseconds = 10 }
        }
        finally { Clear-EmulatorFault $script:Emulator }

        $failure.FullyQualifiedErrorId | Should -Be "Network,$script:ConnectId"
        $failure.CategoryInfo.Category | Should -Be 'ConnectionError'
        $failure.Exception.Message | Should -Match 'after 2 attempts'
    }

    It 'refuses PROFILEJOBS_REQUEST_TIMEOUT_SECONDS=NaN naming the variable' {
        $env:PROFILEJOBS_REQUEST_TIMEOUT_SECONDS = 'NaN'
        try { $failure = Get-ConnectError }
        finally { $env:PROFILEJOBS_REQUEST_TIMEOUT_SECONDS = $null }

        $failure.FullyQualifiedErrorId | Should -Be "InvalidConnectionParameter,$script:ConnectId"
        $failure.Exception.Message | Should -Match 'PROFILEJOBS_REQUEST_TIMEOUT_SECONDS'
    }
}

Describe 'Disconnect stops work that uses the context' {
    BeforeEach { Reset-Emulator $script:Emulator }

    It 'fails the rest of a running pipeline with ContextDisconnected, renews no token and sends nothing after it' {
        $parameters = Get-ConnectParameters @{ ApiGeneration = 'Unified' }
        $context = Connect-ExperiencePlatform @parameters
        $datasets = 1..30 | ForEach-Object { New-TestDatasetId }
        $pipeline = Start-HostedPipeline -Variables @{ ctx = $context; datasets = $datasets } -Script @'
$datasets | ForEach-Object { Start-Sleep -Milliseconds 150; $_ } | New-ProfileDeleteJob -Context $ctx -Force
'@
        Wait-Until { @((Get-EmulatorJob $script:Emulator) | Where-Object datasetId -In $datasets).Count -ge 3 } | Should -BeTrue
        # The token is revoked first: a request that still went out would get 401 and want a new token.
        $null = Revoke-EmulatorToken $script:Emulator
        Disconnect-ExperiencePlatform -Context $context
        $mark = Get-EmulatorLogPosition $script:Emulator
        $result = Complete-HostedPipeline $pipeline

        $created = @((Get-EmulatorJob $script:Emulator) | Where-Object datasetId -In $datasets)
        $after = (Get-EmulatorRequest $script:Emulator -Since $mark)
        # At most the one request already on its way when Disconnect ran reached the platform, and no token request.
        $after.Count | Should -BeLessOrEqual 1
        @($after | Where-Object { $_.path.StartsWith('/ims/') }) | Should -HaveCount 0
        $created.Count | Should -BeLessThan 30
        $result.Output.Count | Should -Be $created.Count
        $result.Errors.Count | Should -Be (30 - $created.Count)
        $result.Errors | ForEach-Object { $_.FullyQualifiedErrorId } | Sort-Object -Unique |
            Should -Be 'ContextDisconnected,ProfileJobs.Commands.NewProfileDeleteJobCommand'
    }

    It 'a command given the disconnected context fails at once and sends nothing' {
        $parameters = Get-ConnectParameters
        $context = Connect-ExperiencePlatform @parameters
        Disconnect-ExperiencePlatform -Context $context
        $mark = Get-EmulatorLogPosition $script:Emulator

        { Get-ProfileSystemJob -Context $context -First 1 -ErrorAction Stop } |
            Should -Throw -ErrorId 'ContextDisconnected,ProfileJobs.Commands.GetProfileSystemJobCommand'
        (Get-EmulatorRequest $script:Emulator -Since $mark) | Should -HaveCount 0
    }
}

Describe 'Every job the platform accepted is reported, however the command stops' {
    BeforeEach {
        Reset-Emulator $script:Emulator
        $parameters = Get-ConnectParameters @{ ApiGeneration = 'Unified' }
        $script:Context = Connect-ExperiencePlatform @parameters
    }
    AfterEach { Clear-EmulatorFault $script:Emulator }

    It 'Ctrl+C during a bulk record delete: the answered requests'' jobs are written or named' {
        # 4 requests of 1,000 customers; the first to arrive is held for 30 s, the others are answered at once.
        $values = 1..4000 | ForEach-Object { "stop$_@example.com" }
        Set-EmulatorFault $script:Emulator @(@{ method = 'POST'; path = '/data/core/privacy/jobs'; fault = 'slow'; delayMs = 30000; count = 1 })
        $pipeline = Start-HostedPipeline -Variables @{ ctx = $script:Context; values = $values } -Script @'
New-HygieneRecordDelete -Context $ctx -Namespace email -Value $values -Force -ThrottleLimit 4
'@
        Wait-Until { (Get-EmulatorPrivacyJob $script:Emulator).Count -ge 3000 } | Should -BeTrue
        Start-Sleep -Milliseconds 300
        $pipeline.PowerShell.Stop()
        $result = Complete-HostedPipeline $pipeline

        $onServer = (Get-EmulatorPrivacyJob $script:Emulator)
        $onServer.Count | Should -Be 3000
        $reported = ($result.Warnings -join "`n")
        $written = @($result.Output | ForEach-Object JobId)
        $missing = @($onServer | Where-Object { $_.jobId -notin $written -and -not $reported.Contains($_.jobId) })
        $missing | Should -HaveCount 0
        # The held request was in flight when the command stopped: its customers are named as unknown.
        $reported | Should -Match 'unknown'
    }

    It 'Ctrl+C while a streamed bulk record delete is still reading its input: the jobs already accepted are written or named' {
        # Requests are sent while the input is read: by row 3,500 three are out; the first is held for 30 s. The
        # input then stalls, and the command is stopped while the upstream command runs.
        Set-EmulatorFault $script:Emulator @(@{ method = 'POST'; path = '/data/core/privacy/jobs'; fault = 'slow'; delayMs = 30000; count = 1 })
        $pipeline = Start-HostedPipeline -Variables @{ ctx = $script:Context } -Script @'
& { foreach ($i in 1..5000) { if ($i -eq 3500) { Start-Sleep -Seconds 60 }; [pscustomobject]@{ Namespace = 'email'; Value = "midstream$i@example.com" } } } |
    New-HygieneRecordDelete -Context $ctx -Force -ThrottleLimit 4
'@
        Wait-Until { (Get-EmulatorPrivacyJob $script:Emulator).Count -ge 2000 } | Should -BeTrue
        Start-Sleep -Milliseconds 300
        $pipeline.PowerShell.Stop()
        $result = Complete-HostedPipeline $pipeline

        $result.Finished | Should -BeTrue
        $onServer = (Get-EmulatorPrivacyJob $script:Emulator)
        $onServer.Count | Should -Be 2000
        $reported = ($result.Warnings -join "`n")
        $written = @($result.Output | ForEach-Object JobId)
        @($onServer | Where-Object { $_.jobId -notin $written -and -not $reported.Contains($_.jobId) }) | Should -HaveCount 0
        $reported | Should -Match 'unknown'
        $reported | Should -Match 'midstream1@example.com'
    }

    It '-ErrorAction Stop in a bulk record delete: the other requests'' jobs are written or named' {
        $values = 1..3000 | ForEach-Object { "erroraction$_@example.com" }
        # 3 requests of 1,000 customers, each sent as soon as it is full; the first to arrive is refused, so its error
        # comes while the others are being sealed, on their way or already answered: how many were sent depends on that.
        Set-EmulatorFault $script:Emulator @(@{ method = 'POST'; path = '/data/core/privacy/jobs'; fault = 'status'; status = 400; count = 1 })
        $pipeline = Start-HostedPipeline -Variables @{ ctx = $script:Context; values = $values } -Script @'
New-HygieneRecordDelete -Context $ctx -Namespace email -Value $values -Force -ThrottleLimit 4 -ErrorAction Stop
'@
        $result = Complete-HostedPipeline $pipeline

        $result.Terminating | Should -Not -BeNullOrEmpty
        $onServer = (Get-EmulatorPrivacyJob $script:Emulator)
        $onServer.Count | Should -BeIn 1000, 2000
        $reported = ($result.Warnings -join "`n")
        $written = @($result.Output | ForEach-Object JobId)
        @($onServer | Where-Object { $_.jobId -notin $written -and -not $reported.Contains($_.jobId) }) | Should -HaveCount 0
    }

    It 'a downstream stop in a bulk record delete: the jobs not written are named' {
        $values = 1..2000 | ForEach-Object { "downstream$_@example.com" }
        $pipeline = Start-HostedPipeline -Variables @{ ctx = $script:Context; values = $values } -Script @'
New-HygieneRecordDelete -Context $ctx -Namespace email -Value $values -Force | Select-Object -First 1
'@
        $result = Complete-HostedPipeline $pipeline

        $result.Output | Should -HaveCount 1
        $onServer = (Get-EmulatorPrivacyJob $script:Emulator)
        $onServer.Count | Should -Be 2000
        $reported = ($result.Warnings -join "`n")
        @($onServer | Where-Object { $_.jobId -ne $result.Output[0].JobId -and -not $reported.Contains($_.jobId) }) | Should -HaveCount 0
    }

    It 'New-ProfileDeleteJob -Wait with -ErrorAction Stop names the jobs it created before the error' {
        $datasets = 1..3 | ForEach-Object { New-TestDatasetId }
        Set-EmulatorFault $script:Emulator @(@{ method = 'POST'; path = '/data/core/ups/system/jobs'; fault = 'status'; status = 400; skip = 2; count = 1 })

        $warnings = $null
        try { $datasets | New-ProfileDeleteJob -Context $script:Context -Force -Wait -PollingInterval 0.2 -ErrorAction Stop -WarningVariable warnings -WarningAction SilentlyContinue }
        catch { $stopped = $_ }

        $stopped.FullyQualifiedErrorId | Should -Be 'InvalidRequest,ProfileJobs.Commands.NewProfileDeleteJobCommand'
        $created = @((Get-EmulatorJob $script:Emulator) | Where-Object datasetId -In $datasets)
        $created | Should -HaveCount 2
        foreach ($job in $created) { ($warnings -join "`n") | Should -Match $job.id }
    }

    It 'Ctrl+C during New-ProfileDeleteJob -Wait names the jobs it created' {
        $datasets = 1..2 | ForEach-Object { New-TestDatasetId }
        $pipeline = Start-HostedPipeline -Variables @{ ctx = $script:Context; datasets = $datasets } -Script @'
$datasets | New-ProfileDeleteJob -Context $ctx -Force -Wait -PollingInterval 0.2
'@
        Wait-Until { @((Get-EmulatorJob $script:Emulator) | Where-Object datasetId -In $datasets).Count -eq 2 } | Should -BeTrue
        Start-Sleep -Milliseconds 500
        $pipeline.PowerShell.Stop()
        $result = Complete-HostedPipeline $pipeline

        $created = @((Get-EmulatorJob $script:Emulator) | Where-Object datasetId -In $datasets)
        $created | Should -HaveCount 2
        foreach ($job in $created) { ($result.Warnings -join "`n") | Should -Match $job.id }
    }

    It 'a downstream stop after New-ProfileDeleteJob -Wait names the jobs not written' {
        $datasets = 1..3 | ForEach-Object { New-TestDatasetId }
        $pipeline = Start-HostedPipeline -Variables @{ ctx = $script:Context; datasets = $datasets } -Script @'
$datasets | New-ProfileDeleteJob -Context $ctx -Force -Wait -PollingInterval 0.2 -Timeout 1 -ErrorAction SilentlyContinue | Select-Object -First 1
'@
        $result = Complete-HostedPipeline $pipeline

        $result.Output | Should -HaveCount 1
        $created = @((Get-EmulatorJob $script:Emulator) | Where-Object datasetId -In $datasets)
        $created | Should -HaveCount 3
        foreach ($job in $created | Where-Object id -NE $result.Output[0].Id) { ($result.Warnings -join "`n") | Should -Match $job.id }
    }
}

Describe 'Listings end when the server''s paging never does' {
    BeforeAll {
        # Runs a listing in its own runspace and stops it (as Ctrl+C would) if it is still paging after -TimeoutSeconds.
        # Each listing is cut at one more object than a bounded one writes, so a client that pages forever fails fast.
        function Invoke-Listing([string] $Script, $Context, [int] $TimeoutSeconds = 15) {
            $pipeline = Start-HostedPipeline -Variables @{ ctx = $Context } -Script $Script
            if (-not $pipeline.Handle.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds($TimeoutSeconds))) { $pipeline.PowerShell.Stop() }
            Complete-HostedPipeline $pipeline -TimeoutSeconds 30
        }
    }

    Context 'system jobs on the <Mode> API' -ForEach @(@{ Mode = 'azure' }, @{ Mode = 'unified' }) {
        BeforeAll {
            $emulator = Start-Emulator -Mode $Mode -Arguments '--seed-jobs', '5'
            $context = Connect-Emulator $emulator
            $listId = 'InvalidResponse,ProfileJobs.Commands.GetProfileSystemJobCommand'
        }

        AfterAll { Stop-Emulator $emulator }

        It 'stops at a page that repeats an earlier one, after writing the first' {
            Set-EmulatorFault $emulator @(@{ method = 'GET'; path = '/data/core/ups/system/jobs'; fault = 'next-endless'; content = 'same' })
            $position = Get-EmulatorLogPosition $emulator

            $run = Invoke-Listing 'Get-ProfileSystemJob -Context $ctx -PageSize 2 | Select-Object -First 50' $context

            $run.Finished | Should -BeTrue
            $run.Output.Count | Should -Be 2
            $run.Errors.Count | Should -Be 1
            $run.Errors[0].FullyQualifiedErrorId | Should -Be $listId
            $run.Errors[0].CategoryInfo.Category | Should -Be 'InvalidResult'
            $run.Errors[0].Exception.Message | Should -Match "Page 2 of the job list starts with job '$($run.Output[0].Id)', as page 1 did"
            (Get-EmulatorRequest $emulator -Since $position -Api).Count | Should -Be 2
        }

        It 'stops when two pages point at each other' {
            Set-EmulatorFault $emulator @(@{ method = 'GET'; path = '/data/core/ups/system/jobs'; fault = 'next-alternate' })
            $position = Get-EmulatorLogPosition $emulator

            $run = Invoke-Listing 'Get-ProfileSystemJob -Context $ctx -PageSize 2 | Select-Object -First 50' $context

            $run.Finished | Should -BeTrue
            $run.Output.Count | Should -Be 4
            @($run.Output.Id | Sort-Object -Unique).Count | Should -Be 4
            $run.Errors.Count | Should -Be 1
            $run.Errors[0].FullyQualifiedErrorId | Should -Be $listId
            $run.Errors[0].Exception.Message | Should -Match 'Page 3 of the job list starts with .*, as page 1 did'
            (Get-EmulatorRequest $emulator -Since $position -Api).Count | Should -Be 3
        }

        It 'reads at most 1,000 pages of a list that never ends' {
            Set-EmulatorFault $emulator @(@{ method = 'GET'; path = '/data/core/ups/system/jobs'; fault = 'next-endless'; content = 'new' })
            $position = Get-EmulatorLogPosition $emulator

            $run = Invoke-Listing 'Get-ProfileSystemJob -Context $ctx -PageSize 1 | Select-Object -First 1001' $context -TimeoutSeconds 120

            $run.Finished | Should -BeTrue
            $run.Output.Count | Should -Be 1000
            $run.Errors.Count | Should -Be 1
            $run.Errors[0].FullyQualifiedErrorId | Should -Be $listId
            $run.Errors[0].Exception.Message | Should -Match 'still announced another page of the job list after 1,000 pages'
            (Get-EmulatorRequest $emulator -Since $position -Api).Count | Should -Be 1000
        }
    }

    Context 'work orders' {
        BeforeAll {
            $emulator = Start-Emulator -Mode unified
            $context = Connect-Emulator $emulator
            $listId = 'InvalidResponse,ProfileJobs.Commands.GetHygieneRecordDeleteCommand'
        }

        AfterAll { Stop-Emulator $emulator }

        It 'stops at a page that repeats an earlier one' {
            Set-EmulatorFault $emulator @(@{ method = 'GET'; path = '/data/core/hygiene/workorder'; fault = 'next-endless'; content = 'same' })
            $position = Get-EmulatorLogPosition $emulator

            $run = Invoke-Listing 'Get-HygieneRecordDelete -Context $ctx -PageSize 3 | Select-Object -First 50' $context

            $run.Finished | Should -BeTrue
            $run.Output.Count | Should -Be 3
            $run.Errors.Count | Should -Be 1
            $run.Errors[0].FullyQualifiedErrorId | Should -Be $listId
            $run.Errors[0].CategoryInfo.Category | Should -Be 'InvalidResult'
            $run.Errors[0].Exception.Message | Should -Match "Page 2 of the work-order list starts with work order '$($run.Output[0].WorkOrderId)', as page 1 did"
            (Get-EmulatorRequest $emulator -Since $position -Api).Count | Should -Be 2
        }

        It 'stops when two pages point at each other' {
            Set-EmulatorFault $emulator @(@{ method = 'GET'; path = '/data/core/hygiene/workorder'; fault = 'next-alternate' })
            $position = Get-EmulatorLogPosition $emulator

            $run = Invoke-Listing 'Get-HygieneRecordDelete -Context $ctx -PageSize 3 | Select-Object -First 50' $context

            $run.Finished | Should -BeTrue
            $run.Output.Count | Should -Be 6
            $run.Errors.Count | Should -Be 1
            $run.Errors[0].FullyQualifiedErrorId | Should -Be $listId
            (Get-EmulatorRequest $emulator -Since $position -Api).Count | Should -Be 3
        }

        It 'reads at most 1,000 pages of a list that never ends' {
            Set-EmulatorFault $emulator @(@{ method = 'GET'; path = '/data/core/hygiene/workorder'; fault = 'next-endless'; content = 'new' })
            $position = Get-EmulatorLogPosition $emulator

            $run = Invoke-Listing 'Get-HygieneRecordDelete -Context $ctx -PageSize 1 | Select-Object -First 1001' $context -TimeoutSeconds 120

            $run.Finished | Should -BeTrue
            $run.Output.Count | Should -Be 1000
            $run.Errors.Count | Should -Be 1
            $run.Errors[0].FullyQualifiedErrorId | Should -Be $listId
            $run.Errors[0].Exception.Message | Should -Match 'after 1,000 pages'
            (Get-EmulatorRequest $emulator -Since $position -Api).Count | Should -Be 1000
        }
    }
}

Describe 'A server that caps its pages below -PageSize is read to the end' {
    Context 'system jobs on the <Mode> API' -ForEach @(@{ Mode = 'azure' }, @{ Mode = 'unified' }) {
        BeforeAll {
            $emulator = Start-Emulator -Mode $Mode -Arguments '--seed-jobs', '350'
            $context = Connect-Emulator $emulator
        }

        AfterAll { Stop-Emulator $emulator }

        It 'lists all 350 jobs with -PageSize 500 from a server that answers 100 at a time' {
            Set-EmulatorFault $emulator @(@{ method = 'GET'; path = '/data/core/ups/system/jobs'; fault = 'page-cap'; maxPageSize = 100 })
            $expected = (Get-EmulatorJob $emulator).Count
            $position = Get-EmulatorLogPosition $emulator

            $jobs = @(Get-ProfileSystemJob -Context $context -PageSize 500 -ErrorVariable problems)

            $problems | Should -BeNullOrEmpty
            $expected | Should -Be 350
            $jobs.Count | Should -Be $expected
            @($jobs.Id | Sort-Object -Unique).Count | Should -Be $expected
            (Get-EmulatorRequest $emulator -Since $position -Api).Count | Should -Be 4
        }
    }

    Context 'work orders' {
        BeforeAll {
            $emulator = Start-Emulator -Mode unified
            $context = Connect-Emulator $emulator
            $created = @(1..12 | ForEach-Object { New-HygieneRecordDelete -Context $context -Namespace email -Value "cap$_@example.com" -DatasetId ALL -Force })
        }

        AfterAll { Stop-Emulator $emulator }

        It 'lists all 12 work orders with -PageSize 10 from a server that answers 5 at a time' {
            Set-EmulatorFault $emulator @(@{ method = 'GET'; path = '/data/core/hygiene/workorder'; fault = 'page-cap'; maxPageSize = 5 })
            $position = Get-EmulatorLogPosition $emulator

            $orders = @(Get-HygieneRecordDelete -Context $context -PageSize 10 -ErrorVariable problems)

            $problems | Should -BeNullOrEmpty
            @($orders.WorkOrderId | Sort-Object) | Should -Be @($created.WorkOrderId | Sort-Object)
            (Get-EmulatorRequest $emulator -Since $position -Api).Count | Should -Be 3
        }
    }
}

Describe 'Id parameters refuse objects that are not ids, before any request' {
    BeforeAll {
        $parameters = Get-ConnectParameters
        $script:IdContext = Connect-ExperiencePlatform @parameters
    }

    It '<Command> -<Parameter> refuses a hashtable and sends nothing' -ForEach @(
        @{ Command = 'New-ProfileDeleteJob'; Parameter = 'DatasetId'; Rest = @{ Force = $true } }
        @{ Command = 'Get-ProfileSystemJob'; Parameter = 'Id'; Rest = @{} }
        @{ Command = 'Wait-ProfileSystemJob'; Parameter = 'Id'; Rest = @{ Timeout = 0 } }
        @{ Command = 'Remove-ProfileSystemJob'; Parameter = 'Id'; Rest = @{ Force = $true } }
        @{ Command = 'Get-HygieneRecordDelete'; Parameter = 'JobId'; Rest = @{} }
        @{ Command = 'Get-HygieneRecordDelete'; Parameter = 'WorkOrderId'; Rest = @{} }
        @{ Command = 'Wait-HygieneRecordDelete'; Parameter = 'JobId'; Rest = @{ Timeout = 0 } }
        @{ Command = 'Wait-HygieneRecordDelete'; Parameter = 'WorkOrderId'; Rest = @{ Timeout = 0 } }
        @{ Command = 'Set-HygieneWorkOrder'; Parameter = 'WorkOrderId'; Rest = @{ DisplayName = 'x'; Confirm = $false } }
        @{ Command = 'New-HygieneRecordDelete'; Parameter = 'DatasetId'; Rest = @{ Namespace = 'email'; Value = 'a@example.com'; Force = $true } }
    ) {
        $position = Get-EmulatorLogPosition $script:Emulator
        $arguments = @{ Context = $script:IdContext; $Parameter = @{ a = 1 } } + $Rest
        $commandType = (Get-Command $Command).ImplementingType.FullName

        $failure = try { & $Command @arguments -ErrorAction Stop; $null } catch { $_ }

        $failure | Should -Not -BeNullOrEmpty
        $failure.FullyQualifiedErrorId | Should -Be "ParameterArgumentValidationError,$commandType"
        $failure.CategoryInfo.Category | Should -Be 'InvalidData'
        $failure.Exception.Message | Should -Match ([regex]::Escape("'$Parameter'"))
        $failure.Exception.Message | Should -Match 'An id is a string, but a \[System\.Collections\.Hashtable\] was given'
        (Get-EmulatorRequest $script:Emulator -Since $position -Api).Count | Should -Be 0
    }

    It 'New-ProfileDeleteJob -BatchId refuses a hashtable as that row''s bad batch id (empty means the whole dataset, so it is checked per row) and sends nothing' {
        $position = Get-EmulatorLogPosition $script:Emulator

        $failure = try { New-ProfileDeleteJob -Context $script:IdContext -DatasetId ds1 -BatchId @{ a = 1 } -Force -ErrorAction Stop; $null } catch { $_ }

        $failure.FullyQualifiedErrorId | Should -Be 'InvalidBatchId,ProfileJobs.Commands.NewProfileDeleteJobCommand'
        $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failure.Exception.Message | Should -BeLike "Nothing was sent for DatasetId 'ds1', BatchId '[[]System.Collections.Hashtable]'*An id is a string, but a [[]System.Collections.Hashtable] was given*"
        (Get-EmulatorRequest $script:Emulator -Since $position -Api).Count | Should -Be 0
    }

    It 'refuses an array holding a non-id and sends nothing' {
        $position = Get-EmulatorLogPosition $script:Emulator

        { Get-ProfileSystemJob -Context $script:IdContext -Id 'abc', (Get-Date) -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,ProfileJobs.Commands.GetProfileSystemJobCommand'
        (Get-EmulatorRequest $script:Emulator -Since $position -Api).Count | Should -Be 0
    }

    It 'still binds Import-Csv rows by property name, and PSObjects that wrap strings' {
        $datasets = 1..2 | ForEach-Object { New-TestDatasetId }
        $csv = Join-Path $TestDrive 'datasets.csv'
        $datasets | ForEach-Object { [pscustomobject]@{ DatasetId = $_; Note = 'x' } } | Export-Csv -LiteralPath $csv
        $wrappedId = New-TestDatasetId
        $wrapped = [psobject]::new($wrappedId)

        $jobs = @(Import-Csv -LiteralPath $csv | New-ProfileDeleteJob -Context $script:IdContext -Force -ErrorVariable problems) +
            @(New-ProfileDeleteJob -Context $script:IdContext -DatasetId $wrapped -Force -ErrorVariable +problems)

        $problems | Should -BeNullOrEmpty
        $jobs.DatasetId | Should -Be (@($datasets) + $wrappedId)
    }

    It 'takes a job for a job id, but not for a dataset id' {
        $job = Get-ProfileSystemJob -Context $script:IdContext -First 1
        $position = Get-EmulatorLogPosition $script:Emulator

        $read = Get-ProfileSystemJob -Context $script:IdContext -Id $job
        { New-ProfileDeleteJob -Context $script:IdContext -DatasetId $job -Force -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,ProfileJobs.Commands.NewProfileDeleteJobCommand'

        $read.Id | Should -Be $job.Id
        (Get-EmulatorRequest $script:Emulator -Since $position -Api).method | Should -Be 'GET'
    }

    It 'still binds jobs piped from Get-ProfileSystemJob to Wait-ProfileSystemJob by their Id' {
        $jobs = @(Get-ProfileSystemJob -Context $script:IdContext -First 2)

        $null = $jobs | Wait-ProfileSystemJob -Context $script:IdContext -Timeout 0 -ErrorVariable waitErrors -ErrorAction SilentlyContinue

        $waitErrors.FullyQualifiedErrorId | Where-Object { $_ -like 'ParameterArgument*' -or $_ -like 'InputObjectNotBound*' } | Should -BeNullOrEmpty
        @($waitErrors | ForEach-Object { "$($_.TargetObject.Id ?? $_.TargetObject)" }) | Should -Be $jobs.Id
    }
}

Describe 'A body sent slowly or without end is bounded by the request timeout and the size cap' {
    BeforeAll {
        $parameters = Get-ConnectParameters @{ RequestTimeoutSeconds = 2; MaxRetries = 0 }
        $script:BodyContext = Connect-ExperiencePlatform @parameters
        $script:ListId = 'ProfileJobs.Commands.GetProfileSystemJobCommand'

        # Lists jobs in its own runspace, stopping it if it has not ended after -TimeoutSeconds; returns the run and its duration.
        function Invoke-BoundedListing([int] $TimeoutSeconds = 20) {
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $pipeline = Start-HostedPipeline -Variables @{ ctx = $script:BodyContext } -Script 'Get-ProfileSystemJob -Context $ctx'
            if (-not $pipeline.Handle.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds($TimeoutSeconds))) { $pipeline.PowerShell.Stop() }
            $run = Complete-HostedPipeline $pipeline -TimeoutSeconds 30
            $run | Add-Member -NotePropertyName Seconds -NotePropertyValue $watch.Elapsed.TotalSeconds -PassThru
        }

        # The log entry of the faulted list request, once the emulator has seen how it ended.
        function Get-FaultedRequest($Since) {
            $deadline = [DateTime]::UtcNow.AddSeconds(20)
            do {
                $entry = (Get-EmulatorRequest $script:Emulator -Since $Since -Api) | Where-Object fault | Select-Object -First 1
                if ($entry) { return $entry }
                Start-Sleep -Milliseconds 200
            } while ([DateTime]::UtcNow -lt $deadline)
        }
    }

    AfterEach { Clear-EmulatorFault $script:Emulator }

    It 'a body dripped a byte a second ends with Timeout at -RequestTimeoutSeconds, not when the body ends' {
        Set-EmulatorFault $script:Emulator @(@{ method = 'GET'; path = '/data/core/ups/system/jobs'; fault = 'drip'; delayMs = 1000 })
        $position = Get-EmulatorLogPosition $script:Emulator

        $run = Invoke-BoundedListing

        $run.Finished | Should -BeTrue
        $run.Seconds | Should -BeLessThan 10
        $run.Output | Should -BeNullOrEmpty
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -Be "Timeout,$script:ListId"
        $run.Errors[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        $entry = Get-FaultedRequest $position
        $entry.aborted | Should -BeTrue
        $entry.responseBytes | Should -BeLessThan 10
    }

    It 'a body without end ends with ResponseTooLarge at 16 MB' {
        Set-EmulatorFault $script:Emulator @(@{ method = 'GET'; path = '/data/core/ups/system/jobs'; fault = 'endless-body' })
        $position = Get-EmulatorLogPosition $script:Emulator

        $run = Invoke-BoundedListing

        $run.Finished | Should -BeTrue
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -Be "ResponseTooLarge,$script:ListId"
        $run.Errors[0].CategoryInfo.Category | Should -Be 'InvalidResult'
        $run.Errors[0].Exception.Message | Should -Match 'went past the 16 MB a response may have'
        $run.Seconds | Should -BeLessThan 10
        # responseBytes is no measure here: the server goes on counting writes it discards after the client left.
        (Get-FaultedRequest $position).aborted | Should -BeTrue
    }

    It 'a body declared larger than 16 MB is refused before it is read' {
        Set-EmulatorFault $script:Emulator @(@{ method = 'GET'; path = '/data/core/ups/system/jobs'; fault = 'endless-body'; bytes = 3000000000 })

        $run = Invoke-BoundedListing

        $run.Finished | Should -BeTrue
        $run.Seconds | Should -BeLessThan 10
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -Be "ResponseTooLarge,$script:ListId"
        $run.Errors[0].Exception.Message | Should -Match 'declared as 3,000,000,000 bytes, more than the 16 MB'
    }
}
