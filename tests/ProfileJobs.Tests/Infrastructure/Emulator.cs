using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using ProfileJobs.Testing;

namespace ProfileJobs.Tests.Infrastructure
{
    /// <summary>One request as the emulator saw it.</summary>
    public sealed record LoggedRequest(long Seq, string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body, int Status)
    {
        public string? Header(string name) =>
            Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

        public bool IsToken => Path.StartsWith("/ims/token", StringComparison.Ordinal);

        public JsonElement Json => JsonDocument.Parse(Body).RootElement;
    }

    public sealed record StoredPrivacyJob(string JobId, string RequestId, string UserKey, int IdentityCount);

    public sealed record StoredWorkOrder(string WorkOrderId, string DisplayName, int IdentityCount, string DatasetId);

    /// <summary>The AEP emulator, started as a separate process on a free loopback port, as the tests' real server.</summary>
    public sealed class Emulator : IDisposable
    {
        public const string ClientId = "test-client";
        public const string ClientSecret = "test-secret-4f1c9a";
        public const string OrgId = "TESTORG0000000000000000@AdobeOrg";
        public const string SandboxName = "prod";
        public const string SandboxId = "5b1c1b3a-0000-4000-8000-00000000e001";

        private readonly EmulatorLauncher _launcher;

        public Emulator(string mode, params string[] extraArguments)
        {
            Mode = mode;
            _launcher = new EmulatorLauncher(Paths.EmulatorDll,
                new[]
                {
                    "--mode", mode, "--client-id", ClientId, "--client-secret", ClientSecret, "--org-id", OrgId,
                    "--sandbox-name", SandboxName, "--sandbox-id", SandboxId,
                }.Concat(extraArguments),
                startTimeout: TimeSpan.FromSeconds(30), controlTimeout: TimeSpan.FromSeconds(30));
        }

        public string Mode { get; }
        public Uri BaseUri => _launcher.BaseUri;

        public string StandardError => _launcher.StandardError;

        /// <summary>The PowerShell that connects a session to this emulator (the secret never appears in clear in scripts).</summary>
        public string ConnectScript(string extra = "") =>
            $"Connect-ExperiencePlatform -ClientId '{ClientId}' -ClientSecret ([System.Net.NetworkCredential]::new('', '{ClientSecret}').SecurePassword) " +
            $"-OrgId '{OrgId}' -PlatformUri '{BaseUri}' -ImsUri '{BaseUri}' {SandboxArgument} {extra}";

        public string SandboxArgument => Mode == "aws" ? $"-SandboxId '{SandboxId}'" : $"-Sandbox '{SandboxName}'";

        public long LogPosition()
        {
            using var document = JsonDocument.Parse(Get("__emulator/requests?since=0"));
            return document.RootElement.GetProperty("next").GetInt64();
        }

        public IReadOnlyList<LoggedRequest> RequestsSince(long position)
        {
            using var document = JsonDocument.Parse(Get($"__emulator/requests?since={position}"));
            return document.RootElement.GetProperty("requests").EnumerateArray().Select(r => new LoggedRequest(
                r.GetProperty("seq").GetInt64(),
                r.GetProperty("method").GetString() ?? "",
                r.GetProperty("path").GetString() ?? "",
                r.TryGetProperty("query", out var q) ? q.GetString() ?? "" : "",
                r.GetProperty("headers").EnumerateObject().ToDictionary(h => h.Name, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                r.TryGetProperty("body", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString() ?? "" : "",
                r.GetProperty("status").GetInt32())).ToList();
        }

        /// <summary>Requests to the platform API since <paramref name="position"/>, without the IMS token calls.</summary>
        public IReadOnlyList<LoggedRequest> ApiRequestsSince(long position) => RequestsSince(position).Where(r => !r.IsToken).ToList();

        public void ExpireTokens() => Post("__emulator/tokens/expire", "{}");

        public void RegisterDataset(string id, string behavior = "timeseries", bool fail = false) =>
            Post("__emulator/datasets", JsonSerializer.Serialize(new { id, behavior, fail }));

        /// <summary>Every job the emulator holds, as its control API reports them.</summary>
        public JsonElement Jobs() => JsonDocument.Parse(Get("__emulator/jobs")).RootElement.GetProperty("jobs");

        public IReadOnlyList<StoredPrivacyJob> PrivacyJobs() =>
            JsonDocument.Parse(Get("__emulator/privacy-jobs")).RootElement.GetProperty("jobs").EnumerateArray()
                .Select(j => new StoredPrivacyJob(j.GetProperty("jobId").GetString()!, j.GetProperty("requestId").GetString()!,
                    j.GetProperty("userKey").GetString() ?? "", j.GetProperty("identityCount").GetInt32()))
                .ToList();

        public IReadOnlyList<StoredWorkOrder> WorkOrders() =>
            JsonDocument.Parse(Get("__emulator/workorders")).RootElement.GetProperty("workorders").EnumerateArray()
                .Select(w => new StoredWorkOrder(w.GetProperty("workorderId").GetString()!, w.GetProperty("displayName").GetString() ?? "",
                    w.GetProperty("identityCount").GetInt32(), w.GetProperty("datasetId").GetString() ?? ""))
                .ToList();

        public void SetFaults(string rulesJson) => Post("__emulator/faults", rulesJson);

        public void ClearFaults() => _launcher.Delete("__emulator/faults");

        public int LiveJobCount() => Jobs().EnumerateArray().Count(j => !j.GetProperty("deleted").GetBoolean());

        private string Get(string path) => _launcher.Get(path);

        private void Post(string path, string json) => _launcher.Post(path, json);

        public void Dispose() => _launcher.Dispose();
    }

    public sealed class UnifiedEmulator : IDisposable
    {
        public Emulator Server { get; } = new Emulator("unified", "--seed-jobs", "250", "--job-step-ms", "300");
        public void Dispose() => Server.Dispose();
    }

    public sealed class AzureEmulator : IDisposable
    {
        public Emulator Server { get; } = new Emulator("azure", "--seed-jobs", "250", "--job-step-ms", "300");
        public void Dispose() => Server.Dispose();
    }

    public sealed class AwsEmulator : IDisposable
    {
        public Emulator Server { get; } = new Emulator("aws", "--seed-jobs", "250", "--job-step-ms", "300");
        public void Dispose() => Server.Dispose();
    }
}
