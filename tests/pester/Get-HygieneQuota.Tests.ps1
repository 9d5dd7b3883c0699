#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:Emulator = Start-Emulator -Mode unified -Arguments '--daily-identity-quota', '5000'
    $null = Connect-Emulator $script:Emulator
}

AfterAll {
    Disconnect-ExperiencePlatform -ErrorAction SilentlyContinue
    Stop-Emulator $script:Emulator
}

Describe 'Get-HygieneQuota' {
    It 'returns the daily and monthly identity quotas and the dataset-expiration quota' {
        $quotas = @(Get-HygieneQuota)

        $quotas.Count | Should -Be 3
        $quotas.Name | Should -Contain 'dailyConsumerDeleteIdentitiesQuota'
        ($quotas | Where-Object Name -EQ 'dailyConsumerDeleteIdentitiesQuota').Quota | Should -Be 5000
    }

    It 'shows what a work order consumed, and Remaining is Quota minus Consumed' {
        $before = Get-HygieneQuota -QuotaType dailyConsumerDeleteIdentitiesQuota

        $null = New-HygieneRecordDelete -Namespace email -Value q1@example.com, q2@example.com, q3@example.com -DatasetId ALL -Force
        $after = @(Get-HygieneQuota)

        $after.Count | Should -Be 3
        $daily = $after | Where-Object Name -EQ 'dailyConsumerDeleteIdentitiesQuota'
        $daily.Consumed | Should -Be ($before.Consumed + 3)
        $daily.Remaining | Should -Be ($daily.Quota - $daily.Consumed)
    }

    It '-QuotaType asks for that quota only' {
        $mark = Get-EmulatorLogPosition $script:Emulator

        $quota = @(Get-HygieneQuota -QuotaType dailyConsumerDeleteIdentitiesQuota)

        $quota.Name | Should -Be 'dailyConsumerDeleteIdentitiesQuota'
        $requests = Get-EmulatorRequest $script:Emulator -Since $mark -Api
        $requests.Count | Should -Be 1
        $requests[0].path | Should -Be '/data/core/hygiene/quota'
        $requests[0].query | Should -Match 'quotaType=dailyConsumerDeleteIdentitiesQuota'
    }
}
