#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# Every type the module writes, accepts or throws can be named in a script after Import-Module: [type] literals,
# -is, typed parameters, [OutputType] and catch. Only the third-party dependencies stay in the private load context.

BeforeAll {
    . ([IO.Path]::Combine($PSScriptRoot, 'TestSupport.ps1'))
    $script:Emulator = Start-Emulator -Mode unified -Arguments '--seed-jobs', '3'
    $script:Context = Connect-Emulator $script:Emulator
}

AfterAll {
    Disconnect-ExperiencePlatform
    Stop-Emulator $script:Emulator
}

Describe 'Type names resolve after Import-Module' {
    It '[<_>] resolves' -ForEach @(
        'ProfileJobs.ProfileSystemJob', 'ProfileJobs.ExperiencePlatformContext', 'ProfileJobs.PlatformApiException',
        'ProfileJobs.PlatformErrorKind', 'ProfileJobs.HygieneRecordDelete', 'ProfileJobs.HygieneWorkOrder',
        'ProfileJobs.HygieneQuota', 'ProfileJobs.HygieneIdentity', 'ProfileJobs.HygieneProductStatus',
        'ProfileJobs.JobState', 'ProfileJobs.ApiGeneration', 'ProfileJobs.AuthenticationMode', 'ProfileJobs.RetrySettings'
    ) {
        $type = $_ -as [type]
        $type | Should -Not -BeNullOrEmpty
        $type.FullName | Should -Be $_
    }

    It 'resolves in a fresh pwsh right after Import-Module, before any command ran' {
        $manifest = Join-Path $script:ModulePath 'ProfileJobs.psd1'
        $run = Invoke-Pwsh -ArgumentList '-Command',
            "Import-Module '$manifest'; [ProfileJobs.ProfileSystemJob].FullName; [ProfileJobs.PlatformApiException].FullName; [ProfileJobs.ExperiencePlatformContext].FullName"

        $run.ExitCode | Should -Be 0 -Because $run.StdErr
        $run.StdOut.Trim() -split '\r?\n' | Should -Be @('ProfileJobs.ProfileSystemJob', 'ProfileJobs.PlatformApiException', 'ProfileJobs.ExperiencePlatformContext')
    }
}

Describe 'What the module writes is of those types' {
    It 'a listed job is a [ProfileJobs.ProfileSystemJob] with a [ProfileJobs.JobState]' {
        $job = Get-ProfileSystemJob -First 1
        $job -is [ProfileJobs.ProfileSystemJob] | Should -BeTrue
        $job.State -is [ProfileJobs.JobState] | Should -BeTrue
        $job.ApiGeneration | Should -Be ([ProfileJobs.ApiGeneration]::Unified)
    }

    It 'the context is a [ProfileJobs.ExperiencePlatformContext] with [ProfileJobs.RetrySettings]' {
        $script:Context -is [ProfileJobs.ExperiencePlatformContext] | Should -BeTrue
        (Get-ExperiencePlatformContext) -is [ProfileJobs.ExperiencePlatformContext] | Should -BeTrue
        $script:Context.Retry -is [ProfileJobs.RetrySettings] | Should -BeTrue
        $script:Context.AuthenticationMode | Should -Be ([ProfileJobs.AuthenticationMode]::ClientCredentials)
    }

    It 'record deletes, work orders and quotas are of their types' {
        $job = New-HygieneRecordDelete -Namespace email -Value 'types@example.com' -Force
        $order = New-HygieneRecordDelete -Namespace email -Value 'types@example.com' -DatasetId ALL -Force
        $quota = Get-HygieneQuota | Select-Object -First 1

        $job -is [ProfileJobs.HygieneRecordDelete] | Should -BeTrue
        $job.Identities[0] -is [ProfileJobs.HygieneIdentity] | Should -BeTrue
        $order -is [ProfileJobs.HygieneWorkOrder] | Should -BeTrue
        $quota -is [ProfileJobs.HygieneQuota] | Should -BeTrue
        (Get-HygieneRecordDelete -JobId $job.JobId).ProductStatus[0] -is [ProfileJobs.HygieneProductStatus] | Should -BeTrue
    }
}

Describe 'Scripts can use the types' {
    It 'as typed parameters and in [OutputType]' {
        function Get-JobSummary {
            [OutputType([ProfileJobs.ProfileSystemJob])]
            param(
                [Parameter(Mandatory)] [ProfileJobs.ExperiencePlatformContext] $Context,
                [ProfileJobs.JobState] $State = 'Pending'
            )
            [ProfileJobs.ProfileSystemJob[]] $jobs = Get-ProfileSystemJob -Context $Context
            $jobs
        }

        @(Get-JobSummary -Context $script:Context) | Should -HaveCount 3
        (Get-Command Get-JobSummary).OutputType.Type | Should -Be ([ProfileJobs.ProfileSystemJob])
        (Get-Command Get-ProfileSystemJob).OutputType.Type | Should -Be ([ProfileJobs.ProfileSystemJob])
    }

    It 'catch [ProfileJobs.PlatformApiException] catches the module''s API errors' {
        $caught = try { Get-ProfileSystemJob -Id 'nosuchjob000' -ErrorAction Stop; 'not caught' }
        catch [ProfileJobs.PlatformApiException] { $_ }

        $caught.Exception.GetType().FullName | Should -Be 'ProfileJobs.PlatformApiException'
        $caught.Exception.Kind | Should -Be ([ProfileJobs.PlatformErrorKind]::NotFound)
        $caught.FullyQualifiedErrorId | Should -Be 'JobNotFound,ProfileJobs.Commands.GetProfileSystemJobCommand'
    }
}

Describe 'Only the third-party dependencies are isolated' {
    It '<_> is loaded in a private load context' -ForEach @('ProfileJobs.Client', 'Microsoft.Extensions.Http', 'Microsoft.Extensions.DependencyInjection', 'Polly.Core') {
        $null = Get-ProfileSystemJob -First 1
        $name = $_
        $assembly = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq $name } | Select-Object -First 1
        $assembly | Should -Not -BeNullOrEmpty
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($assembly) | Should -Not -Be ([System.Runtime.Loader.AssemblyLoadContext]::Default)
    }

    It 'the user-facing types are in the default load context and reference nothing third-party' {
        $assembly = [ProfileJobs.ProfileSystemJob].Assembly
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($assembly) | Should -Be ([System.Runtime.Loader.AssemblyLoadContext]::Default)
        $assembly.GetReferencedAssemblies().Name | Should -Be @('netstandard')
        [ProfileJobs.PlatformApiException].Assembly | Should -Be $assembly
        [ProfileJobs.HygieneWorkOrder].Assembly | Should -Be $assembly
    }
}
