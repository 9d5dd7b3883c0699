# Dot-sourced by the hostile-server tests (after TestSupport.ps1): a stand-in server that answers every request with
# a redirect, a free loopback port, and pipelines run in a second runspace so a test can stop them (Ctrl+C) or act on
# their context (Disconnect) while they run.

function Get-FreeLoopbackPort {
    $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $probe.Start()
    try { $probe.LocalEndpoint.Port } finally { $probe.Stop() }
}

<#
.SYNOPSIS
    Starts an HTTP server on loopback that answers every request with -Status (a redirect by default) whose Location
    is -RedirectTo plus the request's path and query, and records what it received.
#>
function Start-RedirectServer {
    param(
        [Parameter(Mandatory)] [string] $RedirectTo,
        [int] $Status = 307
    )
    $uri = "http://127.0.0.1:$(Get-FreeLoopbackPort)/"
    $listener = [System.Net.HttpListener]::new()
    $listener.Prefixes.Add($uri)
    $listener.Start()
    $received = [System.Collections.Concurrent.ConcurrentQueue[object]]::new()
    $job = Start-ThreadJob -ArgumentList $listener, $received, $RedirectTo, $Status -ScriptBlock {
        param($listener, $received, $redirectTo, $status)
        while ($listener.IsListening) {
            try { $context = $listener.GetContext() } catch { break }
            $request = $context.Request
            $body = [IO.StreamReader]::new($request.InputStream).ReadToEnd()
            $headers = @{}
            foreach ($name in $request.Headers.AllKeys) { $headers[$name] = $request.Headers[$name] }
            $received.Enqueue([pscustomobject]@{ Method = $request.HttpMethod; Path = $request.Url.PathAndQuery; Headers = $headers; Body = $body })
            $context.Response.StatusCode = $status
            $context.Response.RedirectLocation = $redirectTo.TrimEnd('/') + $request.Url.PathAndQuery
            $context.Response.Close()
        }
    }
    [pscustomobject]@{ Uri = $uri; Listener = $listener; Received = $received; Job = $job }
}

function Stop-RedirectServer {
    param([Parameter(Mandatory)] $Server)
    $Server.Listener.Stop()
    $Server.Listener.Close()
    $null = $Server.Job | Wait-Job -Timeout 10
    $Server.Job | Remove-Job -Force
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
    $ps = [powershell]::Create()
    $null = $ps.AddCommand('Import-Module').AddParameter('Name', (Join-Path $script:ModulePath 'ProfileJobs.psd1')).Invoke()
    $ps.Commands.Clear()
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
