#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# The default table views (src/ProfileJobs/ProfileJobs.format.ps1xml) as a console shows them: at 80 columns the
# columns a user needs first, whole, and nothing cut; at 180 columns every column of the view; times in local time.
# A console lays tables out one column narrower than it is (pwsh keeps the last column free), so an 80-column console
# is Out-String -Width 79 here, and -Width 80 must show the same.

BeforeAll {
    . ([IO.Path]::Combine($PSScriptRoot, 'TestSupport.ps1'))

    # The lines a console -Columns wide shows for the objects, without trailing blanks or empty lines.
    function Get-RenderedLine {
        param([Parameter(Mandatory)] [object[]] $InputObject, [Parameter(Mandatory)] [int] $Columns)
        $render = { param($width) @(($InputObject | Out-String -Width $width) -split '\r?\n' | ForEach-Object TrimEnd | Where-Object { $_ }) }
        $lines = & $render ($Columns - 1)
        (& $render $Columns) -join "`n" | Should -BeExactly ($lines -join "`n")
        $lines
    }

    function Get-Header([string[]] $Lines) { @($Lines[0] -split '\s+' | Where-Object { $_ }) }

    # Nothing past the console's last free column, nothing shortened with an ellipsis, no header wrapped onto a second line.
    function Assert-Whole {
        param([string[]] $Lines, [int] $Columns)
        $Lines | Where-Object { $_.Length -ge $Columns } | Should -BeNullOrEmpty
        ($Lines -join "`n") | Should -Not -Match '…'
        $Lines[1] | Should -Match '^-[- ]*$'
    }

    $script:LocalMinute = { param($time) $time.LocalDateTime.ToString('yyyy-MM-dd HH:mm') }
}

