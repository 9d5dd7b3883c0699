using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace ProfileJobs.Benchmarks;

/// <summary>
/// Counts what reaches it and writes the count at the end: the cheapest possible end of a pipeline (as cheap as
/// Out-Null, which the hosted engine has) that still lets the benchmark check it got every object. Nothing is kept.
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "BenchCount")]
[OutputType(typeof(long))]
public sealed class MeasureBenchCountCommand : Cmdlet
{
    private long _count;

    /// <summary>The objects to count.</summary>
    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord() => _count++;

    /// <inheritdoc/>
    protected override void EndProcessing() => WriteObject(_count);
}

/// <summary>
/// Writes <c>-Count</c> new small objects from the pipeline thread: the engine's own cost of emitting objects from a
/// compiled cmdlet, which no binary module can go below.
/// </summary>
[Cmdlet(VerbsCommunications.Write, "BenchObject")]
[OutputType(typeof(BenchItem))]
public sealed class WriteBenchObjectCommand : Cmdlet
{
    /// <summary>How many objects to write.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public int Count { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        for (var i = 0; i < Count; i++) WriteObject(new BenchItem(i));
    }
}

/// <summary>What Write-BenchObject writes.</summary>
/// <param name="Number">Its position.</param>
public sealed record BenchItem(int Number);

/// <summary>
/// A runspace of the real PowerShell 7.6 engine (the SDK's default host, output discarded)
/// with ProfileJobs imported by its manifest from out/ProfileJobs, as a user's runbook has it.
/// </summary>
internal sealed class Engine : IDisposable
{
    private readonly Runspace _runspace;

    public Engine(string? manifest = null)
    {
        var state = InitialSessionState.CreateDefault2();
        state.Commands.Add(new SessionStateCmdletEntry("Measure-BenchCount", typeof(MeasureBenchCountCommand), null));
        state.Commands.Add(new SessionStateCmdletEntry("Write-BenchObject", typeof(WriteBenchObjectCommand), null));
        _runspace = RunspaceFactory.CreateRunspace(state);
        _runspace.Open();
        Run($"Import-Module '{manifest ?? BenchPaths.ModuleManifest}' -ErrorAction Stop");
    }

    /// <summary>Connects the session's default context to the emulator (token fetched now, outside any timing).</summary>
    public void Connect(Uri baseUri) =>
        Run($"Connect-ExperiencePlatform -ClientId '{EmulatorProcess.ClientId}' " +
            $"-ClientSecret ([System.Net.NetworkCredential]::new('', '{EmulatorProcess.ClientSecret}').SecurePassword) " +
            $"-OrgId '{EmulatorProcess.OrgId}' -Sandbox '{EmulatorProcess.SandboxName}' -PlatformUri '{baseUri}' -ImsUri '{baseUri}' -ErrorAction Stop");

    public void SetVariable(string name, object? value) => _runspace.SessionStateProxy.SetVariable(name, value);

    /// <summary>Runs a script; any error (terminating or not) fails the benchmark, since a failed run measures nothing.</summary>
    public Collection<PSObject> Run(string script)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript(script);
        Collection<PSObject> output;
        try
        {
            output = ps.Invoke();
        }
        catch (RuntimeException ex)
        {
            throw new InvalidOperationException($"'{Shorten(script)}' failed: {ex.Message}", ex);
        }

        if (ps.Streams.Error.Count > 0)
        {
            throw new InvalidOperationException($"'{Shorten(script)}' wrote {ps.Streams.Error.Count} error(s); the first: {ps.Streams.Error[0]}");
        }

        return output;
    }

    /// <summary>
    /// Runs <paramref name="command"/> <c>&gt; $null</c>: each object is dropped as it is written, with no consumer to bind
    /// it to, so what is timed is the command itself. (<c>| Out-Null</c> binds every object to Out-Null, about 0.5 µs
    /// each; <c>$null = ...</c> collects the whole output first.)
    /// </summary>
    public void RunDiscard(string command)
    {
        var output = Run(command + " > $null");
        if (output.Count != 0) throw new InvalidOperationException($"'{Shorten(command)} > $null' wrote {output.Count} object(s).");
    }

    /// <summary>Runs <paramref name="command"/> <c>| Measure-BenchCount</c> and returns how many objects it wrote.</summary>
    public long RunCount(string command)
    {
        var script = command + " | Measure-BenchCount";
        var output = Run(script);
        if (output.Count != 1 || output[0].BaseObject is not long count)
        {
            throw new InvalidOperationException($"'{Shorten(script)}' did not end with one count: {string.Join(", ", output.Select(o => o?.ToString()))}");
        }

        return count;
    }

    private static string Shorten(string script) => script.Length <= 120 ? script : script.Substring(0, 117) + "...";

    public void Dispose() => _runspace.Dispose();
}
