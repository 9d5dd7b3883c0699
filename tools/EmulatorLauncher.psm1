# Starts the local AEP emulator (src/ProfileJobs.Emulator) as a separate process on a free loopback port and talks to
# its control API (/__emulator/...). The one launcher of the repository: build.ps1's demo, the Pester suite and the
# benchmarks all start the emulator through Start-Emulator.

Set-StrictMode -Version Latest

$script:RepoRoot = Split-Path -Parent $PSScriptRoot

function Get-EmulatorPath {
    param([ValidateSet('Debug', 'Release')] [string] $Configuration = 'Release')
    $dll = Join-Path $script:RepoRoot "src/ProfileJobs.Emulator/bin/$Configuration/net10.0/ProfileJobs.Emulator.dll"
    if (-not (Test-Path -LiteralPath $dll)) {
        throw "The emulator is not built: $dll is missing. Run ./build.ps1 -Task Build first."
    }
    $dll
}

<#
.SYNOPSIS
    Starts the emulator and returns an object describing it (Uri, Mode, credentials it accepts, the process).
.PARAMETER Arguments
    Further emulator options, for example '--seed-jobs', '250', '--job-step-ms', '300'.
#>
function Start-Emulator {
    [CmdletBinding()]
    param(
        [ValidateSet('azure', 'aws', 'unified')] [string] $Mode = 'unified',
        [string[]] $Arguments = @(),
        [string] $ClientId = 'test-client',
        [string] $ClientSecret = 'test-secret-4f1c9a',
        [string] $OrgId = 'TESTORG0000000000000000@AdobeOrg',
        [string] $SandboxName = 'prod',
        [string] $SandboxId = '5b1c1b3a-0000-4000-8000-00000000e001',
        [ValidateSet('Debug', 'Release')] [string] $Configuration = 'Release',
        [int] $StartTimeoutSeconds = 30
    )
    $start = [Diagnostics.ProcessStartInfo]::new('dotnet')
    $all = @((Get-EmulatorPath -Configuration $Configuration), '--urls', 'http://127.0.0.1:0', '--exit-on-stdin-close',
        '--mode', $Mode, '--client-id', $ClientId, '--client-secret', $ClientSecret, '--org-id', $OrgId,
        '--sandbox-name', $SandboxName, '--sandbox-id', $SandboxId) + $Arguments
    foreach ($argument in $all) { $start.ArgumentList.Add([string]$argument) }
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    $process = [Diagnostics.Process]::Start($start)
    $stderr = $process.StandardError.ReadToEndAsync()
    $line = $process.StandardOutput.ReadLineAsync()
    if (-not $line.Wait([TimeSpan]::FromSeconds($StartTimeoutSeconds)) -or -not $line.Result -or -not $line.Result.StartsWith('LISTENING ')) {
        $said = if ($line.IsCompleted) { $line.Result } else { '(nothing within the timeout)' }
        if (-not $process.HasExited) { $process.Kill($true) }
        $null = $process.WaitForExit(5000)
        throw "The emulator did not start: stdout '$said', stderr '$(if ($stderr.IsCompleted) { $stderr.Result })'"
    }
    [pscustomobject]@{
        PSTypeName   = 'ProfileJobs.Testing.Emulator'
        Uri          = $line.Result.Substring('LISTENING '.Length).Trim().TrimEnd('/') + '/'
        Mode         = $Mode
        ClientId     = $ClientId
        ClientSecret = $ClientSecret
        OrgId        = $OrgId
        SandboxName  = $SandboxName
        SandboxId    = $SandboxId
        Process      = $process
        StandardError = $stderr
    }
}

function Stop-Emulator {
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] $Emulator)
    process {
        if (-not $Emulator) { return }
        try {
            $Emulator.Process.StandardInput.Close()
            if (-not $Emulator.Process.WaitForExit(5000)) { $Emulator.Process.Kill($true) }
        }
        catch [System.InvalidOperationException] { }
        $Emulator.Process.Dispose()
    }
}

<#
.SYNOPSIS
    Connect-ExperiencePlatform to the emulator with the credential it accepts; the sandbox by name, or by id on aws.
.PARAMETER Parameters
    Further parameters for Connect-ExperiencePlatform, which win over the defaults here.
#>
function Connect-Emulator {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Emulator,
        [hashtable] $Parameters = @{}
    )
    $connect = @{
        ClientId     = $Emulator.ClientId
        ClientSecret = (ConvertTo-SecureString $Emulator.ClientSecret -AsPlainText -Force)
        OrgId        = $Emulator.OrgId
        PlatformUri  = $Emulator.Uri
        ImsUri       = $Emulator.Uri
        PassThru     = $true
    }
    if ($Emulator.Mode -eq 'aws') { $connect.SandboxId = $Emulator.SandboxId } else { $connect.Sandbox = $Emulator.SandboxName }
    foreach ($key in $Parameters.Keys) { $connect[$key] = $Parameters[$key] }
    Connect-ExperiencePlatform @connect
}

function Invoke-EmulatorControl {
    param(
        [Parameter(Mandatory)] $Emulator,
        [Parameter(Mandatory)] [string] $Path,
        [string] $Method = 'GET',
        $Body
    )
    $request = @{ Uri = "$($Emulator.Uri)__emulator/$Path"; Method = $Method; TimeoutSec = 30 }
    if ($PSBoundParameters.ContainsKey('Body')) {
        $request.Body = if ($Body -is [string]) { $Body } else { ConvertTo-Json -InputObject $Body -Depth 10 -Compress }
        $request.ContentType = 'application/json'
    }
    Invoke-RestMethod @request
}