Describe 'Default views' {
    BeforeAll {
        $emulator = Start-Emulator -Mode unified -Arguments '--seed-jobs', '30', '--job-step-ms', '300'
        $context = Connect-Emulator $emulator
    }

    AfterAll {
        Disconnect-ExperiencePlatform
        Stop-Emulator $emulator
    }

    Context 'ProfileJobs.ProfileSystemJob (Get-ProfileSystemJob)' {
        BeforeAll {
            $jobs = @(Get-ProfileSystemJob -First 12)
            $batchJob = $jobs | Where-Object BatchId | Select-Object -First 1
        }

        It 'shows Id, State, CreatedAt and the API status whole at 80 columns' {
            $lines = Get-RenderedLine $jobs -Columns 80

            Get-Header $lines | Should -Be 'Id', 'State', 'CreatedAt', 'Status'
            Assert-Whole $lines 80
            $lines.Count | Should -Be ($jobs.Count + 2)
            foreach ($job in $jobs) {
                $lines | Should -Contain ('{0} {1,-9} {2} {3}' -f $job.Id, $job.State, (& $LocalMinute $job.CreatedAt), $job.Status)
            }
        }

        It 'adds the type, the dataset and the batch at 180 columns' {
            $lines = Get-RenderedLine $jobs -Columns 180

            Get-Header $lines | Should -Be 'Id', 'State', 'CreatedAt', 'Status', 'Type', 'DatasetId', 'BatchId'
            Assert-Whole $lines 180
            $batchJob | Should -Not -BeNullOrEmpty
            $lines | Should -Contain ('{0} {1,-9} {2} {3,-15} {4,-16} {5,-24} {6}' -f $batchJob.Id, $batchJob.State,
                (& $LocalMinute $batchJob.CreatedAt), $batchJob.Status, $batchJob.Type, $batchJob.DatasetId, $batchJob.BatchId)
        }
    }

    Context 'ProfileJobs.ExperiencePlatformContext (Connect-ExperiencePlatform -PassThru, Get-ExperiencePlatformContext)' {
        It 'shows Sandbox, OrgId and Api whole at 80 columns, and nothing secret' {
            $lines = Get-RenderedLine $context -Columns 80

            Get-Header $lines | Should -Be 'Sandbox', 'OrgId', 'Api'
            Assert-Whole $lines 80
            $lines[2] | Should -Be ('{0,-36} {1,-34} {2}' -f 'prod', $emulator.OrgId, $context.ApiGeneration)
            ($lines -join "`n") | Should -Not -Match ([regex]::Escape($emulator.ClientSecret))
        }

        It 'adds when the token expires, the client id and the platform at 180 columns' {
            $lines = Get-RenderedLine $context -Columns 180

            Get-Header $lines | Should -Be 'Sandbox', 'OrgId', 'Api', 'TokenExpiresOn', 'ClientId', 'PlatformUri'
            Assert-Whole $lines 180
            $lines[2] | Should -Be ('{0,-36} {1,-34} {2,-7} {3} {4,-32} {5}' -f 'prod', $emulator.OrgId, $context.ApiGeneration,
                (& $LocalMinute $context.TokenExpiresOn), $emulator.ClientId, $emulator.Uri)
        }

        It 'shows an AWS sandbox id (a UUID) whole at 80 columns' {
            $aws = Start-Emulator -Mode aws
            try {
                $awsContext = Connect-Emulator $aws
                $lines = Get-RenderedLine $awsContext -Columns 80

                Assert-Whole $lines 80
                $lines[2] | Should -BeLike "$($aws.SandboxId) $($aws.OrgId)*"
            }
            finally {
                Stop-Emulator $aws
                # Connect made the AWS connection the default: the other tests use the unified emulator's.
                $null = Connect-Emulator $emulator
            }
        }
    }

    Context 'ProfileJobs.HygieneRecordDelete (New-, Get-, Wait-HygieneRecordDelete)' {
        BeforeAll {
            $created = @(New-HygieneRecordDelete -Key 'Jane Doe' -Namespace email -Value 'jane.doe@example.com' -Force) +
                @(New-HygieneRecordDelete -Key 'Jane Doe' -Namespace ECID -Value '73019271538296528733512917683204812256' -Force)
            $read = @($created | Get-HygieneRecordDelete)
        }

        It 'shows JobId, State and UserKey whole at 80 columns, also before the job was read' {
            foreach ($jobs in @(, $created) + @(, $read)) {
                $lines = Get-RenderedLine $jobs -Columns 80

                Get-Header $lines | Should -Be 'JobId', 'State', 'UserKey'
                Assert-Whole $lines 80
                foreach ($job in $jobs) { $lines | Should -Contain ('{0} {1,-9} {2}' -f $job.JobId, $job.State, $job.UserKey) }
            }
        }

        It 'adds the API status, CreatedAt, the request id and the identities at 180 columns' {
            $lines = Get-RenderedLine $read -Columns 180

            Get-Header $lines | Should -Be 'JobId', 'State', 'UserKey', 'Status', 'CreatedAt', 'RequestId', 'Identities'
            Assert-Whole $lines 180
            $job = $read[0]
            $lines | Should -Contain ('{0} {1,-9} {2,-32} {3,-10} {4} {5,-24} email:jane.doe@example.com' -f $job.JobId, $job.State, $job.UserKey,
                $job.Status, (& $LocalMinute $job.CreatedAt), $job.RequestId)
        }
    }

    Context 'ProfileJobs.HygieneWorkOrder (New-, Get-, Wait-HygieneRecordDelete)' {
        BeforeAll {
            # The command adds ' [pj-<16 hex>]', the submission's marker, to the name.
            $name = 'Views test: GDPR erasure ticket 4711 for EMEA'
            $orders = @(New-HygieneRecordDelete -Namespace email -Value 'a@example.com', 'b@example.com' -DatasetId ALL -DisplayName $name -Force)
            $orders += New-HygieneRecordDelete -Namespace email -Value 'c@example.com' -DatasetId 5c8c3c555033b814b69f947f -DisplayName 'one dataset' -Force
            $orders = @($orders | Get-HygieneRecordDelete)
        }

        It 'shows WorkOrderId, Status, Identities and CreatedAt whole at 80 columns' {
            $lines = Get-RenderedLine $orders -Columns 80

            Get-Header $lines | Should -Be 'WorkOrderId', 'Status', 'Identities', 'CreatedAt'
            Assert-Whole $lines 80
            foreach ($order in $orders) {
                $lines | Should -Contain ('{0,-39} {1,-10} {2,11} {3}' -f $order.WorkOrderId, $order.Status, $order.IdentityCount, (& $LocalMinute $order.CreatedAt))
            }
        }

        It 'adds the dataset and the display name at 180 columns' {
            $lines = Get-RenderedLine $orders -Columns 180

            Get-Header $lines | Should -Be 'WorkOrderId', 'Status', 'Identities', 'CreatedAt', 'DatasetId', 'DisplayName'
            Assert-Whole $lines 180
            $lines | Should -Contain ('{0,-39} {1,-10} {2,11} {3} {4,-24} {5}' -f $orders[0].WorkOrderId, $orders[0].Status, 2,
                (& $LocalMinute $orders[0].CreatedAt), 'ALL', $orders[0].DisplayName)
            $orders[0].DisplayName | Should -Match "^$([regex]::Escape($name)) \[pj-[0-9a-f]{16}\]$"
        }
    }

    Context 'ProfileJobs.HygieneQuota (Get-HygieneQuota)' {
        BeforeAll { $quotas = @(Get-HygieneQuota) }

        It 'shows Name, Consumed, Quota and Remaining whole at 80 columns' {
            $lines = Get-RenderedLine $quotas -Columns 80

            Get-Header $lines | Should -Be 'Name', 'Consumed', 'Quota', 'Remaining'
            Assert-Whole $lines 80
            foreach ($quota in $quotas) {
                $lines | Should -Contain ('{0,-40} {1,12} {2,12} {3,12}' -f $quota.Name, $quota.Consumed, $quota.Quota, $quota.Remaining)
            }
        }

        It 'adds the description at 180 columns' {
            $lines = Get-RenderedLine $quotas -Columns 180

            Get-Header $lines | Should -Be 'Name', 'Consumed', 'Quota', 'Remaining', 'Description'
            Assert-Whole $lines 180
            $lines | Should -Contain ('{0,-40} {1,12} {2,12} {3,12} {4}' -f $quotas[0].Name, $quotas[0].Consumed, $quotas[0].Quota, $quotas[0].Remaining, $quotas[0].Description)
        }
    }

    Context 'times in a time zone other than UTC' {
        It 'shows CreatedAt and TokenExpiresOn in local time (America/New_York) while the properties stay DateTimeOffset' {
            $job = Get-ProfileSystemJob -First 1
            $order = New-HygieneRecordDelete -Namespace email -Value 'tz@example.com' -DatasetId ALL -DisplayName 'tz' -Force | Get-HygieneRecordDelete
            $newYork = [TimeZoneInfo]::FindSystemTimeZoneById('America/New_York')
            $expected = { param($time) [TimeZoneInfo]::ConvertTime($time, $newYork).ToString('yyyy-MM-dd HH:mm') }
            $job.CreatedAt.Offset | Should -Be ([TimeSpan]::Zero)
            (& $expected $job.CreatedAt) | Should -Not -Be $job.CreatedAt.UtcDateTime.ToString('yyyy-MM-dd HH:mm')

            $saved = $env:TZ
            $env:TZ = 'America/New_York'
            try {
                $session = Invoke-PwshSession -Emulator $emulator -Parameters @{ JobId = $job.Id; WorkOrderId = $order.WorkOrderId } -ScriptBlock {
                    param($JobId, $WorkOrderId)
                    $job = Get-ProfileSystemJob -Id $JobId
                    $order = Get-HygieneRecordDelete -WorkOrderId $WorkOrderId
                    [pscustomobject]@{
                        Zone            = [TimeZoneInfo]::Local.Id
                        JobText         = $job | Out-String -Width 179
                        OrderText       = $order | Out-String -Width 179
                        ContextText     = Get-ExperiencePlatformContext | Out-String -Width 179
                        TokenExpiresUtc = (Get-ExperiencePlatformContext).TokenExpiresOn.UtcDateTime.ToString('o')
                        CreatedAtIsDto  = $job.CreatedAt -is [DateTimeOffset]
                        CreatedAtOffset = $job.CreatedAt.Offset
                    }
                }
            }
            finally { $env:TZ = $saved }

            $session.Errors | Should -BeNullOrEmpty
            $seen = $session.Output[0]
            $seen.Zone | Should -Be 'America/New_York'
            $seen.CreatedAtIsDto | Should -BeTrue
            $seen.CreatedAtOffset | Should -Be ([TimeSpan]::Zero)
            $seen.JobText | Should -Match ([regex]::Escape("$($job.Id) $('{0,-9}' -f $job.State) $(& $expected $job.CreatedAt) $($job.Status)"))
            $seen.OrderText | Should -Match ([regex]::Escape((& $expected $order.CreatedAt)))
            $seen.ContextText | Should -Match ([regex]::Escape((& $expected ([DateTimeOffset]::Parse($seen.TokenExpiresUtc, [cultureinfo]::InvariantCulture)))))
        }
    }
}

