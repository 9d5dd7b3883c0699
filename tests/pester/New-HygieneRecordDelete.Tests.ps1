#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:Emulator = Start-Emulator -Mode unified -Arguments '--job-step-ms', '200'
    $null = Connect-Emulator $script:Emulator

    function Get-PostSince([long] $Position) {
        @((Get-EmulatorRequest $script:Emulator -Since $Position -Api) | Where-Object method -EQ 'POST')
    }
}

AfterAll {
    Disconnect-ExperiencePlatform -ErrorAction SilentlyContinue
    Stop-Emulator $script:Emulator
}

Describe 'New-HygieneRecordDelete' {
    Context 'record-delete jobs (/data/core/privacy/jobs)' {
        It 'sends the documented two-customer body from an Import-Csv file and writes one job per customer' {
            $csv = Join-Path $TestDrive 'customers.csv'
            Set-Content -LiteralPath $csv -Value @(
                'Key,Namespace,Value,Type'
                'John Doe,email,johnd@example.com,'
                'John Doe,ECID,9cbefef1-dd44-4411-87db-2d387bf882bc,'
                'Jane Doe,Loyalty ID,30583967185734,custom'
            )
            $mark = Get-EmulatorLogPosition $script:Emulator

            $jobs = @(Import-Csv -LiteralPath $csv | New-HygieneRecordDelete -Force -ErrorVariable problems)

            $problems | Should -BeNullOrEmpty
            $post = Get-PostSince $mark
            $post.Count | Should -Be 1
            $post[0].path | Should -Be '/data/core/privacy/jobs'
            $expected = @{
                companyContexts = @(@{ namespace = 'imsOrgID'; value = $script:Emulator.OrgId })
                users           = @(
                    @{ key = 'John Doe'; action = @('delete'); userIDs = @(
                            @{ namespace = 'email'; value = 'johnd@example.com'; type = 'standard' }
                            @{ namespace = 'ECID'; value = '9cbefef1-dd44-4411-87db-2d387bf882bc'; type = 'standard' }) }
                    @{ key = 'Jane Doe'; action = @('delete'); userIDs = @(
                            @{ namespace = 'Loyalty ID'; value = '30583967185734'; type = 'custom' }) }
                )
            } | ConvertTo-Json -Depth 10
            ($post[0].body | ConvertTo-CanonicalJson) | Should -Be ($expected | ConvertTo-CanonicalJson)

            $jobs.Count | Should -Be 2
            $jobs | ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be 'ProfileJobs.HygieneRecordDelete' }
            $jobs.UserKey | Should -Be @('John Doe', 'Jane Doe')
            $jobs[0].RequestId | Should -Match '^\d{17}RX-\d{3}$'
            $jobs[1].RequestId | Should -Be $jobs[0].RequestId
            $jobs[0].Identities.NamespaceId | Should -Be @(6, 4)
            $jobs.JobId | ForEach-Object { $_ | Should -Match '^[0-9a-f-]{36}$' }
        }

        It '-WhatIf says how many customers, identities and requests, and sends nothing' {
            $mark = Get-EmulatorLogPosition $script:Emulator
            $session = Invoke-Pwsh -Environment (Get-EmulatorEnvironment $script:Emulator) -ArgumentList '-Command', (@(
                    "Import-Module '$(Join-Path $script:ModulePath 'ProfileJobs.psd1')' -ErrorAction Stop"
                    '$null = Connect-ExperiencePlatform -FromEnvironment'
                    'New-HygieneRecordDelete -Namespace email -Value a@example.com, b@example.com -Key alice -WhatIf'
                    'New-HygieneRecordDelete -Namespace email -Value c@example.com -WhatIf'
                ) -join "`n")

            $session.ExitCode | Should -Be 0 -Because $session.StdErr
            $session.StdOut | Should -Match ([regex]::Escape('What if: Performing the operation "Delete the customers'' records" on target "1 customer with 2 identities in 1 request to /data/core/privacy/jobs'))
            $session.StdOut | Should -Match '1 customer with 1 identity in 1 request'
            Get-EmulatorRequest $script:Emulator -Since $mark -Api | Should -BeNullOrEmpty
        }

        It 'sends 25,000 piped identities in requests of 1,000 customers' {
            $mark = Get-EmulatorLogPosition $script:Emulator

            $jobs = @(1..25000 | ForEach-Object { [pscustomobject]@{ Namespace = 'email'; Value = "bulk$_@example.com" } } |
                    New-HygieneRecordDelete -Force -ErrorVariable problems)

            $problems | Should -BeNullOrEmpty
            $jobs.Count | Should -Be 25000
            $posts = Get-PostSince $mark
            $posts.Count | Should -Be 25
            $posts.status | Sort-Object -Unique | Should -Be 202
            $perRequest = @((Get-EmulatorPrivacyJob $script:Emulator) | Where-Object { $_.userKey.StartsWith('email:bulk') } | Group-Object requestId)
            $perRequest.Count | Should -Be 25
            $perRequest | ForEach-Object Count | Sort-Object -Unique | Should -Be 1000
        }

        It 'rejects a customer with ten identities (TooManyIdentities) and sends the others' {
            $big = "big-$([guid]::NewGuid().ToString('N').Substring(0, 12))"
            $rows = @(1..10 | ForEach-Object { [pscustomobject]@{ Key = $big; Namespace = 'email'; Value = "n$_@example.com" } }) +
                @([pscustomobject]@{ Key = 'ok1'; Namespace = 'email'; Value = 'ok1@example.com' }, [pscustomobject]@{ Key = 'ok2'; Namespace = 'ECID'; Value = '123' })
            $mark = Get-EmulatorLogPosition $script:Emulator

            $jobs = @($rows | New-HygieneRecordDelete -Force -ErrorVariable problems -ErrorAction SilentlyContinue)

            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -Be 'TooManyIdentities,ProfileJobs.Commands.NewHygieneRecordDeleteCommand'
            $problems[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $problems[0].TargetObject | Should -Be $big
            $problems[0].Exception.Message | Should -Match '10 identities'
            $jobs.UserKey | Should -Be @('ok1', 'ok2')
            $post = Get-PostSince $mark
            $post.Count | Should -Be 1
            $post[0].body | Should -Not -Match $big
        }

        It 'reports each invalid row (InvalidIdentity) before anything is sent, and sends the valid one' {
            $rows = @(
                [pscustomobject]@{ Key = 'empty'; Namespace = 'email'; Value = '' }
                [pscustomobject]@{ Key = 'badtype'; Namespace = 'email'; Value = 'x@example.com'; Type = 'weird' }
                [pscustomobject]@{ Key = 'nonamespace'; Value = 'y@example.com' }
                [pscustomobject]@{ Key = 'good'; Namespace = 'email'; Value = 'good@example.com' }
            )
            $mark = Get-EmulatorLogPosition $script:Emulator

            $jobs = @($rows | New-HygieneRecordDelete -Force -ErrorVariable problems -ErrorAction SilentlyContinue)

            $problems.TargetObject | Should -Be @('empty', 'badtype', 'nonamespace')
            $problems.FullyQualifiedErrorId | Sort-Object -Unique | Should -Be 'InvalidIdentity,ProfileJobs.Commands.NewHygieneRecordDeleteCommand'
            $problems[0].Exception.Message | Should -Match 'empty value'
            $problems[1].Exception.Message | Should -Match "unknown identity type 'weird'"
            $problems[2].Exception.Message | Should -Match 'no namespace'
            $jobs.UserKey | Should -Be 'good'
            (Get-PostSince $mark).Count | Should -Be 1
        }

        It 'has up to -ThrottleLimit requests in flight at once and writes the results in request order' {
            # Eight requests that each take 1.5 s: one after another they would take 12 s, four at a time about 3 s.
            Set-EmulatorFault $script:Emulator @(@{ method = 'POST'; path = '/data/core/privacy/jobs'; fault = 'slow'; delayMs = 1500 })
            try {
                $values = foreach ($i in 0..7999) { "c$i@example.com" }
                $watch = [Diagnostics.Stopwatch]::StartNew()
                $jobs = @(New-HygieneRecordDelete -Namespace email -Value $values -Force -ThrottleLimit 4 -ErrorVariable problems)
                $watch.Stop()
            }
            finally { Clear-EmulatorFault $script:Emulator }

            $problems | Should -BeNullOrEmpty
            $jobs.Count | Should -Be 8000
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 9
            $jobs.UserKey | Should -Be @(foreach ($i in 0..7999) { "email:c$i@example.com" })
        }
        It 'sends each request as soon as it is full, while the input is still being read' {
            $mark = Get-EmulatorLogPosition $script:Emulator
            $script:PostsWhileReading = 0

            # By row 2,200 two requests of 1,000 customers are full; the rows after it are only read once they have reached the server.
            $jobs = @(& {
                    foreach ($i in 1..2500) {
                        if ($i -eq 2200) {
                            $deadline = [DateTime]::UtcNow.AddSeconds(15)
                            while (($script:PostsWhileReading = (Get-PostSince $mark).Count) -lt 2 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
                        }
                        [pscustomobject]@{ Namespace = 'email'; Value = "stream$i@example.com" }
                    }
                } | New-HygieneRecordDelete -Force -ErrorVariable problems)

            $problems | Should -BeNullOrEmpty
            $script:PostsWhileReading | Should -Be 2
            $jobs.Count | Should -Be 2500
            $jobs.UserKey | Should -Be @(foreach ($i in 1..2500) { "email:stream$i@example.com" })
            (Get-PostSince $mark).Count | Should -Be 3
        }

        It 'reports a key that comes back after its customer was sent (CustomerAlreadySubmitted) and makes no second job for it' {
            $late = "late-$([guid]::NewGuid().ToString('N').Substring(0, 12))"
            $rows = @([pscustomobject]@{ Key = $late; Namespace = 'email'; Value = 'first@example.com' }) +
                @(1..1000 | ForEach-Object { [pscustomobject]@{ Namespace = 'email'; Value = "between$_@example.com" } }) +
                @([pscustomobject]@{ Key = $late; Namespace = 'email'; Value = 'second@example.com' })
            $mark = Get-EmulatorLogPosition $script:Emulator

            $jobs = @($rows | New-HygieneRecordDelete -Force -ErrorVariable problems -ErrorAction SilentlyContinue)

            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -Be 'CustomerAlreadySubmitted,ProfileJobs.Commands.NewHygieneRecordDeleteCommand'
            $problems[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $problems[0].TargetObject | Should -Be $late
            $problems[0].Exception.Message | Should -Match 'input row 1002 after its request was sent'
            $jobs.Count | Should -Be 1001
            $stored = @((Get-EmulatorPrivacyJob $script:Emulator) | Where-Object userKey -EQ $late)
            $stored.Count | Should -Be 1
            (Get-PostSince $mark).body -join "`n" | Should -Not -Match 'second@example.com'
        }

        It '-WhatIf on a stream reads all of it, reports the counts and sends nothing' {
            $mark = Get-EmulatorLogPosition $script:Emulator
            $session = Invoke-Pwsh -Environment (Get-EmulatorEnvironment $script:Emulator) -ArgumentList '-Command', (@(
                    "Import-Module '$(Join-Path $script:ModulePath 'ProfileJobs.psd1')' -ErrorAction Stop"
                    '$null = Connect-ExperiencePlatform -FromEnvironment'
                    '1..2500 | ForEach-Object { [pscustomobject]@{ Namespace = "email"; Value = "whatif$_@example.com" } } | New-HygieneRecordDelete -WhatIf'
                ) -join "`n")

            $session.ExitCode | Should -Be 0 -Because $session.StdErr
            $session.StdOut | Should -Match ([regex]::Escape('on target "2,500 customers with 2,500 identities in 3 requests to /data/core/privacy/jobs'))
            Get-EmulatorRequest $script:Emulator -Since $mark -Api | Should -BeNullOrEmpty
        }

        It 'asks once, before the first request, naming the input as a stream, and sends all of it when answered Yes' {
            $mark = Get-EmulatorLogPosition $script:Emulator

            $session = Invoke-PwshSession $script:Emulator -Answer 'Y' {
                1..2500 | ForEach-Object { [pscustomobject]@{ Namespace = 'email'; Value = "confirm$_@example.com" } } |
                    New-HygieneRecordDelete | Measure-Object | ForEach-Object Count
            }

            $session.Errors | Should -BeNullOrEmpty
            $session.Output | Should -Be 2500
            ([regex]::Matches($session.Text, 'Are you sure you want to perform this action\?')).Count | Should -Be 1
            ($session.Text -replace '\s+', ' ') | Should -BeLike '*"Delete the customers'' records" on target "the customers of the pipeline input, streamed in requests of 1,000 sent as they fill (1,001 customers read so far) to /data/core/privacy/jobs (org *'
            (Get-PostSince $mark).Count | Should -Be 3
        }

        It 'reports the customers an answer does not acknowledge (SubmissionOutcomeUnknown) and writes the jobs it names' {
            Set-EmulatorFault $script:Emulator @(@{ method = 'POST'; path = '/data/core/privacy/jobs'; fault = 'short-ack'; keep = 2; process = 'all' })
            try {
                $jobs = @(New-HygieneRecordDelete -Namespace email -Value ack1@example.com, ack2@example.com, ack3@example.com, ack4@example.com, ack5@example.com -Force -ErrorVariable problems -ErrorAction SilentlyContinue)
            }
            finally { Clear-EmulatorFault $script:Emulator }

            $jobs.UserKey | Should -Be @('email:ack1@example.com', 'email:ack2@example.com')
            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -Be 'SubmissionOutcomeUnknown,ProfileJobs.Commands.NewHygieneRecordDeleteCommand'
            $problems[0].TargetObject | Should -Be @('email:ack3@example.com', 'email:ack4@example.com', 'email:ack5@example.com')
            $problems[0].Exception.Message | Should -Match 'no job for 3 customers of them \(email:ack3@example.com, email:ack4@example.com, email:ack5@example.com\)'
        }

        It 'sends the same keyless identity once, trims values, and refuses invisible characters and bad keys before sending' {
            $rows = @(
                [pscustomobject]@{ Namespace = 'email'; Value = 'twice@example.com' }
                [pscustomobject]@{ Namespace = 'email'; Value = 'twice@example.com' }
                [pscustomobject]@{ Key = 'spaced'; Namespace = ' email '; Value = "  spaced@example.com`t" }
                [pscustomobject]@{ Key = 'zerowidth'; Namespace = 'email'; Value = "zero$([char]0x200B)width@example.com" }
                [pscustomobject]@{ Key = 'bidi'; Namespace = 'email'; Value = "$([char]0x202E)moc.elpmaxe@idib" }
                [pscustomobject]@{ Key = ('k' * 100000); Namespace = 'email'; Value = 'longkey@example.com' }
                [pscustomobject]@{ Key = "line`nbreak"; Namespace = 'email'; Value = 'newline@example.com' }
            )
            $mark = Get-EmulatorLogPosition $script:Emulator

            $jobs = @($rows | New-HygieneRecordDelete -Force -ErrorVariable problems -ErrorAction SilentlyContinue)

            $jobs.UserKey | Should -Be @('email:twice@example.com', 'spaced')
            $problems.FullyQualifiedErrorId | Should -Be @(
                'InvalidKey,ProfileJobs.Commands.NewHygieneRecordDeleteCommand'
                'InvalidKey,ProfileJobs.Commands.NewHygieneRecordDeleteCommand'
                'InvalidIdentity,ProfileJobs.Commands.NewHygieneRecordDeleteCommand'
                'InvalidIdentity,ProfileJobs.Commands.NewHygieneRecordDeleteCommand')
            $problems.TargetObject | Should -Be @('row 6', 'row 7', 'zerowidth', 'bidi')
            $problems[0].Exception.Message | Should -Match 'key of 100,000 characters; at most 256'
            $problems[1].Exception.Message | Should -Match 'control character U\+000A in its key'
            $problems[2].Exception.Message | Should -Match 'invisible formatting character U\+200B in its value'
            $problems[3].Exception.Message | Should -Match 'invisible formatting character U\+202E in its value'
            $post = @(Get-PostSince $mark)
            $post.Count | Should -Be 1
            $users = ($post[0].body | ConvertFrom-Json).users
            $users.key | Should -Be @('email:twice@example.com', 'spaced')
            $users[1].userIDs[0].value | Should -Be 'spaced@example.com'
            $users[1].userIDs[0].namespace | Should -Be 'email'
        }

        It 'shows progress while reading (rows, customers, requests sent) and an estimate while the last answers come' {
            $session = Invoke-InNewRunspace -Parameters @{ Context = (Get-ExperiencePlatformContext) } {
                param($Context)
                1..3500 | ForEach-Object { [pscustomobject]@{ Namespace = 'email'; Value = "progress$_@example.com" } } |
                    New-HygieneRecordDelete -Force -Context $Context | Measure-Object | ForEach-Object Count
            }

            $session.Terminating | Should -BeNullOrEmpty
            $session.Errors | Should -BeNullOrEmpty
            $session.Output | Should -Be 3500
            $records = @($session.Progress | Where-Object Activity -EQ 'Submitting record deletes')
            $reading = @($records | Where-Object StatusDescription -Match '^Read [\d,]+ rows? \([\d,]+ customers?, [\d,]+ rows/s\); [\d,]+ requests? ready, [\d,]+ sent, [\d,]+ answered$')
            $reading | Should -Not -BeNullOrEmpty
            $reading[0].StatusDescription | Should -Match '^Read 1 row '
            $records[-1].RecordType | Should -Be 'Completed'
            $records[-1].StatusDescription | Should -Be 'Read 3,500 rows; 4 requests answered'
        }
    }

    Context 'work orders (-DatasetId, /data/core/hygiene/workorder)' {
        It 'sends a work-order body as the API documents it' {
            $rows = @(
                [pscustomobject]@{ Namespace = 'email'; Value = 'a@example.com' }
                [pscustomobject]@{ Namespace = 'ECID'; Value = '42' }
                [pscustomobject]@{ Namespace = 'email'; Value = 'b@example.com' }
            )
            $mark = Get-EmulatorLogPosition $script:Emulator

            $order = @($rows | New-HygieneRecordDelete -DatasetId ALL -DisplayName 'Cleanup' -Description 'Ticket 7' -Force -ErrorVariable problems)

            $problems | Should -BeNullOrEmpty
            $post = Get-PostSince $mark
            $post.Count | Should -Be 1
            $post[0].path | Should -Be '/data/core/hygiene/workorder'
            $post[0].body | ConvertFrom-Json | ForEach-Object displayName | Should -Match '^Cleanup \[pj-[0-9a-f]{16}\]$'
            $expected = @{
                displayName          = ($post[0].body | ConvertFrom-Json).displayName
                description          = 'Ticket 7'
                action               = 'delete_identity'
                datasetId            = 'ALL'
                namespacesIdentities = @(
                    @{ namespace = @{ code = 'email' }; IDs = @('a@example.com', 'b@example.com') }
                    @{ namespace = @{ code = 'ECID' }; IDs = @('42') }
                )
            } | ConvertTo-Json -Depth 10
            ($post[0].body | ConvertTo-CanonicalJson) | Should -Be ($expected | ConvertTo-CanonicalJson)
            $order.Count | Should -Be 1
            $order[0].WorkOrderId | Should -BeLike 'DI-*'
            $order[0].IdentityCount | Should -Be 3
        }

        It 'groups identities by namespace and splits them at 100,000 per work order' {
            $name = "split-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
            $values = foreach ($i in 0..100000) { "wo$i@example.com" }
            $mark = Get-EmulatorLogPosition $script:Emulator

            $orders = @(New-HygieneRecordDelete -Namespace email -Value $values -DatasetId ALL -DisplayName $name -Force -ErrorVariable problems)

            $problems | Should -BeNullOrEmpty
            $orders.Count | Should -Be 2
            $orders | ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be 'ProfileJobs.HygieneWorkOrder' }
            $orders.IdentityCount | Should -Be @(100000, 1)
            # Sent at the same time, so the server may have stored them in either order; their names say which is which.
            $stored = @((Get-EmulatorWorkOrder $script:Emulator -NoIdentities) | Where-Object { $_.displayName.StartsWith($name) } | Sort-Object displayName)
            $marker = $orders[0].DisplayName.Substring($orders[0].DisplayName.LastIndexOf(' ') + 1)
            $stored.displayName | Should -Be @("$name (part 1) $marker", "$name (part 2) $marker")
            $stored.identityCount | Should -Be @(100000, 1)
            $posts = Get-PostSince $mark
            $posts.Count | Should -Be 2
            $posts | ForEach-Object { $_.headers.'x-sandbox-name' | Should -Be 'prod' }
        }

        It 'sends each work order as soon as it is full, while the input is still being read' {
            $name = "stream-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
            $mark = Get-EmulatorLogPosition $script:Emulator
            $script:PostsWhileReading = 0

            # The 100,001st identity fills the first order; the last rows are only read once it has reached the server.
            $orders = @(& {
                    foreach ($i in 1..100050) {
                        if ($i -eq 100040) {
                            $deadline = [DateTime]::UtcNow.AddSeconds(20)
                            while (($script:PostsWhileReading = (Get-PostSince $mark).Count) -lt 1 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
                        }
                        [pscustomobject]@{ Namespace = 'email'; Value = "wostream$i@example.com" }
                    }
                } | New-HygieneRecordDelete -DatasetId ALL -DisplayName $name -Force -ErrorVariable problems)

            $problems | Should -BeNullOrEmpty
            $script:PostsWhileReading | Should -Be 1
            $orders.IdentityCount | Should -Be @(100000, 50)
            $orders.DisplayName | Should -Match "^$name \(part [12]\) \[pj-[0-9a-f]{16}\]$"
            $orders.DisplayName[0] | Should -BeLike "$name (part 1) *"
        }
    }
    Context 'work orders whose answer was lost, beside an earlier one of the same name' {
        BeforeEach { Clear-EmulatorFault $script:Emulator }
        AfterEach { Clear-EmulatorFault $script:Emulator }

        It 'does not take the earlier order for one a 503 stopped: SubmissionFailed, and the identity is in no work order' {
            $name = "again-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
            $earlier = New-HygieneRecordDelete -Namespace email -Value "first-$name@example.com" -DatasetId ALL -DisplayName $name -Force
            Set-EmulatorFault $script:Emulator @(@{ method = 'POST'; path = '/data/core/hygiene/workorder'; fault = 'status'; status = 503; count = 1 })

            $order = New-HygieneRecordDelete -Namespace email -Value "second-$name@example.com" -DatasetId ALL -DisplayName $name -Force -ErrorVariable problems -ErrorAction SilentlyContinue -WarningVariable warnings -WarningAction SilentlyContinue

            $order | Should -BeNullOrEmpty
            $warnings | Should -BeNullOrEmpty
            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -Be 'SubmissionFailed,ProfileJobs.Commands.NewHygieneRecordDeleteCommand'
            $problems[0].Exception.Message | Should -Not -Match $earlier.WorkOrderId
            $stored = @((Get-EmulatorWorkOrder $script:Emulator) | Where-Object { $_.displayName.StartsWith($name) })
            $stored.workorderId | Should -Be $earlier.WorkOrderId
            @($stored | Where-Object { ($_ | ConvertTo-Json -Depth 10) -match "second-$name" }) | Should -BeNullOrEmpty
        }

        It 'finds the new order by its marker when its answer is lost after it was made, not the earlier one' {
            $name = "again-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
            $earlier = New-HygieneRecordDelete -Namespace email -Value "first-$name@example.com" -DatasetId ALL -DisplayName $name -Force
            Set-EmulatorFault $script:Emulator @(@{ method = 'POST'; path = '/data/core/hygiene/workorder'; fault = 'drop-after'; count = 1 })

            $order = New-HygieneRecordDelete -Namespace email -Value "second-$name@example.com" -DatasetId ALL -DisplayName $name -Force -ErrorVariable problems -WarningVariable warnings -WarningAction SilentlyContinue

            $problems | Should -BeNullOrEmpty
            $order.Count | Should -Be 1
            $order.WorkOrderId | Should -Not -Be $earlier.WorkOrderId
            $order.DisplayName | Should -Not -Be $earlier.DisplayName
            $warnings | Where-Object { $_.Message -match 'was not sent again' -and $_.Message -match $order.WorkOrderId } | Should -Not -BeNullOrEmpty
            $stored = @((Get-EmulatorWorkOrder $script:Emulator) | Where-Object { $_.workorderId -eq $order.WorkOrderId })
            ($stored | ConvertTo-Json -Depth 10) | Should -Match "second-$name"
        }
    }
    Context 'stopped with Ctrl+C while an earlier request is slow' {
        AfterEach { Clear-EmulatorFault $script:Emulator }

        It 'writes, or names in a warning, every job of the requests answered out of order before the stop' {
            $prefix = "stop-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
            $rows = foreach ($i in 0..3999) { [pscustomobject]@{ Namespace = 'email'; Value = "$prefix-$i@example.com" } }
            # The first of the four requests waits; the other three are answered at once, out of request order.
            Set-EmulatorFault $script:Emulator @(@{ method = 'POST'; path = '/data/core/privacy/jobs'; fault = 'slow'; delayMs = 8000; count = 1 })
            $context = Get-ExperiencePlatformContext

            $stopped = Invoke-AndStop -After ([timespan]::FromMilliseconds(3000)) -Parameters @{ Rows = $rows; Context = $context } {
                param($Rows, $Context)
                $Rows | New-HygieneRecordDelete -Context $Context -ThrottleLimit 4 -Force
            }

            $stopped.RunningWhenStopped | Should -BeTrue
            $stopped.EndedWith | Should -BeOfType [Management.Automation.PipelineStoppedException]
            $stored = @((Get-EmulatorPrivacyJob $script:Emulator) | Where-Object { $_.userKey -like "*$prefix-*" })
            $stored.Count | Should -Be 3000
            $written = @($stopped.Output | ForEach-Object JobId)
            $warned = $stopped.Warnings -join "`n"
            @($stored | Where-Object { $_.jobId -notin $written -and -not $warned.Contains($_.jobId) }).Count | Should -Be 0
            # The slow request was abandoned: named as of unknown outcome.
            $warned | Should -Match 'Whether the platform accepted these is unknown'
            $warned | Should -Match 'request 1 with 1,000 customers'
        }
    }
}
