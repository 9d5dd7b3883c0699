# Dot-sourced by every Pester file's BeforeAll: imports the built module and the emulator launcher.
# The module comes from $env:PROFILEJOBS_MODULE_PATH (set by build.ps1 -Task Test) or out/ProfileJobs.

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:ModulePath = if ($env:PROFILEJOBS_MODULE_PATH) { $env:PROFILEJOBS_MODULE_PATH } else { Join-Path $script:RepoRoot 'out/ProfileJobs' }
Import-Module (Join-Path $script:ModulePath 'ProfileJobs.psd1') -Force -ErrorAction Stop
Import-Module (Join-Path $script:RepoRoot 'tools/EmulatorLauncher.psm1') -Force -ErrorAction Stop

# A dataset id no other test uses.
function New-TestDatasetId { [guid]::NewGuid().ToString('N').Substring(0, 24) }

# Runs pwsh in a new process, as a user or a scheduler starts it (same pwsh as this one: pwsh itself, or `dotnet
# pwsh.dll` for the .NET tool), and returns ExitCode, StdOut and StdErr. -Environment sets variables for that process
# only; a $null value removes one. -WorkingDirectory defaults to the repository root.
function Invoke-Pwsh {
    param(
        [Parameter(Mandatory)] [string[]] $ArgumentList,
        [hashtable] $Environment = @{},
        [string] $WorkingDirectory = $script:RepoRoot,
        [int] $TimeoutSeconds = 120
    )
    $self = [Environment]::ProcessPath
    $start = [Diagnostics.ProcessStartInfo]::new($self)
    if ([IO.Path]::GetFileNameWithoutExtension($self) -ne 'pwsh') { $start.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
    foreach ($argument in @('-NoProfile', '-NonInteractive') + $ArgumentList) { $start.ArgumentList.Add($argument) }
    # Plain text, as a log or a file receives it.
    $start.Environment['NO_COLOR'] = '1'
    $start.Environment['TERM'] = 'dumb'
    foreach ($name in $Environment.Keys) {
        if ($null -eq $Environment[$name]) { $null = $start.Environment.Remove($name) } else { $start.Environment[$name] = [string]$Environment[$name] }
    }
    $start.WorkingDirectory = $WorkingDirectory
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    $process = [Diagnostics.Process]::Start($start)
    try {
        $process.StandardInput.Close()
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
            $process.Kill($true)
            throw "pwsh $($ArgumentList -join ' ') did not finish within $TimeoutSeconds s: $($stdout.Result) $($stderr.Result)"
        }
        $process.WaitForExit()
        [pscustomobject]@{ ExitCode = $process.ExitCode; StdOut = $stdout.Result; StdErr = $stderr.Result }
    }
    finally { $process.Dispose() }
}

# JSON with every object's properties sorted by name and no white space, so two bodies compare structurally with
# Should -Be (property order and formatting ignored, array order kept).
function ConvertTo-CanonicalJson {
    param([Parameter(Mandatory, ValueFromPipeline)] [AllowEmptyString()] [string] $Json)
    process {
        $sort = {
            param($node)
            if ($node -is [Collections.IDictionary]) {
                $sorted = [ordered]@{}
                foreach ($key in @($node.Keys | Sort-Object -CaseSensitive)) { $sorted[$key] = & $sort $node[$key] }
                $sorted
            }
            elseif ($node -is [Collections.IList]) { , @(foreach ($item in $node) { & $sort $item }) }
            else { $node }
        }
        ConvertTo-Json -InputObject (& $sort (ConvertFrom-Json -InputObject $Json -AsHashtable -NoEnumerate)) -Depth 20 -Compress
    }
}

# The AEP_* variables Connect-ExperiencePlatform -FromEnvironment reads, for this emulator: for child pwsh processes.
function Get-EmulatorEnvironment {
    param([Parameter(Mandatory)] $Emulator)
    $environment = @{
        AEP_CLIENT_ID     = $Emulator.ClientId
        AEP_CLIENT_SECRET = $Emulator.ClientSecret
        AEP_ORG_ID        = $Emulator.OrgId
        AEP_PLATFORM_URI  = $Emulator.Uri
        AEP_IMS_URI       = $Emulator.Uri
        AEP_SANDBOX_NAME  = $null
        AEP_SANDBOX_ID    = $null
        AEP_ACCESS_TOKEN  = $null
        AEP_API_KEY       = $null
    }
    if ($Emulator.Mode -eq 'aws') { $environment.AEP_SANDBOX_ID = $Emulator.SandboxId } else { $environment.AEP_SANDBOX_NAME = $Emulator.SandboxName }
    $environment
}

# A single-quoted PowerShell literal of -Text, for scripts given to Invoke-Pwsh.
function ConvertTo-QuotedString([string] $Text) { "'" + $Text.Replace("'", "''") + "'" }