# What a script exports: the objects through Export-Csv (audit files) and ConvertTo-Json (logs, other tools), with no
# -EnumsAsStrings and no calculated properties.
Describe 'Exported objects' {
    BeforeAll {
        $emulator = Start-Emulator -Mode unified -Arguments '--seed-jobs', '30', '--job-step-ms', '300'
        $context = Connect-Emulator $emulator
    }

    AfterAll {
        Disconnect-ExperiencePlatform
        Stop-Emulator $emulator
    }

    It 'Export-Csv of record deletes keeps which identities were deleted and each product status' {
        $created = @(New-HygieneRecordDelete -Key 'Jane Doe' -Namespace email -Value 'jane.doe@example.com' -Force) +
            @(New-HygieneRecordDelete -Key 'Jane Doe' -Namespace ECID -Value '73019271538296528733512917683204812256' -Force)
        $jobs = @($created | Wait-HygieneRecordDelete -PollingInterval 0.2 -Timeout 30)
        $csv = Join-Path TestDrive: 'record-deletes.csv'

        $jobs | Select-Object JobId, UserKey, IdentitiesText, StateText, ProductStatusText | Export-Csv -LiteralPath $csv
        $rows = @(Import-Csv -LiteralPath $csv)

        $rows.Count | Should -Be $jobs.Count
        $rows[0].JobId | Should -Be $jobs[0].JobId
        $rows.IdentitiesText -join '; ' | Should -Match 'email:jane\.doe@example\.com'
        $rows.IdentitiesText -join '; ' | Should -Match 'ECID:73019271538296528733512917683204812256'
        $rows[0].IdentitiesText | Should -Be (@($jobs[0].Identities | ForEach-Object { "$_" }) -join '; ')
        $rows[0].StateText | Should -Be "$($jobs[0].State)"
        $rows[0].ProductStatusText | Should -Not -BeNullOrEmpty
        $rows[0].ProductStatusText | Should -Be (@($jobs[0].ProductStatus | ForEach-Object { "$($_.Product): $($_.Status)" }) -join '; ')
        Get-Content -LiteralPath $csv -Raw | Should -Not -Match 'System\.|ProfileJobs\.Hygiene'
    }

    It 'Export-Csv of work orders keeps their product statuses and target services as text' {
        $order = New-HygieneRecordDelete -Namespace email -Value 'a@example.com' -DatasetId ALL -Force | Get-HygieneRecordDelete
        $csv = Join-Path TestDrive: 'work-orders.csv'

        $order | Export-Csv -LiteralPath $csv
        $row = Import-Csv -LiteralPath $csv

        $row.TargetServicesText | Should -Be ($order.TargetServices -join '; ')
        $row.ProductStatusText | Should -Be (@($order.ProductStatus | ForEach-Object { "$_" }) -join '; ')
        $row.StateText | Should -Be "$($order.State)"
    }

    It 'ConvertTo-Json and Export-Csv of a finished job show its state and generation by name and its duration in seconds' {
        $job = New-ProfileDeleteJob -DatasetId (New-TestDatasetId) -Force | Wait-ProfileSystemJob -PollingInterval 0.2 -Timeout 30
        $job.TimeTaken | Should -Not -BeNullOrEmpty

        $json = $job | ConvertTo-Json | ConvertFrom-Json
        $csv = Join-Path TestDrive: 'jobs.csv'
        $job | Export-Csv -LiteralPath $csv
        $row = Import-Csv -LiteralPath $csv

        $json.StateText | Should -BeExactly 'Succeeded'
        $json.ApiGenerationText | Should -BeExactly 'Unified'
        $json.TimeTakenSeconds | Should -Be $job.TimeTaken.TotalSeconds
        $row.StateText | Should -BeExactly 'Succeeded'
        [double]::Parse($row.TimeTakenSeconds, [cultureinfo]::InvariantCulture) | Should -Be $job.TimeTaken.TotalSeconds
    }
}
