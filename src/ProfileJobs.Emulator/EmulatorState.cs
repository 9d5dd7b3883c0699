using System;
using System.Collections.Frozen;
using ProfileJobs.Emulator.Datasets;
using ProfileJobs.Emulator.Faults;
using ProfileJobs.Emulator.Hygiene;
using ProfileJobs.Emulator.Privacy;
using ProfileJobs.Emulator.Gateway;
using ProfileJobs.Emulator.Ims;
using ProfileJobs.Emulator.RequestLogging;
using ProfileJobs.Emulator.SystemJobs;

namespace ProfileJobs.Emulator;

/// <summary>
/// All mutable emulator state, one instance per host. Services added later (hygiene, privacy, fault injection)
/// should hang their stores here and clear/reseed them in <see cref="Reset"/>.
/// </summary>
public sealed class EmulatorState
{
    public EmulatorState(EmulatorOptions options)
    {
        Options = options;
        Clock = options.Clock;
        Tokens = new TokenStore(Clock, options.TokenLifetimeSeconds);
        Datasets = new DatasetRegistry(options);
        RequestLog = new RequestLog(options.RequestLogLimit);
        SystemJobs = new SystemJobStore();
        SystemJobRenderer = SystemJobRenderers.For(options);
        PrivacyJobs = new PrivacyJobStore();
        WorkOrders = new WorkOrderStore();
        FailIdentities = options.FailIdentities.ToFrozenSet(StringComparer.Ordinal);
        Faults = new FaultSet(options.FaultSeed, options.Faults);
        Seed();
    }

    public EmulatorOptions Options { get; }

    public TimeProvider Clock { get; }

    public TokenStore Tokens { get; }

    public DatasetRegistry Datasets { get; }

    public RequestLog RequestLog { get; }

    public SystemJobStore SystemJobs { get; }

    internal ISystemJobRenderer SystemJobRenderer { get; }

    /// <summary>Privacy Service jobs and hygiene-beta record deletes (<c>/data/core/privacy/jobs</c>).</summary>
    public PrivacyJobStore PrivacyJobs { get; }

    /// <summary>Data Hygiene work orders and the identity quota usage.</summary>
    public WorkOrderStore WorkOrders { get; }

    /// <summary>Identity values from <c>--fail-identity</c>.</summary>
    public FrozenSet<string> FailIdentities { get; }

    /// <summary>Fault-injection rules (<c>/__emulator/faults</c>, <c>--faults</c>).</summary>
    public FaultSet Faults { get; }

    public DateTime UtcNow => Clock.GetUtcNow().UtcDateTime;

    /// <summary>The sandbox that holds seeded data.</summary>
    public SandboxRef ConfiguredSandbox
    {
        get
        {
            string id = Guid.Parse(Options.SandboxId).ToString("D");
            string key = Options.Mode == EmulatorMode.Aws ? id : Options.SandboxName;
            return new SandboxRef(Options.SandboxName, id, key);
        }
    }

    /// <summary>
    /// Clears jobs, tokens, the request log, dataset registrations, privacy jobs, work orders and quota usage, restores
    /// the start-up fault rules (counters zeroed, generator reseeded), then reseeds per options.
    /// </summary>
    public void Reset()
    {
        Tokens.Reset();
        RequestLog.Clear();
        Datasets.Reset();
        SystemJobs.Clear();
        PrivacyJobs.Clear();
        WorkOrders.Clear();
        Faults.Replace(Options.Faults);
        Seed();
    }

    private void Seed()
    {
        if (Options.SeedJobs > 0)
        {
            SandboxRef sandbox = ConfiguredSandbox;
            SystemJobs.AddSeeded(Options.OrgId, sandbox.Key, SystemJobSeeder.Create(Options, sandbox, UtcNow));
        }
    }
}
