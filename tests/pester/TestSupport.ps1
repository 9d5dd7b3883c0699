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
# only; a $null value removes one. -WorkingDirectory defaults to the repository root. -Answer lines are typed on its
# standard input (at its prompts; -Interactive leaves out -NonInteractive so that it does prompt).
function Invoke-Pwsh {
    param(
        [Parameter(Mandatory)] [string[]] $ArgumentList,
        [hashtable] $Environment = @{},
        [string] $WorkingDirectory = $script:RepoRoot,
        [string[]] $Answer = @(),
        [switch] $Interactive,
        [int] $TimeoutSeconds = 120
    )
    $self = [Environment]::ProcessPath
    $start = [Diagnostics.ProcessStartInfo]::new($self)
    if ([IO.Path]::GetFileNameWithoutExtension($self) -ne 'pwsh') { $start.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
    $options = @(if ($Interactive) { '-NoProfile' } else { '-NoProfile', '-NonInteractive' })
    foreach ($argument in $options + $ArgumentList) { $start.ArgumentList.Add($argument) }
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
        foreach ($line in $Answer) { $process.StandardInput.WriteLine($line) }
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

# Runs a script block here, inside a transcript, and returns what a user would have seen from it: the objects
# (Output), each stream's records, and HostText, what went straight to the host (-WhatIf lines). A terminating error
# ends the block and is among the Errors (and in Terminating). Shown is all of it as text, error records as pwsh
# prints them plus their exceptions and details, for "never shows a secret" checks.
function Invoke-Captured {
    param([Parameter(Mandatory)] [scriptblock] $ScriptBlock)
    $ErrorActionPreference = 'Continue'
    $transcript = [IO.Path]::GetTempFileName()
    $records = [Collections.Generic.List[object]]::new()
    $terminating = $null
    $null = Start-Transcript -LiteralPath $transcript -UseMinimalHeader
    try { & $ScriptBlock *>&1 | ForEach-Object { $records.Add($_) } }
    catch { $terminating = $_; $records.Add($_) }
    finally { $null = Stop-Transcript }
    $hostText = [IO.File]::ReadAllText($transcript)
    [IO.File]::Delete($transcript)
    $streams = [ordered]@{ Output = @(); Errors = @(); Warnings = @(); Verbose = @(); Debug = @(); Information = @() }
    foreach ($record in $records) {
        $stream = switch ($record) {
            { $_ -is [Management.Automation.ErrorRecord] } { 'Errors'; break }
            { $_ -is [Management.Automation.WarningRecord] } { 'Warnings'; break }
            { $_ -is [Management.Automation.VerboseRecord] } { 'Verbose'; break }
            { $_ -is [Management.Automation.DebugRecord] } { 'Debug'; break }
            { $_ -is [Management.Automation.InformationRecord] } { 'Information'; break }
            default { 'Output' }
        }
        $streams[$stream] += , $record
    }
    $shown = @($hostText) + @($records | ForEach-Object {
            if ($_ -is [Management.Automation.ErrorRecord]) {
                ($_ | Out-String -Width 400), $_.Exception.ToString(), $_.ErrorDetails, $_.ErrorDetails.RecommendedAction
            }
            else { ($_ | Out-String -Width 400), "$_" }
        })
    [pscustomobject]@{
        Output      = $streams.Output
        Errors      = $streams.Errors
        Warnings    = @($streams.Warnings | ForEach-Object Message)
        Verbose     = @($streams.Verbose | ForEach-Object Message)
        Debug       = @($streams.Debug | ForEach-Object Message)
        Information = $streams.Information
        HostText    = $hostText
        Terminating = $terminating
        Shown       = $shown -join "`n"
    }
}

# A host that keeps what is written straight to it (as a console shows it), for a runspace stopped as Ctrl+C stops a
# command: once the pipeline is stopping, the host is the only place a warning can still reach.
if (-not ('ProfileJobsTests.RecordingHost' -as [type])) {
    Add-Type -TypeDefinition @'
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace ProfileJobsTests
{
    public sealed class RecordingHost : PSHost
    {
        private readonly RecordingUI _ui = new RecordingUI();
        private readonly Guid _id = Guid.NewGuid();
        public ConcurrentQueue<string> Warnings => _ui.Warnings;
        public ConcurrentQueue<string> Lines => _ui.Lines;
        public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
        public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
        public override Guid InstanceId => _id;
        public override string Name => "RecordingHost";
        public override PSHostUserInterface UI => _ui;
        public override Version Version => new Version(1, 0);
        public override void EnterNestedPrompt() => throw new NotSupportedException();
        public override void ExitNestedPrompt() => throw new NotSupportedException();
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
        public override void SetShouldExit(int exitCode) { }
    }

    public sealed class RecordingUI : PSHostUserInterface
    {
        public ConcurrentQueue<string> Warnings { get; } = new ConcurrentQueue<string>();
        public ConcurrentQueue<string> Lines { get; } = new ConcurrentQueue<string>();
        public override PSHostRawUserInterface RawUI => null;
        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => throw new NotSupportedException();
        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) => throw new NotSupportedException();
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new NotSupportedException();
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException();
        public override string ReadLine() => throw new NotSupportedException();
        public override SecureString ReadLineAsSecureString() => throw new NotSupportedException();
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Lines.Enqueue(value);
        public override void Write(string value) => Lines.Enqueue(value);
        public override void WriteDebugLine(string message) { }
        public override void WriteErrorLine(string value) => Lines.Enqueue(value);
        public override void WriteLine(string value) => Lines.Enqueue(value);
        public override void WriteProgress(long sourceId, ProgressRecord record) { }
        public override void WriteVerboseLine(string message) { }
        public override void WriteWarningLine(string message) => Warnings.Enqueue(message);
    }
}
'@
}

# A PowerShell in a runspace of its own (as a second pwsh session, a runbook job, or a thread of ForEach-Object
# -Parallel has) with the module imported; the caller disposes of it. -RunspaceHost gives it a host of its own.
function New-ModulePowerShell {
    param([Management.Automation.Host.PSHost] $RunspaceHost)
    $state = [Management.Automation.Runspaces.InitialSessionState]::CreateDefault2()
    $runspace = if ($RunspaceHost) { [runspacefactory]::CreateRunspace($RunspaceHost, $state) } else { [runspacefactory]::CreateRunspace($state) }
    $runspace.Open()
    $powershell = [powershell]::Create()
    $powershell.Runspace = $runspace
    $null = $powershell.AddCommand('Import-Module').AddParameter('Name', (Join-Path $script:ModulePath 'ProfileJobs.psd1')).AddParameter('ErrorAction', 'Stop')
    $null = $powershell.Invoke()
    $powershell.Commands.Clear()
    $powershell
}

# Runs a script in a new runspace (see New-ModulePowerShell) and returns its objects and streams, including Progress.
function Invoke-InNewRunspace {
    param([Parameter(Mandatory)] [scriptblock] $ScriptBlock, [hashtable] $Parameters = @{})
    $powershell = New-ModulePowerShell
    try {
        $null = $powershell.AddScript($ScriptBlock.ToString()).AddParameters($Parameters)
        $terminating = $null
        $output = try { $powershell.Invoke() } catch { $terminating = $_.Exception.InnerException; @() }
        [pscustomobject]@{
            Output      = @($output)
            Errors      = @($powershell.Streams.Error)
            Warnings    = @($powershell.Streams.Warning | ForEach-Object Message)
            Verbose     = @($powershell.Streams.Verbose | ForEach-Object Message)
            Progress    = @($powershell.Streams.Progress)
            Terminating = $terminating
        }
    }
    finally { $powershell.Runspace.Dispose(); $powershell.Dispose() }
}

# Starts a script in a new runspace, waits -After, then stops it as Ctrl+C stops a console command; returns whether it
# was still running when stopped, how long stopping took (Stop() until the pipeline had ended) and how it ended, and
# what a user saw: the objects written (Output), warnings (the stream's and those written to the host once the
# pipeline was stopping, together in Warnings) and errors.
function Invoke-AndStop {
    param([Parameter(Mandatory)] [scriptblock] $ScriptBlock, [hashtable] $Parameters = @{}, [Parameter(Mandatory)] [timespan] $After)
    $recording = [ProfileJobsTests.RecordingHost]::new()
    $powershell = New-ModulePowerShell -RunspaceHost $recording
    $output = [Management.Automation.PSDataCollection[psobject]]::new()
    try {
        $null = $powershell.AddScript($ScriptBlock.ToString()).AddParameters($Parameters)
        $async = $powershell.BeginInvoke([Management.Automation.PSDataCollection[psobject]]$null, $output)
        Start-Sleep -Milliseconds $After.TotalMilliseconds
        $runningWhenStopped = -not $async.IsCompleted
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $powershell.Stop()
        $ended = try { $null = $powershell.EndInvoke($async); $null } catch { $_.Exception.InnerException }
        $watch.Stop()
        [pscustomobject]@{
            RunningWhenStopped = $runningWhenStopped
            StopTook           = $watch.Elapsed
            EndedWith          = $ended
            Errors             = @($powershell.Streams.Error)
            Output             = @($output)
            Warnings           = @(@($powershell.Streams.Warning | ForEach-Object Message) + @($recording.Warnings))
        }
    }
    finally { $powershell.Runspace.Dispose(); $powershell.Dispose() }
}

# Runs a script in a new pwsh process the way a person at a console runs it: -Answer lines are typed at its prompts;
# -Parameters (serialized) are passed to the script block's param(). With -Emulator the module is imported and
# connected to it first; without, the process starts with nothing imported. Returns Text (everything the console showed: output, -WhatIf lines, prompts), Output (the
# script's objects, deserialized), Errors (the session's errors, deserialized) and ExitCode.
function Invoke-PwshSession {
    param(
        $Emulator,
        [Parameter(Mandatory)] [scriptblock] $ScriptBlock,
        [hashtable] $Parameters = @{},
        [string[]] $Answer = @(),
        [int] $TimeoutSeconds = 120
    )
    $work = Join-Path ([IO.Path]::GetTempPath()) "profilejobs-session-$([guid]::NewGuid().ToString('N'))"
    $null = New-Item -ItemType Directory -Path $work
    try {
        Export-Clixml -InputObject $Parameters -LiteralPath (Join-Path $work 'parameters.xml')
        $connect = if ($Emulator) {
            $emulatorFile = Join-Path $work 'emulator.json'
            $Emulator | Select-Object Uri, Mode, ClientId, ClientSecret, OrgId, SandboxName, SandboxId | ConvertTo-Json | Set-Content -LiteralPath $emulatorFile
            "Import-Module '$(Join-Path $script:ModulePath 'ProfileJobs.psd1')' -ErrorAction Stop"
            "Import-Module '$(Join-Path $script:RepoRoot 'tools/EmulatorLauncher.psm1')' -ErrorAction Stop"
            "`$null = Connect-Emulator (Get-Content -Raw -LiteralPath '$emulatorFile' | ConvertFrom-Json)"
        }
        $session = @(
            "`$ErrorActionPreference = 'Continue'"
            $connect
            "`$Error.Clear()"
            "`$sessionParameters = Import-Clixml -LiteralPath '$work/parameters.xml'"
            "& {`n$ScriptBlock`n} @sessionParameters | Tee-Object -Variable sessionOutput | Out-Default"
            "Export-Clixml -InputObject @(`$sessionOutput | Where-Object { `$null -ne `$_ }) -LiteralPath '$work/output.xml' -Depth 3"
            "`$sessionErrors = @(`$Error); [array]::Reverse(`$sessionErrors)"
            "Export-Clixml -InputObject `$sessionErrors -LiteralPath '$work/errors.xml' -Depth 3"
        ) -join "`n"
        $scriptFile = Join-Path $work 'session.ps1'
        Set-Content -LiteralPath $scriptFile -Value $session
        $run = Invoke-Pwsh -ArgumentList '-File', $scriptFile -Answer $Answer -TimeoutSeconds $TimeoutSeconds -Interactive
        $read = { param($name) $file = Join-Path $work $name; if (Test-Path -LiteralPath $file) { @(Import-Clixml -LiteralPath $file) } else { @() } }
        [pscustomobject]@{
            Text     = $run.StdOut + $run.StdErr
            Output   = & $read 'output.xml'
            Errors   = & $read 'errors.xml'
            ExitCode = $run.ExitCode
        }
    }
    finally { Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue }
}
