#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# Get-Help for every cmdlet, read from the built module's en-US/ProfileJobs.dll-Help.xml, compared with what the engine
# itself knows about each cmdlet (Get-Command), so help that drifts from the code fails. The cmdlet list comes from the
# built manifest, never from a list in this file.

BeforeDiscovery {
    $modulePath = if ($env:PROFILEJOBS_MODULE_PATH) { $env:PROFILEJOBS_MODULE_PATH } else { Join-Path $PSScriptRoot '../../out/ProfileJobs' }
    $cmdlets = @((Import-PowerShellDataFile (Join-Path $modulePath 'ProfileJobs.psd1')).CmdletsToExport | Sort-Object)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:HelpFile = Join-Path $script:ModulePath 'en-US/ProfileJobs.dll-Help.xml'
    $script:Common = [System.Management.Automation.Cmdlet]::CommonParameters
    $script:ModuleCommands = @(Get-Command -Module ProfileJobs | ForEach-Object Name)
}

Describe 'Get-Help' {
    It 'has MAML help of its own for every command the module exports' {
        # Get-Command, not the manifest: a cmdlet exported without help fails here.
        $manifest = Import-PowerShellDataFile (Join-Path $script:ModulePath 'ProfileJobs.psd1')
        @($script:ModuleCommands | Sort-Object) | Should -Be @($manifest.CmdletsToExport | Sort-Object)
        $script:HelpFile | Should -Exist
        $maml = [xml](Get-Content -Raw -LiteralPath $script:HelpFile)
        $documented = @($maml.helpItems.command.details.name)
        foreach ($name in $script:ModuleCommands) {
            $documented | Should -Contain $name
            $help = Get-Help $name -Full
            # Without MAML help, Get-Help makes up a synopsis from the syntax and has no description or examples.
            $help.Synopsis.Trim() | Should -Not -BeLike "$name *" -Because "$name needs a synopsis of its own"
            $help.Synopsis | Should -Not -Match ([regex]::Escape('[<CommonParameters>]'))
            @($help.description | Where-Object { $_ }).Count | Should -BeGreaterThan 0 -Because "$name needs a description"
            @($help.examples.example | Where-Object { $_ }).Count | Should -BeGreaterThan 0 -Because "$name needs examples"
        }
    }

    Context '<_>' -ForEach $cmdlets {
        BeforeAll {
            $name = $_
            $command = Get-Command $name
            $help = Get-Help $name -Full
            $parameters = @($command.Parameters.Keys | Where-Object { $_ -notin $script:Common })
        }

        It 'has a synopsis and a description, and describes every parameter it has and no other' {
            $help.Synopsis | Should -Not -BeNullOrEmpty
            $description = (@($help.description | ForEach-Object Text) -join ' ').Trim()
            $description | Should -Not -BeNullOrEmpty
            $description | Should -Not -Be $help.Synopsis.Trim()

            # Every parameter the engine shows but the common ones (WhatIf, Confirm and the paging ones included).
            $undescribed = @($parameters | Where-Object { -not (@((Get-Help $name -Parameter $_).description | ForEach-Object Text) -join ' ').Trim() })
            $undescribed | Should -BeNullOrEmpty -Because "every parameter of $name needs a description"
            $described = @($help.parameters.parameter | Where-Object { $_ } | ForEach-Object name)
            @($described | Sort-Object) | Should -Be @($parameters | Sort-Object)
        }

        It 'shows the parameter sets, and mandatory, position and pipeline input as the engine has them' {
            $sorted = { param($names) (@($names | Where-Object { $_ -notin $script:Common } | Sort-Object) -join ',') }
            $sets = @($command.ParameterSets | ForEach-Object { & $sorted $_.Parameters.Name } | Where-Object { $_ } | Sort-Object -CaseSensitive)
            $syntax = @($help.syntax.syntaxItem | ForEach-Object { & $sorted $_.parameter.name } | Where-Object { $_ } | Sort-Object -CaseSensitive)
            $syntax | Should -Be $sets

            $engine = foreach ($parameter in $command.Parameters.Values) {
                if ($parameter.Name -in $script:Common) { continue }
                $attributes = @($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })
                $positions = @($attributes | Where-Object { $_.Position -ge 0 } | ForEach-Object Position)
                '{0}|{1}|{2}|{3}' -f $parameter.Name, [bool]@($attributes | Where-Object Mandatory).Count,
                    $(if ($positions.Count) { $positions[0] } else { 'named' }),
                    [bool]@($attributes | Where-Object { $_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName }).Count
            }
            $shown = foreach ($parameter in @($help.parameters.parameter | Where-Object { $_ })) {
                '{0}|{1}|{2}|{3}' -f $parameter.name, ($parameter.required -eq 'true'), $parameter.position, ($parameter.pipelineInput -like 'True*')
            }
            @($shown | Sort-Object) | Should -Be @($engine | Sort-Object)
        }

        It 'has at least two examples, each with a numbered title, code and remarks' {
            $examples = @($help.examples.example)
            $examples.Count | Should -BeGreaterOrEqual 2
            foreach ($example in $examples) {
                $example.title.Trim() | Should -Match '^-* *EXAMPLE \d+: \w'
                $example.code.Trim() | Should -Not -BeNullOrEmpty
                (@($example.remarks | ForEach-Object Text) -join ' ').Trim() | Should -Not -BeNullOrEmpty -Because "$($example.title.Trim()) needs remarks"
            }
        }

        It 'names its output types, each described, and related cmdlets of the module' {
            $declared = @($command.OutputType | ForEach-Object Name | Where-Object { $_ -ne 'System.Void' } | Sort-Object -Unique)
            $outputs = @($help.returnValues.returnValue)
            $names = @($outputs | ForEach-Object { $_.type.name } | Sort-Object)
            if ($declared.Count -eq 0) { $names | Should -Be @('None') } else { $names | Should -Be $declared }
            foreach ($output in $outputs) {
                (@($output.description | ForEach-Object Text) -join ' ').Trim() | Should -Not -BeNullOrEmpty -Because "output $($output.type.name) needs a description"
            }

            $links = @($help.relatedLinks.navigationLink)
            @($links | Where-Object { $_.linkText -in $script:ModuleCommands -and $_.linkText -ne $name }).Count | Should -BeGreaterThan 0
            foreach ($link in $links) {
                ($link.linkText -in $script:ModuleCommands -or $link.uri -like 'https://*') | Should -BeTrue -Because "the related link '$($link.linkText)' must be a cmdlet of the module or an https URL"
            }
        }

        It 'renders its examples as text with numbered titles' {
            $text = Get-Help $name -Examples | Out-String -Width 120
            $text | Should -Match 'EXAMPLE 1'
            $text | Should -Match 'EXAMPLE 2'
            $text | Should -Match ([regex]::Escape($name))
            # The first example's first line of code is there as written (up to the line width).
            $code = (@($help.examples.example)[0].code.Trim() -split "`n")[0].Trim()
            $text.Replace("`r", '') | Should -Match ([regex]::Escape($code.Substring(0, [Math]::Min($code.Length, 60))))
        }

        It 'has examples that parse, call it, and pass only parameters the module''s cmdlets have' {
            foreach ($code in @($help.examples.example | ForEach-Object code)) {
                $tokens = $errors = $null
                $ast = [System.Management.Automation.Language.Parser]::ParseInput($code, [ref] $tokens, [ref] $errors)
                $errors | Should -BeNullOrEmpty -Because "this example must parse:`n$code"
                $calls = @($ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] }, $true))
                @($calls | Where-Object { $_.GetCommandName() -eq $name }).Count | Should -BeGreaterThan 0 -Because "this example must call ${name}:`n$code"
                foreach ($call in @($calls | Where-Object { $_.GetCommandName() -in $script:ModuleCommands })) {
                    $known = @((Get-Command $call.GetCommandName()).Parameters.Values | ForEach-Object { $_.Name; $_.Aliases })
                    foreach ($parameter in @($call.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] })) {
                        $candidates = @($known | Where-Object { $_ -like "$($parameter.ParameterName)*" })
                        ($parameter.ParameterName -in $candidates -or $candidates.Count -eq 1) | Should -BeTrue -Because "$($call.GetCommandName()) has no -$($parameter.ParameterName) (example:`n$code)"
                    }
                }
            }
        }
    }
}

