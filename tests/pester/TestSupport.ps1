# Dot-sourced by every Pester file's BeforeAll: imports the built module and the emulator launcher.
# The module comes from $env:PROFILEJOBS_MODULE_PATH (set by build.ps1 -Task Test) or out/ProfileJobs.

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:ModulePath = if ($env:PROFILEJOBS_MODULE_PATH) { $env:PROFILEJOBS_MODULE_PATH } else { Join-Path $script:RepoRoot 'out/ProfileJobs' }
Import-Module (Join-Path $script:ModulePath 'ProfileJobs.psd1') -Force -ErrorAction Stop
Import-Module (Join-Path $script:RepoRoot 'tools/EmulatorLauncher.psm1') -Force -ErrorAction Stop

# A dataset id no other test uses.
function New-TestDatasetId { [guid]::NewGuid().ToString('N').Substring(0, 24) }
