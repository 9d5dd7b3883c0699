#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# On PowerShell 7 the module loads ProfileJobs.Client and its Microsoft.Extensions.* dependencies into a private
# AssemblyLoadContext, so a module that loaded other versions of them first (Az, Graph, PnP...) cannot break it.
# Assembly loads cannot be undone, so each scenario runs in a fresh pwsh process, as a user's session would.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:Emulator = Start-Emulator -Mode unified -Arguments '--seed-jobs', '5'
    $script:Manifest = Join-Path $script:ModulePath 'ProfileJobs.psd1'

    # The older assembly, restored from NuGet by tools/TestDependencies (the same restore that brings Pester).
    $project = [xml](Get-Content -Raw -LiteralPath (Join-Path $script:RepoRoot 'tools/TestDependencies/TestDependencies.csproj'))
    $download = $project.Project.ItemGroup.PackageDownload | Where-Object Include -EQ 'Microsoft.Extensions.DependencyInjection.Abstractions'
    $script:OldVersion = $download.Version.Trim('[', ']')
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { ((& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim() }
    $script:OldAssembly = Join-Path $packages "microsoft.extensions.dependencyinjection.abstractions/$script:OldVersion/lib/netstandard2.0/Microsoft.Extensions.DependencyInjection.Abstractions.dll"

    # Prints, as JSON, every loaded assembly of interest with its version and whether it is in the default load context.
    $script:ProbeScript = @'
$names = 'ProfileJobs', 'ProfileJobs.Client', 'Polly.Core', 'Microsoft.Extensions.DependencyInjection.Abstractions', 'Microsoft.Extensions.Http'
$loaded = foreach ($assembly in [AppDomain]::CurrentDomain.GetAssemblies()) {
    $name = $assembly.GetName()
    if ($name.Name -in $names) {
        [pscustomobject]@{
            Name      = $name.Name
            Version   = $name.Version.ToString()
            InDefault = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($assembly) -eq [System.Runtime.Loader.AssemblyLoadContext]::Default
        }
    }
}
ConvertTo-Json -InputObject @($loaded) -Compress
'@

    # Where each assembly of the module's private load context came from, after a connect and a listing in a fresh pwsh
    # that imports the module from -Folder.
    function Get-PrivateContextAssembly([string] $Folder) {
        $session = Invoke-Pwsh -Environment (Get-EmulatorEnvironment $script:Emulator) -ArgumentList '-Command', (@(
                '$ErrorActionPreference = ''Stop'''
                "Import-Module '$(Join-Path $Folder 'ProfileJobs.psd1')'"
                '$null = Connect-ExperiencePlatform -FromEnvironment'
                '$jobs = @(Get-ProfileSystemJob)'
                '$client = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq ''ProfileJobs.Client'' }'
                '$context = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($client)'
                '[pscustomobject]@{'
                '    Jobs     = $jobs.Count'
                '    Private  = @($context.Assemblies | ForEach-Object { [pscustomobject]@{ Name = $_.GetName().Name; Location = $_.Location } })'
                '    Module   = ([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq ''ProfileJobs'' }).Location'
                '} | ConvertTo-Json -Compress -Depth 4'
            ) -join "`n")
        $session.ExitCode | Should -Be 0 -Because $session.StdErr
        $session.StdOut | ConvertFrom-Json
    }

    function Test-ReadyToRunFile([string] $Path) {
        $stream = [IO.File]::OpenRead($Path)
        try { ([Reflection.PortableExecutable.PEReader]::new($stream)).PEHeaders.CorHeader.ManagedNativeHeaderDirectory.Size -gt 0 } finally { $stream.Dispose() }
    }
}

AfterAll {
    Stop-Emulator $script:Emulator
}

Describe 'Assembly isolation' {
    It 'works after another module loaded an older Microsoft.Extensions.DependencyInjection.Abstractions, and both versions stay loaded' {
        $script:OldAssembly | Should -Exist -Because 'tools/TestDependencies restores it'
        $mark = Get-EmulatorLogPosition $script:Emulator
        $session = Invoke-Pwsh -Environment (Get-EmulatorEnvironment $script:Emulator) -ArgumentList '-Command', (@(
                '$ErrorActionPreference = ''Stop'''
                "`$null = [System.Reflection.Assembly]::LoadFrom('$script:OldAssembly')"
                "Import-Module '$script:Manifest'"
                '$null = Connect-ExperiencePlatform -FromEnvironment'
                '$jobs = @(Get-ProfileSystemJob -First 2)'
                '"jobs=$($jobs.Count)"'
                $script:ProbeScript
            ) -join "`n")

        $session.ExitCode | Should -Be 0 -Because $session.StdErr
        $lines = $session.StdOut -split "`r?`n"
        $lines | Should -Contain 'jobs=2'
        $loaded = @($lines | Where-Object { $_.StartsWith('[') } | Select-Object -Last 1 | ConvertFrom-Json)
        $abstractions = @($loaded | Where-Object Name -EQ 'Microsoft.Extensions.DependencyInjection.Abstractions' | Sort-Object { [version]$_.Version })
        $abstractions.Version | Should -Be @("$script:OldVersion.0", '10.0.0.0')
        # The other module's copy in the default context, the module's own in its private one.
        $abstractions.InDefault | Should -Be @($true, $false)
        ($loaded | Where-Object Name -EQ 'ProfileJobs').InDefault | Should -BeTrue
        ($loaded | Where-Object Name -EQ 'ProfileJobs.Client').InDefault | Should -BeFalse
        ($loaded | Where-Object Name -EQ 'Polly.Core').InDefault | Should -BeFalse
        $requests = Get-EmulatorRequest $script:Emulator -Since $mark -Api
        @($requests | Where-Object { $_.method -eq 'GET' -and $_.path -eq '/data/core/ups/system/jobs' }).Count | Should -BeGreaterThan 0
        $requests.status | Sort-Object -Unique | Should -Be 200
    }

    It 'lets 16 runspaces import the module at the same time in a fresh process, each reaching the client library' {
        # Every runspace's first call goes through the client assembly (the NotConnected check reads the context type),
        # so a runspace that returned from Import-Module before the resolver was registered would fail here.
        $session = Invoke-Pwsh -ArgumentList '-Command', (@(
                "`$ids = 1..16 | ForEach-Object -ThrottleLimit 8 -Parallel { Import-Module '$script:Manifest'"
                '    try { Get-ProfileSystemJob -ErrorAction Stop } catch { $_.FullyQualifiedErrorId } }'
                '$ids'
            ) -join "`n")

        $session.ExitCode | Should -Be 0 -Because $session.StdErr
        $ids = @($session.StdOut -split "`r?`n" | Where-Object { $_ })
        $ids.Count | Should -Be 16
        $ids | Sort-Object -Unique | Should -Be 'NotConnected,ProfileJobs.Commands.GetProfileSystemJobCommand'
    }

    It 'loads the client and its dependencies from their ReadyToRun images for this .NET and platform, and ProfileJobs.dll as IL' {
        $os = if ($IsWindows) { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' }
        $arch = "$([Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture)".ToLowerInvariant()
        $images = Join-Path $script:ModulePath "Dependencies/r2r/net$([Environment]::Version.Major).0-$os-$arch"
        $images | Should -Exist -Because 'build.ps1 -Task Build compiles the images of the running pwsh''s .NET and platform'

        $loaded = Get-PrivateContextAssembly $script:ModulePath

        $loaded.Jobs | Should -Be 5
        $names = @($loaded.Private.Name)
        foreach ($name in 'ProfileJobs.Client', 'Polly.Core', 'Microsoft.Extensions.Http', 'Microsoft.Extensions.DependencyInjection', 'Microsoft.Extensions.Options') {
            $names | Should -Contain $name
        }
        foreach ($assembly in $loaded.Private) {
            $assembly.Location | Should -Be (Join-Path $images "$($assembly.Name).dll") -Because "$($assembly.Name) has an image there"
            Test-ReadyToRunFile $assembly.Location | Should -BeTrue
        }
        $loaded.Module | Should -Be (Join-Path $script:ModulePath 'ProfileJobs.dll')
        Test-ReadyToRunFile $loaded.Module | Should -BeFalse
        # The IL copies stay where Windows PowerShell and other runtimes load them.
        foreach ($name in $names) { Test-ReadyToRunFile (Join-Path $script:ModulePath "Dependencies/$name.dll") | Should -BeFalse }
    }

    It 'falls back to the IL copies when there are no images, or only images of another .NET version, and still works' {
        $root = Join-Path $TestDrive 'fallback'
        $copies = foreach ($case in 'none', 'other') {
            $folder = Join-Path $root "$case/ProfileJobs"
            $null = New-Item -ItemType Directory -Path $folder
            Copy-Item -Path (Join-Path $script:ModulePath '*') -Destination $folder -Recurse
            $images = Join-Path $folder 'Dependencies/r2r'
            if ($case -eq 'none') { Remove-Item -LiteralPath $images -Recurse -Force }
            else {
                # Every image folder renamed to a .NET major version no pwsh runs on.
                foreach ($target in Get-ChildItem -LiteralPath $images -Directory) { Rename-Item -LiteralPath $target.FullName -NewName ($target.Name -replace '^net\d+\.0-', 'net99.0-') }
            }
            $folder
        }
        foreach ($folder in $copies) {
            $loaded = Get-PrivateContextAssembly $folder
            $loaded.Jobs | Should -Be 5
            @($loaded.Private.Name) | Should -Contain 'ProfileJobs.Client'
            foreach ($assembly in $loaded.Private) {
                $assembly.Location | Should -Be (Join-Path $folder "Dependencies/$($assembly.Name).dll")
            }
        }
    }
}