Describe 'The help compiler' {
    It 'fails the build when a cmdlet or a parameter has no description, a page is missing, or examples are too few' {
        # The build's own inputs: the module's doc-comment XML, the help pages, the compiler (whichever configuration was built last).
        $compiler = Get-ChildItem -Path (Join-Path $script:RepoRoot 'tools/HelpCompiler/bin/*/net10.0/HelpCompiler.dll') |
            Sort-Object LastWriteTime | Select-Object -Last 1
        $compiler | Should -Not -BeNullOrEmpty -Because 'the build compiles tools/HelpCompiler'
        $configuration = $compiler.Directory.Parent.Name
        $obj = Join-Path $script:RepoRoot "src/ProfileJobs/obj/$configuration/netstandard2.0"
        $assembly = Join-Path $script:RepoRoot "src/ProfileJobs/bin/$configuration/netstandard2.0/ProfileJobs.dll"
        $compile = {
            param($docs, $pages, $output)
            $said = & dotnet $compiler.FullName --assembly $assembly --doc $docs --help-dir $pages --references (Join-Path $obj 'help-references.txt') --out $output 2>&1
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Text = ($said | Out-String) }
        }

        $docs = [xml](Get-Content -Raw -LiteralPath (Join-Path $obj 'ProfileJobs.xml'))
        $member = { param($id) $docs.doc.members.member | Where-Object name -EQ $id }
        $batch = & $member 'P:ProfileJobs.Commands.NewProfileDeleteJobCommand.BatchId'
        $null = $batch.RemoveChild($batch.SelectSingleNode('summary'))
        $quotaSummary = (& $member 'T:ProfileJobs.Commands.GetHygieneQuotaCommand').SelectSingleNode('summary')
        foreach ($para in @($quotaSummary.SelectNodes("para[@type='synopsis']"))) { $null = $quotaSummary.RemoveChild($para) }
        $brokenDocs = Join-Path $TestDrive 'ProfileJobs.xml'
        $docs.Save($brokenDocs)

        $pages = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'help')
        Get-ChildItem -Path (Join-Path $script:RepoRoot 'docs/help/*.md') | Where-Object Name -NE 'Get-ExperiencePlatformContext.md' |
            Copy-Item -Destination $pages
        # Wait-ProfileSystemJob gets a page with one example only.
        Set-Content -LiteralPath (Join-Path $pages 'Wait-ProfileSystemJob.md') -Value @(
            '# Wait-ProfileSystemJob', '', '## Examples', '', '### Wait', '', '```powershell', 'Wait-ProfileSystemJob -Id 66c676c5', '```', '',
            'Waits.', '', '## Outputs', '', '### ProfileJobs.ProfileSystemJob', '', 'The jobs.', '', '## Related links', '', '- Get-ProfileSystemJob', '')
        $output = Join-Path $TestDrive 'out/ProfileJobs.dll-Help.xml'

        $broken = & $compile $brokenDocs $pages.FullName $output

        $broken.ExitCode | Should -Be 1 -Because $broken.Text
        $broken.Text | Should -Match 'error HELP022: New-ProfileDeleteJob'
        $broken.Text | Should -Match '-BatchId has no description'
        $broken.Text | Should -Match 'error HELP020: Get-HygieneQuota'
        $broken.Text | Should -Match 'error HELP030: Get-ExperiencePlatformContext has no help page'
        $broken.Text | Should -Match ([regex]::Escape('error HELP032: Wait-ProfileSystemJob has 1 example(s)'))
        $output | Should -Not -Exist

        # The real sources compile.
        $real = & $compile (Join-Path $obj 'ProfileJobs.xml') (Join-Path $script:RepoRoot 'docs/help') $output
        $real.ExitCode | Should -Be 0 -Because $real.Text
        $output | Should -Exist
    }
}
