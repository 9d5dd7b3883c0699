#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# build.ps1 -Task Package: the Azure Automation zip and the .nupkg Publish-PSResource makes, checked entry by entry,
# then used as their consumers use them: the nupkg installed with Install-PSResource (and Save-PSResource) from a
# file repository, the zip unpacked as Azure Automation unpacks it, and the module imported BY NAME from each in a
# fresh pwsh that calls it against the emulator.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Add-Type -AssemblyName System.IO.Compression.FileSystem
    $script:Emulator = Start-Emulator -Mode unified -Arguments '--seed-jobs', '3'
    $script:Manifest = Import-PowerShellDataFile (Join-Path $script:ModulePath 'ProfileJobs.psd1')
    $script:Version = $script:Manifest.ModuleVersion
    $script:ExportedCmdlets = @($script:Manifest.CmdletsToExport | Sort-Object)
    $script:BuildScript = Join-Path $script:RepoRoot 'build.ps1'


    function Get-EntryBytes([IO.Compression.ZipArchiveEntry] $Entry) {
        $stream = $Entry.Open()
        try { $buffer = [IO.MemoryStream]::new(); $stream.CopyTo($buffer); , $buffer.ToArray() } finally { $stream.Dispose() }
    }

    function Get-EntryXml([IO.Compression.ZipArchiveEntry] $Entry) {
        $document = [xml]::new()
        $stream = $Entry.Open()
        try { $document.Load($stream) } finally { $stream.Dispose() }
        $document
    }

    function Test-SameBytes([string] $Path, [byte[]] $Bytes) {
        [Linq.Enumerable]::SequenceEqual([byte[]][IO.File]::ReadAllBytes($Path), $Bytes)
    }

    # A new pwsh whose HOME (and so PSResourceGet's repository store and its CurrentUser module folder) is -UserHome.
    function Invoke-IsolatedPwsh([string] $UserHome, [string] $Command, [hashtable] $Environment = @{}) {
        $all = @{ HOME = $UserHome; XDG_DATA_HOME = "$UserHome/.local/share"; XDG_CONFIG_HOME = "$UserHome/.config"; XDG_CACHE_HOME = "$UserHome/.cache" }
        # .NET reports a special folder that does not exist as ''.
        $null = New-Item -ItemType Directory -Force -Path $all.XDG_DATA_HOME, $all.XDG_CONFIG_HOME, $all.XDG_CACHE_HOME
        foreach ($name in $Environment.Keys) { $all[$name] = $Environment[$name] }
        Invoke-Pwsh -Environment $all -ArgumentList '-Command', $Command
    }

    # Imports ProfileJobs BY NAME in a fresh pwsh whose PSModulePath is -ModuleRoot (and whose user module folder is
    # an empty temporary one, so a copy installed for the real user cannot be found instead), calls it against the
    # emulator and reports where everything came from.
    function Invoke-ImportByName([string] $ModuleRoot) {
        $environment = (Get-EmulatorEnvironment $script:Emulator) + @{ PSModulePath = $ModuleRoot }
        $userHome = Join-Path $TestDrive "import-home-$([guid]::NewGuid().ToString('N'))"
        $session = Invoke-IsolatedPwsh $userHome -Environment $environment -Command (@(
                '$ErrorActionPreference = ''Stop'''
                '$m = Import-Module ProfileJobs -PassThru'
                '$null = Connect-ExperiencePlatform -FromEnvironment'
                '$jobs = @(Get-ProfileSystemJob)'
                '[pscustomobject]@{'
                '    Version  = "$($m.Version)"'
                '    Base     = $m.ModuleBase'
                '    Commands = @(Get-Command -Module ProfileJobs | ForEach-Object Name | Sort-Object)'
                '    Jobs     = $jobs.Count'
                '    Loaded   = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -like ''ProfileJobs*'' } | ForEach-Object Location)'
                '} | ConvertTo-Json -Compress'
            ) -join "`n")
        $session.ExitCode | Should -Be 0 -Because $session.StdErr
        $session.StdOut | ConvertFrom-Json
    }

    # The module imported from -Folder is the packaged version with every cmdlet, loaded its assemblies from there
    # (none from the build's out/ProfileJobs), and listed the emulator's jobs.
    function Assert-WorkingImport($Imported, [string] $Folder) {
        $Imported.Version | Should -Be $script:Version
        $Imported.Commands | Should -Be $script:ExportedCmdlets
        $Imported.Jobs | Should -Be 3
        $Imported.Loaded | Should -Contain (Join-Path $Folder 'ProfileJobs.dll')
        # The client from its ReadyToRun image for this .NET and platform (the loader's choice).
        $Imported.Loaded | Should -Contain (Join-Path $Folder "Dependencies/r2r/$script:ImageTarget/ProfileJobs.Client.dll")
        @($Imported.Loaded | Where-Object { $_.StartsWith($script:ModulePath) }) | Should -BeNullOrEmpty
    }

    $os = if ($IsWindows) { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' }
    $script:ImageTarget = "net$([Environment]::Version.Major).0-$os-$("$([Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture)".ToLowerInvariant())"

    # What build.ps1 -Task Package -NoBuild -ReadyToRun All wrote into a temporary folder, used by every test below:
    # a copy of the built module folder given the ReadyToRun images of every target (what -Task Package builds), so
    # the packaging limits are checked on the full package.
    $script:Source = Join-Path $TestDrive 'source/ProfileJobs'
    $null = New-Item -ItemType Directory -Path $script:Source
    Copy-Item -Path (Join-Path $script:ModulePath '*') -Destination $script:Source -Recurse
    $script:Artifacts = Join-Path $TestDrive 'artifacts'
    $script:Package = Invoke-Pwsh -ArgumentList '-File', $script:BuildScript, '-Task', 'Package', '-NoBuild', '-ModuleDirectory', $script:Source, '-ReadyToRun', 'All', '-OutputDirectory', $script:Artifacts -TimeoutSeconds 600

    # Every file of the packaged module folder by its '/'-separated relative path.
    $script:ModuleFiles = [ordered]@{}
    foreach ($file in Get-ChildItem -LiteralPath $script:Source -Recurse -File | Sort-Object FullName) {
        $script:ModuleFiles[$file.FullName.Substring($script:Source.Length + 1).Replace('\', '/')] = $file.FullName
    }
    $script:ZipPath = Join-Path $script:Artifacts "ProfileJobs-$script:Version.zip"
    $script:NupkgPath = Join-Path $script:Artifacts "ProfileJobs.$script:Version.nupkg"
}

AfterAll {
    Stop-Emulator $script:Emulator
}

Describe 'build.ps1 -Task Package' {
    It 'writes both packages to -OutputDirectory and says where, how many files and how big' {
        $script:Package.ExitCode | Should -Be 0 -Because ($script:Package.StdOut + $script:Package.StdErr)
        $script:ZipPath | Should -Exist
        $script:NupkgPath | Should -Exist
        @(Get-ChildItem -LiteralPath $script:Artifacts).Count | Should -Be 2
        $script:Package.StdOut | Should -Match ([regex]::Escape($script:ZipPath))
        $script:Package.StdOut | Should -Match ([regex]::Escape($script:NupkgPath))
        $script:Package.StdOut | Should -Match "ProfileJobs/ with $($script:ModuleFiles.Count) files, \d+(\.\d+)? KB = \d+\.\d\d MB"
    }

    It 'with -ReadyToRun All adds the ReadyToRun images of every served target, says which were not served, and keeps the IL copies' {
        $script:Package.ExitCode | Should -Be 0 -Because ($script:Package.StdOut + $script:Package.StdErr)
        $targets = @(Get-ChildItem -LiteralPath (Join-Path $script:Source 'Dependencies/r2r') -Directory | ForEach-Object Name)
        # Served by the package source this project uses (the SDK picks the versions).
        foreach ($target in 'net10.0-win-x64', 'net10.0-linux-x64', 'net10.0-osx-arm64', 'net10.0-linux-arm64', 'net10.0-osx-x64', 'net8.0-win-x64', 'net8.0-linux-x64') {
            $targets | Should -Contain $target
            Join-Path $script:Source "Dependencies/r2r/$target/ProfileJobs.Client.dll" | Should -Exist
            $script:Package.StdOut | Should -Match "  $([regex]::Escape($target)): \d+ images, "
        }
        # Every target is either built or reported as skipped.
        foreach ($framework in 'net8.0', 'net10.0') {
            foreach ($rid in 'win-x64', 'linux-x64', 'osx-arm64', 'linux-arm64', 'osx-x64') {
                $target = "$framework-$rid"
                if ($target -notin $targets) { $script:Package.StdOut | Should -Match "  $([regex]::Escape($target)): skipped, packs not served" }
            }
        }
        # The net8.0 images hold System.Text.Json (pwsh 7.4's runtime has an older one); the net10.0 ones do not (shared).
        Join-Path $script:Source 'Dependencies/r2r/net8.0-linux-x64/System.Text.Json.dll' | Should -Exist
        Join-Path $script:Source 'Dependencies/r2r/net10.0-linux-x64/System.Text.Json.dll' | Should -Not -Exist
        foreach ($name in 'ProfileJobs.Client', 'Polly.Core', 'Microsoft.Extensions.Http') { Join-Path $script:Source "Dependencies/$name.dll" | Should -Exist }
    }

    It 'refuses a module folder Azure Automation would reject or the zip would not hold whole, and writes no package' {
        $root = Join-Path $TestDrive 'broken'
        $copy = { param($name) $target = Join-Path $root "$name/ProfileJobs"; $null = New-Item -ItemType Directory -Path $target; Copy-Item -Path (Join-Path $script:ModulePath '*') -Destination $target -Recurse; $target }
        $longPath = & $copy 'long'
        $longName = ('x' * 120) + '.dll'
        Set-Content -LiteralPath (Join-Path $longPath "Dependencies/$longName") -Value ''
        $noManifest = & $copy 'nomanifest'
        Remove-Item -LiteralPath (Join-Path $noManifest 'ProfileJobs.psd1')
        $link = & $copy 'link'
        $null = New-Item -ItemType SymbolicLink -Path (Join-Path $link 'Dependencies/Link.dll') -Target (Join-Path $link 'ProfileJobs.dll')
        # Compress-Archive leaves hidden files out; the zip would then lack a file of the module.
        $hidden = & $copy 'hidden'
        $null = New-Item -ItemType File -Path (Join-Path $hidden 'Dependencies/.hidden')
        $output = Join-Path $root 'artifacts'

        $session = Invoke-Pwsh -ArgumentList '-Command', (@(foreach ($case in @{ long = $longPath; nomanifest = $noManifest; link = $link; hidden = $hidden }.GetEnumerator()) {
                    "try { & $(ConvertTo-QuotedString $script:BuildScript) -Task Package -NoBuild -ModuleDirectory $(ConvertTo-QuotedString $case.Value) -OutputDirectory $(ConvertTo-QuotedString $output) | Out-Null; '$($case.Key): packaged' }" +
                    " catch { `"$($case.Key): refused: `$(`$_.Exception.Message)`" }"
                }) -join "`n") -TimeoutSeconds 300

        $session.ExitCode | Should -Be 0 -Because $session.StdErr
        $results = @{}
        foreach ($match in [regex]::Matches($session.StdOut, '(?m)^(?<case>\w+): (?<result>.*)$')) { $results[$match.Groups['case'].Value] = $match.Groups['result'].Value.Trim() }
        $results['long'] | Should -BeLike 'refused: *140 characters*'
        $results['long'] | Should -Match ([regex]::Escape("ProfileJobs/Dependencies/$longName"))
        $results['nomanifest'] | Should -BeLike 'refused: *manifest is missing*'
        $results['link'] | Should -BeLike 'refused: *Dependencies/Link.dll*symbolic link*'
        $built = @(Get-ChildItem -LiteralPath $script:ModulePath -Recurse -File).Count
        $results['hidden'] | Should -BeLike "refused: *wrote $built files of the module's $($built + 1)*"
        @(Get-ChildItem -LiteralPath $output -File -ErrorAction SilentlyContinue) | Should -BeNullOrEmpty
    }
}

Describe 'The Azure Automation zip' {
    BeforeAll {
        $zip = [IO.Compression.ZipFile]::OpenRead($script:ZipPath)
        $entries = [ordered]@{}
        # Files only: Compress-Archive also writes an entry for a folder that holds only folders (Dependencies/r2r/).
        foreach ($entry in $zip.Entries) { if (-not $entry.FullName.EndsWith('/')) { $entries[$entry.FullName] = $entry } }
    }

    AfterAll {
        $zip.Dispose()
    }

    It 'holds the module folder at its root, the manifest directly inside, and every module file unchanged' {
        foreach ($name in $entries.Keys) {
            $name | Should -BeLike 'ProfileJobs/*'
            $name | Should -Not -Match '\\'
            $name.Length | Should -BeLessThan 140
        }
        $entries.Keys | Should -Contain 'ProfileJobs/ProfileJobs.psd1'
        $entries.Keys | Should -Contain 'ProfileJobs/ProfileJobs.dll'
        $entries.Keys | Should -Contain 'ProfileJobs/ProfileJobs.format.ps1xml'
        $entries.Keys | Should -Contain 'ProfileJobs/Dependencies/ProfileJobs.Client.dll'
        $entries.Keys | Should -Contain "ProfileJobs/Dependencies/r2r/$script:ImageTarget/ProfileJobs.Client.dll"
        @($entries.Keys | Sort-Object -CaseSensitive) | Should -Be @($script:ModuleFiles.Keys | ForEach-Object { "ProfileJobs/$_" } | Sort-Object -CaseSensitive)
        foreach ($relative in $script:ModuleFiles.Keys) {
            Test-SameBytes $script:ModuleFiles[$relative] (Get-EntryBytes $entries["ProfileJobs/$relative"]) | Should -BeTrue -Because "$relative is packaged unchanged"
        }
    }

    It 'has no links and is at most 100 MB' {
        foreach ($entry in $zip.Entries) { (($entry.ExternalAttributes -shr 16) -band 0xF000) | Should -Not -Be 0xA000 -Because "$($entry.FullName) is not a symbolic link" }
        (Get-Item -LiteralPath $script:ZipPath).Length | Should -BeLessOrEqual 100MB
    }

    It 'unpacked as Azure Automation does, imports by name in a fresh pwsh and works' {
        $modules = Join-Path $TestDrive 'automation-modules'
        Expand-Archive -LiteralPath $script:ZipPath -DestinationPath $modules

        $imported = Invoke-ImportByName $modules

        $folder = Join-Path $modules 'ProfileJobs'
        $imported.Base | Should -Be $folder
        Assert-WorkingImport $imported $folder
    }
}

Describe 'The .nupkg' {
    BeforeAll {
        $nupkg = [IO.Compression.ZipFile]::OpenRead($script:NupkgPath)
        $entries = [ordered]@{}
        foreach ($entry in $nupkg.Entries) { $entries[$entry.FullName] = $entry }
        $nuspec = Get-EntryXml $entries['ProfileJobs.nuspec']
        $psData = $script:Manifest.PrivateData.PSData
    }

    AfterAll {
        $nupkg.Dispose()
    }

    It 'has the module files unchanged at its root, its nuspec, and the package parts NuGet writes, nothing else' {
        foreach ($relative in $script:ModuleFiles.Keys) {
            $entries.Keys | Should -Contain $relative
            Test-SameBytes $script:ModuleFiles[$relative] (Get-EntryBytes $entries[$relative]) | Should -BeTrue -Because "$relative is packaged unchanged"
        }
        $parts = @($entries.Keys | Where-Object { $_ -notin $script:ModuleFiles.Keys })
        @($parts | Where-Object { $_ -notlike 'package/services/metadata/core-properties/*.psmdcp' } | Sort-Object) | Should -Be @('[Content_Types].xml', '_rels/.rels', 'ProfileJobs.nuspec' | Sort-Object)
        @($parts | Where-Object { $_ -like 'package/services/metadata/core-properties/*.psmdcp' }).Count | Should -Be 1
        $relationships = Get-EntryXml $entries['_rels/.rels']
        ($relationships.Relationships.Relationship | Where-Object Type -EQ 'http://schemas.microsoft.com/packaging/2010/07/manifest').Target | Should -Be '/ProfileJobs.nuspec'
    }

    It 'has a nuspec with the manifest''s id, version, authors, description, release notes and tags, and no invented address' {
        $metadata = $nuspec.package.metadata
        $metadata.id | Should -Be 'ProfileJobs'
        $metadata.version | Should -Be $script:Version
        $metadata.authors | Should -Be $script:Manifest.Author
        $metadata.description | Should -Be $script:Manifest.Description
        $metadata.releaseNotes | Should -Be $psData.ReleaseNotes
        $metadata.requireLicenseAcceptance | Should -Be 'false'
        $tags = @($metadata.tags -split ' ')
        @($tags | Sort-Object -Unique).Count | Should -Be $tags.Count
        $tags | Should -Contain 'PSModule'
        $tags | Should -Contain 'PSEdition_Core'
        $tags | Should -Contain 'PSEdition_Desktop'
        foreach ($tag in $psData.Tags) { $tags | Should -Contain $tag }
        # Only what the manifest says.
        $metadata.projectUrl | Should -Be $psData.ProjectUri
        $metadata.licenseUrl | Should -Be $psData.LicenseUri
    }

    It 'installs with Install-PSResource from a file repository into a temporary user folder, and imports by name in a fresh pwsh' {
        $userHome = Join-Path $TestDrive 'install-home'
        $install = Invoke-IsolatedPwsh $userHome (@(
                '$ErrorActionPreference = ''Stop'''
                "Register-PSResourceRepository -Name ProfileJobsLocal -Uri $(ConvertTo-QuotedString $script:Artifacts)"
                'Install-PSResource -Name ProfileJobs -Repository ProfileJobsLocal -TrustRepository -Scope CurrentUser'
                '(Get-InstalledPSResource -Name ProfileJobs -Scope CurrentUser).InstalledLocation'
            ) -join "`n")

        $install.ExitCode | Should -Be 0 -Because $install.StdErr
        $modules = "$userHome/.local/share/powershell/Modules"
        $install.StdOut.Trim() | Should -Be $modules
        $folder = Join-Path $modules "ProfileJobs/$script:Version"
        # Installed as published: the module files, and PSResourceGet's own record of the installation.
        $installed = @(Get-ChildItem -LiteralPath $folder -Recurse -File | ForEach-Object { $_.FullName.Substring($folder.Length + 1).Replace('\', '/') } | Sort-Object -CaseSensitive)
        $installed | Should -Be @(@($script:ModuleFiles.Keys) + 'PSGetModuleInfo.xml' | Sort-Object -CaseSensitive)

        $imported = Invoke-ImportByName $modules

        $imported.Base | Should -Be $folder
        Assert-WorkingImport $imported $folder
    }

    It 'saves with Save-PSResource into any folder, from which it imports by name' {
        $userHome = Join-Path $TestDrive 'save-home'
        $modules = Join-Path $TestDrive 'saved-modules'
        $null = New-Item -ItemType Directory -Path $modules
        $save = Invoke-IsolatedPwsh $userHome (@(
                '$ErrorActionPreference = ''Stop'''
                "Register-PSResourceRepository -Name ProfileJobsLocal -Uri $(ConvertTo-QuotedString $script:Artifacts)"
                "Save-PSResource -Name ProfileJobs -Repository ProfileJobsLocal -TrustRepository -Path $(ConvertTo-QuotedString $modules)"
            ) -join "`n")

        $save.ExitCode | Should -Be 0 -Because $save.StdErr
        $imported = Invoke-ImportByName $modules

        $folder = Join-Path $modules "ProfileJobs/$script:Version"
        $imported.Base | Should -Be $folder
        Assert-WorkingImport $imported $folder
    }
}

Describe 'The manifest' {
    It 'has what the PowerShell Gallery shows, and explicit export lists' {
        $manifest = Import-PowerShellDataFile (Join-Path $script:RepoRoot 'ProfileJobs.psd1')
        $psData = $manifest.PrivateData.PSData
        $psData.Tags | Should -Not -BeNullOrEmpty
        foreach ($tag in $psData.Tags) { $tag | Should -Not -Match '\s' }
        $psData.ReleaseNotes | Should -Not -BeNullOrEmpty
        $manifest.Description | Should -Not -BeNullOrEmpty
        $manifest.Author | Should -Not -BeNullOrEmpty
        $manifest.CompatiblePSEditions | Should -Contain 'Core'
        $manifest.CompatiblePSEditions | Should -Contain 'Desktop'
        foreach ($key in 'CmdletsToExport', 'FunctionsToExport', 'VariablesToExport', 'AliasesToExport') {
            $manifest.ContainsKey($key) | Should -BeTrue -Because "without $key PowerShell exports everything"
            foreach ($value in @($manifest[$key])) { $value | Should -Not -Match '\*' }
        }
        @($manifest.CmdletsToExport | Sort-Object) | Should -Be $script:ExportedCmdlets
        foreach ($cmdlet in 'Connect-ExperiencePlatform', 'Disconnect-ExperiencePlatform', 'Get-ExperiencePlatformContext', 'Get-ProfileSystemJob',
            'New-ProfileDeleteJob', 'Remove-ProfileSystemJob', 'Wait-ProfileSystemJob') {
            $script:ExportedCmdlets | Should -Contain $cmdlet
        }
        # Set on first publication; never a made-up address.
        foreach ($key in 'ProjectUri', 'LicenseUri', 'IconUri') {
            if ($psData[$key]) { $psData[$key] | Should -BeLike 'https://*' }
        }
    }
}
