using System;
using System.Collections.Generic;
using System.Globalization;

namespace ProfileJobs.Emulator;

/// <summary>Outcome of parsing the command line.</summary>
public sealed class ParseResult
{
    public EmulatorOptions? Options { get; init; }

    public bool ShowHelp { get; init; }

    public string? Error { get; init; }
}

/// <summary>Hand-written parser for the emulator command line (no System.CommandLine dependency).</summary>
public static class OptionsParser
{
    public const string Usage = """
        ProfileJobs.Emulator - local stand-in for Adobe IMS and the AEP Profile system-jobs, Data Hygiene and
        Privacy Service APIs.

        Usage: ProfileJobs.Emulator [options]

        Options (values may be given as "--name value" or "--name=value"):
          --urls URL               Loopback http URL to listen on (default http://127.0.0.1:0 = free port).
          --mode MODE              azure | aws | unified (default unified).
          --seed-jobs N            Pre-existing jobs in the configured sandbox (default 0).
          --client-id ID           Accepted IMS client id, also the required x-api-key (default emulator-client).
          --client-secret SECRET   Accepted IMS client secret (default emulator-secret).
          --org-id ORG             IMS org bound to issued tokens (default EMULATOR00000000000000000@AdobeOrg).
          --sandbox-name NAME      Sandbox holding the seeded jobs in azure/unified (default prod).
          --sandbox-id UUID        Sandbox holding the seeded jobs in aws (default 5b1c1b3a-0000-4000-8000-00000000e001).
          --token-lifetime SEC     Access-token lifetime in seconds (default 86399).
          --job-step-ms MS         NEW for MS ms, then IN-PROGRESS until 2*MS, then final (default 2000; 0 = final at once).
                                   Also the step of privacy jobs (final at 2*MS) and work orders (final at 4*MS).
          --order asc|desc         Unified-mode list order by creation time (default asc).
          --record-dataset ID      Dataset with record behaviour; batch deletes on it are rejected. Repeatable.
          --fail-dataset ID        Delete jobs on this dataset end failed (ERROR in azure, FAILED otherwise). Repeatable.
          --request-log-limit N    Entries kept by /__emulator/requests (default 100000; 0 = do not record).
          --fail-identity VALUE    Privacy jobs with this identity value end "error", work orders "failed". Repeatable.
          --privacy-max-users N    Most users per POST /data/core/privacy/jobs (default 1000).
          --privacy-max-page-size N  Largest "size" of GET /data/core/privacy/jobs (default 1000).
          --daily-identity-quota N   Hygiene work-order identities per org and GMT day (default 1000000).
          --monthly-identity-quota N Hygiene work-order identities per org and GMT month (default 2000000).
          --faults FILE            JSON array of fault-injection rules active from start-up (see docs).
          --fault-seed N           Seed for fault probability draws (default 20250114).
          --exit-on-stdin-close    Exit when standard input reaches end of file.
          -h, --help               Print this help and exit.

        Built-in record datasets: 65e1d0c0ffee00000000a001, 65e1d0c0ffee00000000a002, a294e36d382649dab2cc6ad64a41b674.
        On start one line is printed to stdout: "LISTENING http://127.0.0.1:<port>". Errors go to stderr.
        See docs/emulator.md for routes, per-mode responses and the /__emulator control API.
        """;

    public static ParseResult Parse(IReadOnlyList<string> args)
    {
        var o = new EmulatorOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            string name = arg;
            string? inlineValue = null;
            int eq = arg.IndexOf('=');
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 2)
            {
                name = arg.Substring(0, eq);
                inlineValue = arg.Substring(eq + 1);
            }

            switch (name.ToLowerInvariant())
            {
                case "-h":
                case "-?":
                case "--help":
                    return new ParseResult { ShowHelp = true };
                case "--exit-on-stdin-close":
                    if (inlineValue != null)
                    {
                        return Fail($"option {name} takes no value");
                    }

                    o.ExitOnStdinClose = true;
                    continue;
            }

            string? value = inlineValue;
            if (value == null)
            {
                if (i + 1 >= args.Count)
                {
                    return IsKnown(name) ? Fail($"option {name} requires a value") : Fail($"unknown option '{arg}'");
                }

                value = args[++i];
            }

