using System;
using System.Collections.Generic;

namespace ProfileJobs.Emulator;

/// <summary>Which generation of the Profile system-jobs contract is emulated (aep-api.md 1.1 / 5.3).</summary>
public enum EmulatorMode
{
    /// <summary>Gen A, Azure legacy: <c>id</c>/<c>jobType</c>/epoch seconds, <c>_page.count/next</c>.</summary>
    Azure,

    /// <summary>Gen B, AWS: bare JSON array, <c>x-sandbox-id</c>, no query parameters.</summary>
    Aws,

    /// <summary>Gen C, unified: <c>_page.pageSize/start/totalCount/next</c> page numbers.</summary>
    Unified,
}

/// <summary>Order of the unified-mode list (DOC-SJ-U1 says ascending, DOC-SJ-U2 descending).</summary>
public enum ListOrder
{
    Ascending,
    Descending,
}

/// <summary>Everything the emulator can be configured with. Defaults match the documented CLI defaults.</summary>
public sealed class EmulatorOptions
{
    public const string DefaultSandboxId = "5b1c1b3a-0000-4000-8000-00000000e001";

    /// <summary>Dataset ids that are always registered with record behaviour (batch deletes are rejected).</summary>
    public static readonly IReadOnlyList<string> BuiltInRecordDatasets = new[]
    {
        "65e1d0c0ffee00000000a001",
        "65e1d0c0ffee00000000a002",
        // The record dataset named in Adobe's own error example (DOC-SJ-A).
        "a294e36d382649dab2cc6ad64a41b674",
    };

    /// <summary>Kestrel URL; only loopback http is allowed. Port 0 picks a free port.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:0";

    public EmulatorMode Mode { get; set; } = EmulatorMode.Unified;

    /// <summary>Number of pre-existing jobs in the configured (org, sandbox).</summary>
    public int SeedJobs { get; set; }

    public string ClientId { get; set; } = "emulator-client";

    public string ClientSecret { get; set; } = "emulator-secret";

    public string OrgId { get; set; } = "EMULATOR00000000000000000@AdobeOrg";

    public string SandboxName { get; set; } = "prod";

    public string SandboxId { get; set; } = DefaultSandboxId;

    /// <summary>Access-token lifetime in seconds (IMS answers <c>expires_in</c> in seconds).</summary>
    public int TokenLifetimeSeconds { get; set; } = 86399;

    /// <summary>A job is NEW for this long, then IN-PROGRESS/PROCESSING until twice this, then final. 0 = final at once.</summary>
    public int JobStepMs { get; set; } = 2000;

    public ListOrder Order { get; set; } = ListOrder.Ascending;

    public List<string> RecordDatasets { get; } = new();

    public List<string> FailDatasets { get; } = new();

    public bool ExitOnStdinClose { get; set; }

    /// <summary>Identity values that make privacy jobs end <c>error</c> and work orders end <c>failed</c>.</summary>
    public List<string> FailIdentities { get; } = new();

    /// <summary>Maximum <c>users</c> per <c>POST /data/core/privacy/jobs</c> (aep-api.md 1.3: 1000).</summary>
    public int PrivacyMaxUsers { get; set; } = 1000;

    /// <summary>Maximum <c>size</c> of a privacy job list page (DOC-PJ: 1000; SPEC-PRIV: 100).</summary>
    public int PrivacyMaxPageSize { get; set; } = 1000;

    /// <summary>Identities per day accepted by hygiene work orders, per org (DOC-WO: 1,000,000).</summary>
    public long DailyIdentityQuota { get; set; } = 1_000_000;

    /// <summary>Identities per calendar month accepted by hygiene work orders, per org (DOC-WO: 2,000,000 without Shield).</summary>
    public long MonthlyIdentityQuota { get; set; } = 2_000_000;

    /// <summary>Fault-injection rules active at start-up and after every reset (<c>--faults FILE</c>).</summary>
    public List<Faults.FaultRule> Faults { get; } = new();

    /// <summary>Seed of the generator behind fault <c>probability</c> draws.</summary>
    public int FaultSeed { get; set; } = 20250114;

    /// <summary>Maximum number of entries kept by the request log (oldest are dropped). 0 disables recording.</summary>
    public int RequestLogLimit { get; set; } = 100_000;

    /// <summary>Clock used for token expiry and job progression. Tests hosting in-process may inject a fake.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    public static string ModeName(EmulatorMode mode) => mode switch
    {
        EmulatorMode.Azure => "azure",
        EmulatorMode.Aws => "aws",
        _ => "unified",
    };
}
