#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

BeforeAll {
    . ([IO.Path]::Combine($PSScriptRoot, 'TestSupport.ps1'))
    $emulator = Start-Emulator -Mode unified -Arguments '--seed-jobs', '250', '--job-step-ms', '300'
    $secret = ConvertTo-SecureString $emulator.ClientSecret -AsPlainText -Force
    # Where the emulator answers, as both the platform and IMS.
    $endpoints = @{ PlatformUri = $emulator.Uri; ImsUri = $emulator.Uri }
    # The token a request carried, as the emulator saw it.
    $bearer = { param($request) $request.headers.authorization -replace '^Bearer ', '' }
}

AfterAll {
    Disconnect-ExperiencePlatform
    Stop-Emulator $emulator
}

Describe 'Connect-ExperiencePlatform' {
    BeforeEach { Disconnect-ExperiencePlatform }

    It 'connects with a client secret, returns the context with -PassThru and makes it the default' {
        $context = Connect-ExperiencePlatform -ClientId $emulator.ClientId -ClientSecret $secret -OrgId $emulator.OrgId @endpoints -PassThru

        [object]::ReferenceEquals((Get-ExperiencePlatformContext), $context) | Should -BeTrue
        $context.PSObject.TypeNames[0] | Should -Be 'ProfileJobs.ExperiencePlatformContext'
        $context.ClientId | Should -Be $emulator.ClientId
        $context.OrgId | Should -Be $emulator.OrgId
        $context.SandboxName | Should -Be 'prod'
        $context.TokenExpiresOn | Should -BeGreaterThan ([DateTimeOffset]::UtcNow.AddHours(23))
        $context | Format-List * | Out-String | Should -Not -Match ([regex]::Escape($emulator.ClientSecret))
    }

    It 'connects with a PSCredential, as Get-AutomationPSCredential gives one in Azure Automation' {
        $credential = [pscredential]::new($emulator.ClientId, $secret)

        Connect-ExperiencePlatform -Credential $credential -OrgId $emulator.OrgId @endpoints

        (Get-ProfileSystemJob -First 1).Count | Should -Be 1
    }

    It 'connects with an access token and API key, and asks IMS for nothing' {
        $null = Connect-Emulator $emulator
        $position = Get-EmulatorLogPosition $emulator
        $null = Get-ProfileSystemJob -First 1
        $token = & $bearer (Get-EmulatorRequest $emulator -Since $position -Api)[0]
        $position = Get-EmulatorLogPosition $emulator

        $context = Connect-ExperiencePlatform -AccessToken (ConvertTo-SecureString $token -AsPlainText -Force) -ApiKey $emulator.ClientId -OrgId $emulator.OrgId @endpoints -PassThru
        $jobs = Get-ProfileSystemJob -First 2

        "$($context.AuthenticationMode)" | Should -Be 'AccessToken'
        $jobs.Count | Should -Be 2
        $requests = Get-EmulatorRequest $emulator -Since $position
        $requests.path | Where-Object { $_ -like '/ims/*' } | Should -BeNullOrEmpty
        $requests | ForEach-Object { $_.headers.authorization } | Sort-Object -Unique | Should -BeExactly "Bearer $token"
    }

    It 'connects from the AEP_* environment variables with -FromEnvironment' {
        $variables = @{
            AEP_CLIENT_ID = $emulator.ClientId; AEP_CLIENT_SECRET = $emulator.ClientSecret; AEP_ORG_ID = $emulator.OrgId
            AEP_SANDBOX_NAME = 'prod'; AEP_PLATFORM_URI = $emulator.Uri; AEP_IMS_URI = $emulator.Uri
        }
        try {
            foreach ($name in $variables.Keys) { [Environment]::SetEnvironmentVariable($name, $variables[$name]) }

            $context = Connect-ExperiencePlatform -FromEnvironment -PassThru
        }
        finally {
            foreach ($name in $variables.Keys) { [Environment]::SetEnvironmentVariable($name, $null) }
        }

        $context.ClientId | Should -Be $emulator.ClientId
        $context.OrgId | Should -Be $emulator.OrgId
    }

    It 'fails a wrong secret with a terminating AuthenticationFailed error that quotes IMS, never the secret, and stays disconnected' {
        $wrong = ConvertTo-SecureString 'wrong-canary-secret' -AsPlainText -Force

        $session = Invoke-Captured { Connect-ExperiencePlatform -ClientId $emulator.ClientId -ClientSecret $wrong -OrgId $emulator.OrgId @endpoints }

        $session.Terminating | Should -Not -BeNullOrEmpty
        $session.Errors.Count | Should -Be 1
        $session.Terminating.FullyQualifiedErrorId | Should -Be 'AuthenticationFailed,ProfileJobs.Commands.ConnectExperiencePlatformCommand'
        $session.Terminating.CategoryInfo.Category | Should -Be ([Management.Automation.ErrorCategory]::AuthenticationError)
        $session.Terminating.Exception.Message | Should -Match 'invalid_client'
        $session.Shown | Should -Not -Match 'wrong-canary-secret'
        Get-ExperiencePlatformContext | Should -BeNullOrEmpty
    }

    It 'refuses plain http for anything but loopback, before any request' {
        $position = Get-EmulatorLogPosition $emulator

        $refused = { Connect-ExperiencePlatform -ClientId x -ClientSecret $secret -OrgId 'o@AdobeOrg' -PlatformUri 'http://platform.example.com/' -ImsUri $emulator.Uri } |
            Should -Throw -PassThru

        $refused.FullyQualifiedErrorId | Should -Be 'InvalidConnectionParameter,ProfileJobs.Commands.ConnectExperiencePlatformCommand'
        $refused.CategoryInfo.Category | Should -Be ([Management.Automation.ErrorCategory]::InvalidArgument)
        $refused.Exception.Message | Should -Match 'must use https'
        Get-EmulatorRequest $emulator -Since $position | Should -BeNullOrEmpty
    }

    # -Sandbox with -SandboxId is allowed (each API gets its header): SandboxHeaders.Tests.ps1.
    It 'refuses a -SandboxId that is not a UUID, before any request' {
        $position = Get-EmulatorLogPosition $emulator

        $refused = { Connect-Emulator $emulator -Parameters @{ SandboxId = 'not-a-uuid' } } | Should -Throw -PassThru

        $refused.FullyQualifiedErrorId | Should -Be 'InvalidConnectionParameter,ProfileJobs.Commands.ConnectExperiencePlatformCommand'
        Get-EmulatorRequest $emulator -Since $position | Should -BeNullOrEmpty
        Get-ExperiencePlatformContext | Should -BeNullOrEmpty
    }

    It 'leaves commands run before connecting saying how to connect (NotConnected)' {
        $refused = { Get-ProfileSystemJob -ErrorAction Stop } | Should -Throw -PassThru

        $refused.FullyQualifiedErrorId | Should -Be 'NotConnected,ProfileJobs.Commands.GetProfileSystemJobCommand'
        $refused.Exception.Message | Should -Match 'Connect-ExperiencePlatform'
    }

    It 'gets one token and uses it for every command after' {
        $position = Get-EmulatorLogPosition $emulator

        $null = Connect-Emulator $emulator
        1..5 | ForEach-Object { $null = Get-ProfileSystemJob -First 1 }
        $null = Get-ProfileSystemJob -First 150

        $requests = Get-EmulatorRequest $emulator -Since $position
        @($requests | Where-Object path -Like '/ims/token*').Count | Should -Be 1
        $calls = @($requests | Where-Object path -NotLike '/ims/*')
        $calls.Count | Should -Be 7
        $calls | ForEach-Object { $_.headers.authorization } | Sort-Object -Unique | Should -HaveCount 1
    }

    It 'connects to another org, and the platform refuses it as Forbidden (PermissionDenied) with the gateway message' {
        Connect-ExperiencePlatform -ClientId $emulator.ClientId -ClientSecret $secret -OrgId 'OTHER000000000000000000@AdobeOrg' @endpoints

        $jobs = Get-ProfileSystemJob -First 1 -ErrorVariable problems -ErrorAction SilentlyContinue

        $jobs | Should -BeNullOrEmpty
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'Forbidden,ProfileJobs.Commands.GetProfileSystemJobCommand'
        $problems[0].CategoryInfo.Category | Should -Be ([Management.Automation.ErrorCategory]::PermissionDenied)
        $problems[0].Exception.Message | Should -Match '403'
        $problems[0].Exception.Message | Should -Match 'Profile is not valid'
    }

    It 'shows each exchange with -Verbose, and -Debug never shows the secret or a token' {
        $position = Get-EmulatorLogPosition $emulator

        $session = Invoke-Captured {
            Connect-Emulator $emulator -Parameters @{ Debug = $true; Verbose = $true }
            Get-ProfileSystemJob -First 1 -Verbose -Debug
        }

        $session.Errors | Should -BeNullOrEmpty
        $session.Verbose | Where-Object { $_.StartsWith('HTTP POST /ims/token/v3 -> 200') } | Should -Not -BeNullOrEmpty
        $session.Verbose | Where-Object { $_.StartsWith('HTTP GET /data/core/ups/system/jobs?start=0&limit=100 -> 200') -and $_ -match 'request id' } |
            Should -Not -BeNullOrEmpty
        $session.Debug | Where-Object { $_ -like '*Authorization: `*`*`**' } | Should -Not -BeNullOrEmpty
        $session.Debug | Where-Object { $_ -like '*client_secret=`*`*`**' } | Should -Not -BeNullOrEmpty
        $session.Debug | Where-Object { $_ -like '*"access_token":"`*`*`*"*' } | Should -Not -BeNullOrEmpty
        $session.Shown | Should -Not -Match ([regex]::Escape($emulator.ClientSecret))
        $token = & $bearer (Get-EmulatorRequest $emulator -Since $position -Api)[-1]
        $token | Should -Not -BeNullOrEmpty
        $session.Shown | Should -Not -Match ([regex]::Escape($token))
    }
}
