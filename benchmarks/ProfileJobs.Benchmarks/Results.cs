using System;
using System.Collections.Generic;

namespace ProfileJobs.Benchmarks;

/// <summary>One row of the results table: the scenario measured through the module, its floor and the target.</summary>
internal sealed record ResultRow(string Scenario, string Module, string Floor, string Ratio, string Target, bool? Met, string Verdict);

/// <summary>How hard the emulator worked while the module ran one scenario (to show it was not the bottleneck).</summary>
internal sealed record EmulatorLoad(string Scenario, long Requests, double WallMs, double EmulatorCpuMs)
{
    public double RequestsPerSecond => Requests / (WallMs / 1000.0);

    /// <summary>Emulator CPU time as a share of one core over the run.</summary>
    public double CoreShare => EmulatorCpuMs / WallMs;
}

/// <summary>What a scenario produced: table rows, notes for the document, and the one line the smoke test looks for.</summary>
internal sealed class ScenarioResult
{
    public ScenarioResult(string name) => Name = name;

    public string Name { get; }
    public List<ResultRow> Rows { get; } = new();
    public List<string> Notes { get; } = new();
    public List<EmulatorLoad> Loads { get; } = new();

    /// <summary>key=value pairs printed after "RESULT name".</summary>
    public List<KeyValuePair<string, string>> Values { get; } = new();

    public void Value(string key, object value) =>
        Values.Add(new KeyValuePair<string, string>(key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? ""));
}
