<#
.SYNOPSIS
    Azure Automation runbook: deletes the Real-Time Customer Profile data of one or more datasets, waits for the
    delete jobs, writes one summary per dataset and fails the Automation job if any delete failed.

.DESCRIPTION
    Meant for a nightly schedule in an Azure Automation account that has the ProfileJobs module imported (the
    ProfileJobs-<version>.zip made by `build.ps1 -Task Package`). Runs on the PowerShell 7.x and 5.1 runtimes.

    Credentials. In Azure Automation the runbook reads the credential asset named by -CredentialName with
    Get-AutomationPSCredential: its user name is the Adobe OAuth server-to-server client id, its password the
    client secret. Outside Azure Automation, where Get-AutomationPSCredential does not exist, it reads the
    environment variables AEP_CLIENT_ID and AEP_CLIENT_SECRET instead (and AEP_ORG_ID when -OrgId is not given),
    so the same script can be tried from pwsh or a CI job.

    It never prompts: the deletes run with -Force, every missing input is an error. It connects once, keeps the
    connection in $ctx and passes -Context $ctx to every later command, because Azure Automation can run several
    jobs side by side in one process and a session default is not a safe place for a connection. All deletes are
    created first and then waited for together, so the run takes about as long as the slowest dataset.

    Output: one object per dataset with DatasetId, Status (Succeeded, Failed, TimedOut or NotCreated), JobId,
    RecordsProcessed and Message. The errors of failed deletes also go to the error stream. If any dataset did not end Succeeded, the
    runbook throws at the end, so the Automation job ends as Failed (and `pwsh -File` exits with code 1).

.PARAMETER CredentialName
    The Azure Automation credential asset that holds the client id (user name) and client secret (password).
    Ignored outside Azure Automation, where AEP_CLIENT_ID and AEP_CLIENT_SECRET are read instead.

.PARAMETER OrgId
    The IMS organization id (…@AdobeOrg). Defaults to the AEP_ORG_ID environment variable.

.PARAMETER Sandbox
    The sandbox whose profile data is deleted. Default: prod.

.PARAMETER DatasetId
    The datasets whose profile data is deleted. Several ids may also be given as one comma-separated string, as
    the Azure portal's parameter form and `pwsh -File` pass them.

.PARAMETER TimeoutSeconds
    How long to wait for the delete jobs, in seconds (at most 10800: an Azure Automation job stops after 3 hours).
    Jobs still running then are reported as TimedOut; they keep running on the platform. Default: 3600.

.PARAMETER PollingIntervalSeconds
    Seconds between status checks while waiting. Default: 30.

