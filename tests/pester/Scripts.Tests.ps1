#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# The repository's PowerShell scripts parse, and the Pester suite has the shape the project promises: one file per
# exported cmdlet, named after it, and no It that asserts nothing.

BeforeDiscovery {
    $repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $skipped = [regex]'[\\/](bin|obj|out|artifacts|\.git)[\\/]'
    $scripts = @(Get-ChildItem -Path $repoRoot -Filter *.ps1 -Recurse -File |
            Where-Object { -not $skipped.IsMatch($_.FullName.Substring($repoRoot.Length)) } |
            ForEach-Object { @{ Script = [IO.Path]::GetRelativePath($repoRoot, $_.FullName).Replace('\', '/') } })
    $modulePath = if ($env:PROFILEJOBS_MODULE_PATH) { $env:PROFILEJOBS_MODULE_PATH } else { Join-Path $repoRoot 'out/ProfileJobs' }
    $cmdlets = @((Import-PowerShellDataFile (Join-Path $modulePath 'ProfileJobs.psd1')).CmdletsToExport | Sort-Object | ForEach-Object { @{ Cmdlet = $_ } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:PesterFiles = @(Get-ChildItem -Path $PSScriptRoot -Filter *.Tests.ps1 -File)

    function Get-CommandCall($Ast, [string] $Name) {
        @($Ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] -and $node.GetCommandName() -eq $Name }, $true))
    }
}

Describe 'Scripts' {
    It '<Script> parses' -ForEach $scripts {
        $tokens = $errors = $null
        $null = [System.Management.Automation.Language.Parser]::ParseFile((Join-Path $script:RepoRoot $Script), [ref] $tokens, [ref] $errors)
        @($errors | ForEach-Object { "$($_.ErrorId) at $($_.Extent.StartLineNumber):$($_.Extent.StartColumnNumber): $($_.Message)" }) | Should -BeNullOrEmpty
    }
}

Describe 'The Pester suite' {
    It 'has test files, each with a Describe, and every It in them asserts with Should' {
        $script:PesterFiles.Count | Should -BeGreaterThan 0
        $its = 0
        $withoutShould = foreach ($file in $script:PesterFiles) {
            $ast = [System.Management.Automation.Language.Parser]::ParseFile($file.FullName, [ref] $null, [ref] $null)
            (Get-CommandCall $ast 'Describe').Count | Should -BeGreaterThan 0 -Because "$($file.Name) needs a Describe"
            foreach ($it in Get-CommandCall $ast 'It') {
                $its++
                if ((Get-CommandCall $it 'Should').Count -eq 0) { "$($file.Name):$($it.Extent.StartLineNumber): It $($it.CommandElements[1])" }
            }
        }
        $withoutShould | Should -BeNullOrEmpty
        $its | Should -BeGreaterOrEqual 10
    }

    It 'has <Cmdlet>.Tests.ps1 with a Describe for the exported cmdlet <Cmdlet>' -ForEach $cmdlets {
        $file = Join-Path $PSScriptRoot "$Cmdlet.Tests.ps1"
        $file | Should -Exist
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($file, [ref] $null, [ref] $null)
        $described = @(Get-CommandCall $ast 'Describe' | ForEach-Object { $_.CommandElements[1].Extent.Text.Trim('''', '"') })
        $described | Should -Contain $Cmdlet
    }
}
