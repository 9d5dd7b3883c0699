<#
.SYNOPSIS
    A short tour of ProfileJobs against the local AEP emulator.
.DESCRIPTION
    Started by `build.ps1 -Task Demo`, which builds the module, starts the emulator with its default
    credentials and passes its URL here.
#>
param(
    [Parameter(Mandatory)] [string] $PlatformUri,
    [string] $ModulePath = 'ProfileJobs',
    # The emulator's default credential; pass your own to point the tour at another emulator.
    [string] $ClientId = 'emulator-client',
    [string] $ClientSecret = 'emulator-secret',
    [string] $OrgId = 'EMULATOR00000000000000000@AdobeOrg'
)

$ErrorActionPreference = 'Stop'
Import-Module $ModulePath

# Each result goes through Out-Default before the next heading, so headings and tables appear in order.
function Step([string] $text) { Write-Host "`n# $text" }

Step 'Connect with an OAuth server-to-server credential (the emulator''s defaults)'
$secret = ConvertTo-SecureString $ClientSecret -AsPlainText -Force
Connect-ExperiencePlatform -ClientId $ClientId -ClientSecret $secret -OrgId $OrgId `
    -Sandbox prod -PlatformUri $PlatformUri -ImsUri $PlatformUri -PassThru | Out-Default

Step 'List every profile system job (all pages are followed)'
Get-ProfileSystemJob | Out-Default

Step 'Only the finished ones'
Get-ProfileSystemJob -Status Succeeded | Out-Default

Step 'What would a dataset delete do? (-WhatIf sends nothing)'
New-ProfileDeleteJob -DatasetId 5c8c3c555033b814b69f947f -WhatIf

Step 'Delete a dataset''s profile data and wait for the job to finish'
$job = New-ProfileDeleteJob -DatasetId 5c8c3c555033b814b69f947f -Force -Wait -PollingInterval 0.5 -Timeout 60
$job | Out-Default
"State: $($job.State); records processed: $($job.RecordsProcessed)" | Out-Default

Step 'Errors are specific and do not stop the pipeline'
Get-ProfileSystemJob -Id 'no-such-job', $job.Id -ErrorAction Continue -ErrorVariable notFound | Out-Default
"Error id: $($notFound[0].FullyQualifiedErrorId)" | Out-Default

Disconnect-ExperiencePlatform
