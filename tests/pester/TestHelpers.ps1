# Shared by the Pester suite: starts the emulator as a separate process and connects to it.
# Run the suite from the repository root after building: Invoke-Pester ./tests/pester

$script:RepoRoot = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', '..'))

function Start-TestEmulator {
    param([string] $Mode = 'unified', [string[]] $ExtraArguments = @())
    $dll = [IO.Path]::Combine($script:RepoRoot, 'src', 'ProfileJobs.Emulator', 'bin', 'Release', 'net10.0', 'ProfileJobs.Emulator.dll')
    $start = [Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($argument in @($dll, '--mode', $Mode, '--seed-jobs', '250', '--job-step-ms', '300', '--exit-on-stdin-close') + $ExtraArguments) {
        $start.ArgumentList.Add($argument)
    }
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardInput = $true
    $start.UseShellExecute = $false
    $process = [Diagnostics.Process]::Start($start)
    $line = $process.StandardOutput.ReadLine()
    [pscustomobject]@{ Process = $process; Uri = $line.Substring('LISTENING '.Length); Mode = $Mode }
}

function Stop-TestEmulator($Emulator) {
    $Emulator.Process.StandardInput.Close()
    if (-not $Emulator.Process.WaitForExit(3000)) { $Emulator.Process.Kill() }
}

function Connect-TestEmulator($Emulator) {
    $secret = [System.Net.NetworkCredential]::new('', 'emulator-secret').SecurePassword
    $sandbox = if ($Emulator.Mode -eq 'aws') { @{ SandboxId = '5b1c1b3a-0000-4000-8000-00000000e001' } } else { @{ Sandbox = 'prod' } }
    Connect-ExperiencePlatform -ClientId 'emulator-client' -ClientSecret $secret -OrgId 'EMULATOR00000000000000000@AdobeOrg' `
        -PlatformUri $Emulator.Uri -ImsUri $Emulator.Uri -PassThru @sandbox
}

function Get-EmulatorRequests($Emulator, [long] $Since = 0) {
    (Invoke-RestMethod -Uri "$($Emulator.Uri)/__emulator/requests?since=$Since").requests
}

function New-TestDatasetId { [guid]::NewGuid().ToString('N').Substring(0, 24) }
