using System;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using ProfileJobs.Emulator.Infrastructure;

namespace ProfileJobs.Emulator.Gateway;

/// <summary>A sandbox as seen by a service. <see cref="Key"/> is what data is partitioned by.</summary>
public readonly record struct SandboxRef(string Name, string Id, string Key);

/// <summary>Which header identifies the sandbox for a route.</summary>
public enum SandboxHeader
{
    /// <summary><c>x-sandbox-name</c> (azure/unified system jobs, hygiene workorder/ttl).</summary>
    Name,

    /// <summary><c>x-sandbox-id</c>, a UUID (aws system jobs).</summary>
    Id,
}

/// <summary>
/// Resolves the sandbox of a request. Any name/id is accepted; data are partitioned by it. The missing/invalid
/// header bodies are emulator-invented (aep-api.md 5.1, 5.7).
/// </summary>
public static class SandboxResolver
{
    public const string NameHeader = "x-sandbox-name";
    public const string IdHeader = "x-sandbox-id";

    /// <summary>Returns the sandbox, or null after writing a 400 problem response.</summary>
    public static SandboxRef? Resolve(HttpContext ctx, EmulatorOptions options, SandboxHeader kind, out Task? errorResponse)
    {
        errorResponse = null;
        string? name = First(ctx.Request.Headers[NameHeader]);
        if (kind == SandboxHeader.Name)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                errorResponse = Problems.WriteAsync(ctx, 400, Problems.MissingSandbox, "Missing sandbox header", "x-sandbox-name is required");
                return null;
            }

            name = name.Trim();
            string id = string.Equals(name, options.SandboxName, StringComparison.Ordinal) ? options.SandboxId : Ids.NameBasedUuid(name);
            return new SandboxRef(name, id, name);
        }

        string? rawId = First(ctx.Request.Headers[IdHeader]);
        if (string.IsNullOrWhiteSpace(rawId))
        {
            errorResponse = Problems.WriteAsync(ctx, 400, Problems.MissingSandbox, "Missing sandbox header", "x-sandbox-id is required");
            return null;
        }

        if (!Guid.TryParse(rawId.Trim(), out Guid guid))
        {
            errorResponse = Problems.WriteAsync(ctx, 400, Problems.InvalidSandbox, "Invalid sandbox header", $"x-sandbox-id must be a UUID, got '{rawId}'");
            return null;
        }

        string normalized = guid.ToString("D");
        string sandboxName = string.Equals(normalized, options.SandboxId, StringComparison.OrdinalIgnoreCase)
            ? options.SandboxName
            : !string.IsNullOrWhiteSpace(name) ? name.Trim() : "sandbox-" + normalized.Substring(0, 8);
        return new SandboxRef(sandboxName, normalized, normalized);
    }

    private static string? First(StringValues v) => StringValues.IsNullOrEmpty(v) ? null : v[0];
}