# The position of the request log's next entry: pass it to Get-EmulatorRequest -Since to see what came after.
function Get-EmulatorLogPosition {
    param([Parameter(Mandatory)] $Emulator)
    (Invoke-EmulatorControl $Emulator 'requests?since=0').next
}

<#
.SYNOPSIS
    The requests the emulator received since a log position; -Api leaves out IMS token requests.
#>
function Get-EmulatorRequest {
    param(
        [Parameter(Mandatory)] $Emulator,
        [long] $Since = 0,
        [switch] $Api
    )
    $requests = @((Invoke-EmulatorControl $Emulator "requests?since=$Since").requests)
    if ($Api) { $requests = @($requests | Where-Object { -not $_.path.StartsWith('/ims/') }) }
    , $requests
}

# Fault rules (docs/emulator.md, "Fault injection"): hashtables or a JSON string; replaces the current set.
function Set-EmulatorFault {
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] $Rules)
    $body = if ($Rules -is [string]) { $Rules } else { ConvertTo-Json -InputObject @($Rules) -Depth 5 -Compress }
    $null = Invoke-EmulatorControl $Emulator 'faults' -Method POST -Body $body
}

# The value the request log's clientSecretSha256 holds for a request that carried this client_secret.
function Get-EmulatorSecretHash {
    param([Parameter(Mandatory)] [string] $Secret)
    [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($Secret))).ToLowerInvariant()
}

<#
.SYNOPSIS
    The logged requests (since a log position) that carried one of the given credentials: the client secret as a
    form field or query parameter (by its hash), the access token in Authorization, or the API key in x-api-key.
    Nothing returned means none of them reached this emulator.
#>
function Find-EmulatorCredential {
    param(
        [Parameter(Mandatory)] $Emulator,
        [long] $Since = 0,
        [string] $Secret,
        [string] $Token,
        [string] $ApiKey
    )
    $hash = if ($Secret) { Get-EmulatorSecretHash $Secret }
    $found = foreach ($request in (Get-EmulatorRequest $Emulator -Since $Since)) {
        $headers = $request.headers
        $authorization = if ($headers.PSObject.Properties['authorization']) { $headers.authorization }
        $key = if ($headers.PSObject.Properties['x-api-key']) { $headers.'x-api-key' }
        if (($hash -and $request.clientSecretSha256 -eq $hash) -or
            ($Token -and $authorization -and $authorization.Contains($Token)) -or
            ($ApiKey -and $key -eq $ApiKey)) {
            $request
        }
    }
    , @($found)
}

function Clear-EmulatorFault {
    param([Parameter(Mandatory)] $Emulator)
    $null = Invoke-EmulatorControl $Emulator 'faults' -Method DELETE
}

# Revokes every token issued so far: the next platform call gets 401.
function Revoke-EmulatorToken {
    param([Parameter(Mandatory)] $Emulator)
    (Invoke-EmulatorControl $Emulator 'tokens/expire' -Method POST -Body @{}).expired
}

function Register-EmulatorDataset {
    param(
        [Parameter(Mandatory)] $Emulator,
        [Parameter(Mandatory)] [string] $Id,
        [ValidateSet('record', 'timeseries')] [string] $Behavior = 'timeseries',
        [switch] $Fail,
        [string[]] $Batch,
        [string] $Name,
        [switch] $NoIdentity
    )
    $body = @{ id = $Id; behavior = $Behavior; fail = [bool]$Fail; identity = -not $NoIdentity }
    if ($Batch) { $body.batches = @($Batch) }
    if ($Name) { $body.name = $Name }
    Invoke-EmulatorControl $Emulator 'datasets' -Method POST -Body $body
}

# What the emulator holds: system jobs (every partition, deleted ones too), privacy jobs, work orders.
function Get-EmulatorJob {
    param([Parameter(Mandatory)] $Emulator, [switch] $IncludeDeleted)
    $jobs = @((Invoke-EmulatorControl $Emulator 'jobs').jobs)
    if (-not $IncludeDeleted) { $jobs = @($jobs | Where-Object { -not $_.deleted }) }
    , $jobs
}

function Get-EmulatorPrivacyJob {
    param([Parameter(Mandatory)] $Emulator)
    , @((Invoke-EmulatorControl $Emulator 'privacy-jobs').jobs)
}

function Get-EmulatorWorkOrder {
    param([Parameter(Mandatory)] $Emulator, [switch] $NoIdentities)
    $query = if ($NoIdentities) { 'workorders?identities=false' } else { 'workorders' }
    , @((Invoke-EmulatorControl $Emulator $query).workorders)
}

# Clears jobs, tokens, the request log, datasets, privacy jobs, work orders and quota use, then reseeds.
function Reset-Emulator {
    param([Parameter(Mandatory)] $Emulator)
    $null = Invoke-EmulatorControl $Emulator 'reset' -Method POST -Body @{}
}

Export-ModuleMember -Function Get-EmulatorPath, Start-Emulator, Stop-Emulator, Connect-Emulator, Invoke-EmulatorControl,
    Get-EmulatorLogPosition, Get-EmulatorRequest, Set-EmulatorFault, Clear-EmulatorFault, Revoke-EmulatorToken,
    Get-EmulatorSecretHash, Find-EmulatorCredential,
    Register-EmulatorDataset, Get-EmulatorJob, Get-EmulatorPrivacyJob, Get-EmulatorWorkOrder, Reset-Emulator
