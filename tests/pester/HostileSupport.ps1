# Dot-sourced by the hostile-server tests (after TestSupport.ps1): a free loopback port (nothing listens there), and
# pipelines run in a second runspace so a test can stop them (Ctrl+C) or act on their context (Disconnect) while they
# run and then read all they wrote.

function Get-FreeLoopbackPort {
    $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $probe.Start()
    try { $probe.LocalEndpoint.Port } finally { $probe.Stop() }
}

<#
.SYNOPSIS
    Runs -Script in a new runspace that has the module imported, without waiting: returns the PowerShell object (to
    Stop() it, as Ctrl+C does, or to read its streams) and the collection its output goes to.
#>
function Start-HostedPipeline {
    param(
        [Parameter(Mandatory)] [string] $Script,
        [hashtable] $Variables = @{}
    )
    $ps = New-ModulePowerShell
    foreach ($name in $Variables.Keys) { $ps.Runspace.SessionStateProxy.SetVariable($name, $Variables[$name]) }
    $null = $ps.AddScript($Script)
    $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
    $handle = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]::new(), $output)
    [pscustomobject]@{ PowerShell = $ps; Handle = $handle; Output = $output }
}

# Waits for the pipeline to end (it may have been stopped) and returns what it wrote, its warnings and its errors.
function Complete-HostedPipeline {
    param([Parameter(Mandatory)] $Pipeline, [int] $TimeoutSeconds = 60)
    $finished = $Pipeline.Handle.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds($TimeoutSeconds))
    $terminating = $null
    if ($finished) {
        try { $null = $Pipeline.PowerShell.EndInvoke($Pipeline.Handle) } catch { $terminating = $_.Exception.InnerException ?? $_.Exception }
    }
    $result = [pscustomobject]@{
        Finished    = $finished
        Output      = @($Pipeline.Output)
        Warnings    = @($Pipeline.PowerShell.Streams.Warning | ForEach-Object { $_.Message })
        Errors      = @($Pipeline.PowerShell.Streams.Error)
        Terminating = $terminating
    }
    $Pipeline.PowerShell.Runspace.Dispose()
    $Pipeline.PowerShell.Dispose()
    $result
}

# Polls -Condition until it is true or the timeout passes; returns whether it became true.
function Wait-Until {
    param([Parameter(Mandatory)] [scriptblock] $Condition, [int] $TimeoutSeconds = 30)
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ([DateTime]::UtcNow -lt $deadline) {
        if (& $Condition) { return $true }
        Start-Sleep -Milliseconds 100
    }
    $false
}
