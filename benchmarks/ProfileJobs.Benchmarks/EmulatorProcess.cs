using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;

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

    private readonly Process _process;
    private readonly HttpClient _control;
    private readonly StringBuilder _stderr = new();

    public EmulatorProcess(int seedJobs, params string[] extra)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     BenchPaths.EmulatorDll, "--urls", "http://127.0.0.1:0", "--mode", "unified", "--exit-on-stdin-close",
                     "--client-id", ClientId, "--client-secret", ClientSecret, "--org-id", OrgId, "--sandbox-name", SandboxName,
                     "--seed-jobs", seedJobs.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--job-step-ms", "0", "--request-log-limit", "0",
                     "--daily-identity-quota", "1000000000", "--monthly-identity-quota", "1000000000",
                 }.Concat(extra))
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the emulator.");
        _process.ErrorDataReceived += (_, e) => { lock (_stderr) _stderr.AppendLine(e.Data); };
        _process.BeginErrorReadLine();
        var line = _process.StandardOutput.ReadLineAsync();
        if (!line.Wait(TimeSpan.FromSeconds(60)) || line.Result == null || !line.Result.StartsWith("LISTENING ", StringComparison.Ordinal))
        {
            Dispose();
            throw new InvalidOperationException($"The emulator did not start: {(line.IsCompleted ? line.Result : "(no output)")} {StandardError}");
        }

        BaseUri = new Uri(line.Result.Substring("LISTENING ".Length).Trim().TrimEnd('/') + "/");
        _control = new HttpClient { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(120) };
    }

    public Uri BaseUri { get; }

    public string StandardError
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    /// <summary>CPU time the emulator process has used so far (all its threads).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
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
    public void Reset()
    {
        using var content = new StringContent("{}", Encoding.UTF8, "application/json");
        using var response = _control.PostAsync("__emulator/reset", content).GetAwaiter().GetResult();
        response.EnsureSuccessStatusCode();
    }

    public int PrivacyJobCount()
    {
        using var document = JsonDocument.Parse(Get("__emulator/privacy-jobs"));
        return document.RootElement.GetProperty("jobs").GetArrayLength();
    }

    private string Get(string path)
    {
        using var response = _control.GetAsync(path).GetAwaiter().GetResult();
        var body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode} {body}");
        return body;
    }

    public void Dispose()
    {
        _control?.Dispose();
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(5000)) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
        catch (System.IO.IOException)
        {
        }

        _process.Dispose();
    }
}
