using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;

using ProfileJobs.Testing;

namespace ProfileJobs.Benchmarks;

/// <summary>
/// The AEP emulator as a separate process on a free loopback port, one per scenario. Its request log is off
/// (<c>--request-log-limit 0</c>) so that it measures the API, not the recorder; the identity quotas are raised so
/// that repeated million-identity runs fit in one day.
/// </summary>
internal sealed class EmulatorProcess : IDisposable
{
    public const string ClientId = "bench-client";
    public const string ClientSecret = "bench-secret-7d2e";
    public const string OrgId = "BENCHORG00000000000000000@AdobeOrg";
    public const string SandboxName = "prod";

    private readonly EmulatorLauncher _launcher;

    public EmulatorProcess(int seedJobs, params string[] extra)
    {
        _launcher = new EmulatorLauncher(BenchPaths.EmulatorDll,
            new[]
            {
                "--mode", "unified", "--client-id", ClientId, "--client-secret", ClientSecret, "--org-id", OrgId, "--sandbox-name", SandboxName,
                "--seed-jobs", seedJobs.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--job-step-ms", "0", "--request-log-limit", "0",
                "--daily-identity-quota", "1000000000", "--monthly-identity-quota", "1000000000",
            }.Concat(extra),
            startTimeout: TimeSpan.FromSeconds(60), controlTimeout: TimeSpan.FromSeconds(120));
    }

    public Uri BaseUri => _launcher.BaseUri;

    public string StandardError => _launcher.StandardError;

    /// <summary>CPU time the emulator process has used so far (all its threads).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _launcher.Process.Refresh();
            return _launcher.Process.TotalProcessorTime;
        }
    }

    /// <summary>The ids of the jobs the emulator holds, from its control API.</summary>
    public IReadOnlyList<string> JobIds()
    {
        using var document = JsonDocument.Parse(Get("__emulator/jobs"));
        return document.RootElement.GetProperty("jobs").EnumerateArray()
            .Where(j => !j.GetProperty("deleted").GetBoolean())
            .Select(j => j.GetProperty("id").GetString()!)
            .ToList();
    }

    /// <summary>Drops every job, token, privacy job, work order and quota use, and reseeds.</summary>
    public void Reset() => _launcher.Post("__emulator/reset", "{}");

    public int PrivacyJobCount()
    {
        using var document = JsonDocument.Parse(Get("__emulator/privacy-jobs"));
        return document.RootElement.GetProperty("jobs").GetArrayLength();
    }

    private string Get(string path) => _launcher.Get(path);

    public void Dispose() => _launcher.Dispose();
}