.PARAMETER PlatformUri
    Another platform API base URL (a test server such as the project's emulator). Default: Adobe's.

.PARAMETER ImsUri
    Another IMS token service base URL. Default: Adobe's.

.EXAMPLE
    In the Azure portal: Automation account > Runbooks > Invoke-NightlyProfileCleanup > Start (or link a schedule),
    with ORGID = 1234567890ABCDEF@AdobeOrg and DATASETID = 65f0c0ffee0000000000b001,65f0c0ffee0000000000b002.
    The credential asset 'AEP-ServerToServer' holds the client id as user name and the client secret as password.

.EXAMPLE
    $env:AEP_CLIENT_ID = '<client id>'; $env:AEP_CLIENT_SECRET = '<client secret>'
    pwsh -File ./Invoke-NightlyProfileCleanup.ps1 -OrgId 1234567890ABCDEF@AdobeOrg -Sandbox dev -DatasetId 65f0c0ffee0000000000b001

    Outside Azure Automation: the credential comes from the environment variables.
#>
[CmdletBinding()]
[OutputType([pscustomobject])]
param(
    [string] $CredentialName = 'AEP-ServerToServer',
    [string] $OrgId,
    [string] $Sandbox = 'prod',
    [string[]] $DatasetId,
    [ValidateRange(1, 10800)]
    [int] $TimeoutSeconds = 3600,
    [ValidateRange(0.1, 3600)]
    [double] $PollingIntervalSeconds = 30,
    [string] $PlatformUri,
    [string] $ImsUri
)

$ErrorActionPreference = 'Stop'
# On Azure Automation's PowerShell 7 runtimes preferences must be set in the script; progress records from the
# wait would only fill the job's streams.
$ProgressPreference = 'SilentlyContinue'

$datasets = @(foreach ($value in $DatasetId) { foreach ($id in ($value -split '[,;\s]+')) { if ($id) { $id } } })
if ($datasets.Count -eq 0) { throw 'No dataset to clean up: give -DatasetId with one or more dataset ids.' }
if (-not $OrgId) { $OrgId = $env:AEP_ORG_ID }
if (-not $OrgId) { throw 'No organization: give -OrgId (or, outside Azure Automation, set AEP_ORG_ID).' }

Import-Module ProfileJobs -ErrorAction Stop

if (Get-Command -Name Get-AutomationPSCredential -ErrorAction SilentlyContinue) {
    $credential = Get-AutomationPSCredential -Name $CredentialName
    if (-not $credential) { throw "The Automation account has no credential asset named '$CredentialName'." }
}
else {
    if (-not $env:AEP_CLIENT_ID -or -not $env:AEP_CLIENT_SECRET) {
        throw 'Not running in Azure Automation (no Get-AutomationPSCredential), and AEP_CLIENT_ID and AEP_CLIENT_SECRET are not both set.'
    }
    $secret = ConvertTo-SecureString $env:AEP_CLIENT_SECRET -AsPlainText -Force
    $credential = [pscredential]::new($env:AEP_CLIENT_ID, $secret)
}

$connect = @{ Credential = $credential; OrgId = $OrgId; Sandbox = $Sandbox; PassThru = $true }
if ($PlatformUri) { $connect.PlatformUri = $PlatformUri }
if ($ImsUri) { $connect.ImsUri = $ImsUri }
$ctx = Connect-ExperiencePlatform @connect

try {
    # Created together, waited for together. Failures are collected (and still shown) instead of stopping the run,
    # so that every dataset gets its summary.
    $jobErrors = @()
    $jobs = @($datasets | New-ProfileDeleteJob -Context $ctx -Force -Wait -Timeout $TimeoutSeconds `
            -PollingInterval $PollingIntervalSeconds -ErrorAction Continue -ErrorVariable jobErrors)

    $notSucceeded = [System.Collections.Generic.List[string]]::new()
    foreach ($id in $datasets) {
        $job = $null
        foreach ($candidate in $jobs) { if ($candidate.DatasetId -eq $id) { $job = $candidate } }
        $messages = @(foreach ($record in $jobErrors) {
                $target = $record.TargetObject
                $about = if ($target -is [string]) { $target -eq $id } else { $null -ne $target -and $target.DatasetId -eq $id }
                if ($about) { $record.Exception.Message }
            })
        $status = if (-not $job) { 'NotCreated' }
                  elseif ("$($job.State)" -eq 'Succeeded') { 'Succeeded' }
                  elseif ("$($job.State)" -eq 'Failed') { 'Failed' }
                  else { 'TimedOut' }
        $message = if ($messages.Count -gt 0) { $messages -join ' ' }
                   elseif ($job) { "API status $($job.Status)" }
                   else { 'No job was created.' }
        if ($status -ne 'Succeeded') { $notSucceeded.Add("$id $status ($message)") }
        # Five properties, so a console shows it as a list, written at once (a table would wait for the end of
        # the script and be lost to the final throw). Azure Automation records each object as it is written.
        [pscustomobject]@{
            DatasetId        = $id
            Status           = $status
            JobId            = if ($job) { $job.Id } else { $null }
            RecordsProcessed = if ($job) { $job.RecordsProcessed } else { $null }
            Message          = $message
        }
    }
}
finally {
    Disconnect-ExperiencePlatform -Context $ctx
}

if ($notSucceeded.Count -gt 0) {
    # Thrown, not 'exit 1': only a terminating error makes the Azure Automation job end as Failed.
    throw "Profile cleanup failed for $($notSucceeded.Count) of $($datasets.Count) datasets: $($notSucceeded -join '; ')"
}
