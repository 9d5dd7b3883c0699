<#
.SYNOPSIS
    Deletes the customers listed in a CSV file through the Data Hygiene API, and waits for the result.
.DESCRIPTION
    The CSV has the columns Key, Namespace, Value and Type (Type may be empty: standard for the standard
    namespaces such as email, phone and ECID, custom otherwise). Rows with the same Key are one customer; a row
    without a Key is a customer of its own. Invalid rows are reported and skipped; everything else is sent.
    Without -DatasetId the record-delete jobs API is used; with -DatasetId (a dataset id or ALL), work orders.
.PARAMETER Path
    The CSV file.
.PARAMETER DatasetId
    Send work orders for this dataset (or ALL) instead of record-delete jobs.
.PARAMETER TimeoutSeconds
    How long to wait for the deletes to finish.
.PARAMETER Context
    The connection to use; by default the session's (Connect-ExperiencePlatform).
.EXAMPLE
    Connect-ExperiencePlatform -FromEnvironment
    ./Remove-CustomersFromCsv.ps1 -Path ./data/customers.csv -DatasetId ALL
#>
param(
    [Parameter(Mandatory)] [string] $Path,
    [string] $DatasetId,
    [int] $TimeoutSeconds = 3600,
    [double] $PollingIntervalSeconds = 30,
    $Context
)

$ErrorActionPreference = 'Continue'
$common = @{ Force = $true; ErrorVariable = 'rejected'; ErrorAction = 'SilentlyContinue' }
if ($Context) { $common.Context = $Context }
if ($DatasetId) { $common.DatasetId = $DatasetId }

$submitted = @(Import-Csv -LiteralPath $Path | New-HygieneRecordDelete @common)
foreach ($problem in $rejected) { "rejected: $($problem.TargetObject): $($problem.Exception.Message)" }

$waitArguments = @{ Timeout = $TimeoutSeconds; PollingInterval = $PollingIntervalSeconds; ErrorVariable = 'failed'; ErrorAction = 'SilentlyContinue' }
if ($Context) { $waitArguments.Context = $Context }
$final = $submitted | Wait-HygieneRecordDelete @waitArguments
foreach ($item in $final) {
    $id = if ($item.WorkOrderId) { $item.WorkOrderId } else { "$($item.JobId) ($($item.UserKey))" }
    "$($item.State): $id"
}
"submitted $($submitted.Count), rejected $($rejected.Count), failed $($failed.Count)"
if ($failed.Count -gt 0) { exit 1 }
