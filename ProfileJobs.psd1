@{
    RootModule             = 'ProfileJobs.dll'
    ModuleVersion          = '0.1.0'
    GUID                   = '3f6c2a8e-5d41-4b7e-9a0c-2e8f1d7b6c54'
    Author                 = 'ProfileJobs contributors'
    CompanyName            = 'ProfileJobs contributors'
    Copyright              = '(c) ProfileJobs contributors. All rights reserved.'
    Description            = 'Delete Adobe Experience Platform Real-Time Customer Profile data by dataset or batch (profile system jobs) safely from PowerShell, interactive shells, runbooks and Azure Automation.'
    PowerShellVersion      = '5.1'
    CompatiblePSEditions   = @('Core', 'Desktop')
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess       = @('ProfileJobs.format.ps1xml')
    CmdletsToExport        = @(
        'Connect-ExperiencePlatform'
        'Disconnect-ExperiencePlatform'
        'Get-ExperiencePlatformContext'
        'Get-ProfileSystemJob'
        'New-ProfileDeleteJob'
        'Remove-ProfileSystemJob'
        'Wait-ProfileSystemJob'
    )
    FunctionsToExport      = @()
    VariablesToExport      = @()
    AliasesToExport        = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('Adobe', 'AEP', 'ExperiencePlatform', 'Profile', 'DataHygiene', 'Privacy', 'PSEdition_Core', 'PSEdition_Desktop', 'Linux', 'Windows', 'MacOS')
            ReleaseNotes = 'First release: connection contexts, profile system jobs (list, get, create, remove, wait) on the Azure, AWS and unified API generations.'
        }
    }
}