            string? error = Apply(o, name.ToLowerInvariant(), value);
            if (error != null)
            {
                return Fail(error);
            }
        }

        string? urlError = ValidateUrls(o.Urls);
        return urlError != null ? Fail(urlError) : new ParseResult { Options = o };
    }

    private static bool IsKnown(string name) => name.ToLowerInvariant() switch
    {
        "--urls" or "--mode" or "--seed-jobs" or "--client-id" or "--client-secret" or "--org-id" or "--sandbox-name"
            or "--sandbox-id" or "--token-lifetime" or "--job-step-ms" or "--order" or "--record-dataset"
            or "--fail-dataset" or "--request-log-limit" or "--fail-identity" or "--privacy-max-users"
            or "--privacy-max-page-size" or "--daily-identity-quota" or "--monthly-identity-quota" or "--faults"
            or "--fault-seed" => true,
        _ => false,
    };

    private static string? Apply(EmulatorOptions o, string name, string value)
    {
        switch (name)
        {
            case "--urls":
                o.Urls = value;
                return null;
            case "--mode":
                switch (value.ToLowerInvariant())
                {
                    case "azure": o.Mode = EmulatorMode.Azure; return null;
                    case "aws": o.Mode = EmulatorMode.Aws; return null;
                    case "unified": o.Mode = EmulatorMode.Unified; return null;
                    default: return $"--mode must be azure, aws or unified (got '{value}')";
                }

            case "--seed-jobs":
                return ParseInt(name, value, 0, 10_000_000, v => o.SeedJobs = v);
            case "--client-id":
                return NonEmpty(name, value, v => o.ClientId = v);
            case "--client-secret":
                return NonEmpty(name, value, v => o.ClientSecret = v);
            case "--org-id":
                return NonEmpty(name, value, v => o.OrgId = v);
            case "--sandbox-name":
                return NonEmpty(name, value, v => o.SandboxName = v);
            case "--sandbox-id":
                if (!Guid.TryParseExact(value, "D", out Guid g))
                {
                    return $"--sandbox-id must be a UUID (got '{value}')";
                }

                o.SandboxId = g.ToString("D");
                return null;
            case "--token-lifetime":
                return ParseInt(name, value, 0, int.MaxValue / 1000, v => o.TokenLifetimeSeconds = v);
            case "--job-step-ms":
                return ParseInt(name, value, 0, int.MaxValue / 4, v => o.JobStepMs = v);
            case "--order":
                switch (value.ToLowerInvariant())
                {
                    case "asc": o.Order = ListOrder.Ascending; return null;
                    case "desc": o.Order = ListOrder.Descending; return null;
                    default: return $"--order must be asc or desc (got '{value}')";
                }

            case "--record-dataset":
                return NonEmpty(name, value, v => o.RecordDatasets.Add(v));
            case "--fail-dataset":
                return NonEmpty(name, value, v => o.FailDatasets.Add(v));
            case "--request-log-limit":
                return ParseInt(name, value, 0, 50_000_000, v => o.RequestLogLimit = v);
            case "--fail-identity":
                return NonEmpty(name, value, v => o.FailIdentities.Add(v));
            case "--privacy-max-users":
                return ParseInt(name, value, 1, 1_000_000, v => o.PrivacyMaxUsers = v);
            case "--privacy-max-page-size":
                return ParseInt(name, value, 1, 1_000_000, v => o.PrivacyMaxPageSize = v);
            case "--daily-identity-quota":
                return ParseInt(name, value, 0, int.MaxValue, v => o.DailyIdentityQuota = v);
            case "--monthly-identity-quota":
                return ParseInt(name, value, 0, int.MaxValue, v => o.MonthlyIdentityQuota = v);
            case "--fault-seed":
                return ParseInt(name, value, 0, int.MaxValue, v => o.FaultSeed = v);
            case "--faults":
                return LoadFaults(o, value);
            default:
                return $"unknown option '{name}'";
        }
    }

    private static string? ParseInt(string name, string value, int min, int max, Action<int> set)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int v) || v < min || v > max)
        {
            return $"{name} must be an integer between {min} and {max} (got '{value}')";
        }

        set(v);
        return null;
    }

    private static string? LoadFaults(EmulatorOptions o, string path)
    {
        string text;
        try
        {
            text = System.IO.File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is System.IO.IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return $"--faults: cannot read '{path}': {ex.Message.TrimEnd('.')}";
        }

        if (!Faults.FaultRuleParser.TryParse(System.Text.Encoding.UTF8.GetBytes(text), out List<Faults.FaultRule> rules, out string error))
        {
            return $"--faults: '{path}': {error}";
        }

        o.Faults.Clear();
        o.Faults.AddRange(rules);
        return null;
    }

    private static string? NonEmpty(string name, string value, Action<string> set)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return $"{name} must not be empty";
        }

        set(value);
        return null;
    }

    /// <summary>Only a single loopback http URL is accepted.</summary>
    public static string? ValidateUrls(string urls)
    {
        if (!Uri.TryCreate(urls, UriKind.Absolute, out Uri? uri) || uri.Scheme != Uri.UriSchemeHttp)
        {
            return $"--urls must be a single http URL such as http://127.0.0.1:0 (got '{urls}')";
        }

        if (uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query))
        {
            return "--urls must not contain a path or query";
        }

        string host = uri.Host;
        bool loopback = host == "127.0.0.1" || host == "[::1]" || host.Equals("localhost", StringComparison.OrdinalIgnoreCase);
        if (!loopback)
        {
            return $"--urls must use a loopback host (127.0.0.1, [::1] or localhost), got '{host}'";
        }

        if (uri.Port == 0 && host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return "--urls: port 0 needs an IP host; use http://127.0.0.1:0";
        }

        return null;
    }

    private static ParseResult Fail(string message) => new() { Error = message };
}
