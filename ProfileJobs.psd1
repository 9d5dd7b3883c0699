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
    # The types users name in scripts ([ProfileJobs.ProfileSystemJob], catch [ProfileJobs.PlatformApiException]),
    # loaded with the module so they resolve right after Import-Module. Dependency-free; see src/ProfileJobs.Types.
    RequiredAssemblies     = @('ProfileJobs.Types.dll')
    FormatsToProcess       = @('ProfileJobs.format.ps1xml')
    CmdletsToExport        = @(
        'Connect-ExperiencePlatform'
        'Disconnect-ExperiencePlatform'
        'Get-ExperiencePlatformContext'
        'Get-HygieneQuota'
        'Get-HygieneRecordDelete'
        'Get-ProfileSystemJob'
        'New-HygieneRecordDelete'
        'New-ProfileDeleteJob'
        'Remove-ProfileSystemJob'
        'Set-HygieneWorkOrder'
        'Wait-HygieneRecordDelete'
        'Wait-ProfileSystemJob'
    )
    FunctionsToExport      = @()
    VariablesToExport      = @()
    AliasesToExport        = @()
    PrivateData            = @{
        # PowerShell Gallery metadata; build.ps1 -Task Package turns it into the .nupkg's nuspec.
        PSData = @{
            # ProjectUri and LicenseUri are to be set on first publication: the project has no public URL or
            # license file yet, and the Gallery shows whatever is here, so none is invented. Then add, e.g.:
            #   ProjectUri = '<repository URL>'
            #   LicenseUri = '<URL of the LICENSE file>'
            Tags         = @('Adobe', 'AEP', 'ExperiencePlatform', 'Profile', 'DataHygiene', 'Privacy', 'AzureAutomation', 'PSEdition_Core', 'PSEdition_Desktop', 'Linux', 'Windows', 'MacOS')
            ReleaseNotes = 'First release: connection contexts; profile system jobs (list, get, create, remove, wait) on the Azure, AWS and unified API generations; Data Hygiene record deletes (create, get, wait) and quota.'
        }
    }
}
