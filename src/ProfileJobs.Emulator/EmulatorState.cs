using System;
using ProfileJobs.Emulator.Datasets;
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
        Seed();
    }

    public EmulatorOptions Options { get; }

    public TimeProvider Clock { get; }

    public TokenStore Tokens { get; }

    public DatasetRegistry Datasets { get; }

    public RequestLog RequestLog { get; }

    public SystemJobStore SystemJobs { get; }

    internal ISystemJobRenderer SystemJobRenderer { get; }

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

    /// <summary>Clears jobs, tokens, the request log and dataset registrations, then reseeds per options.</summary>
    public void Reset()
    {
        Tokens.Reset();
        RequestLog.Clear();
        Datasets.Reset();
        SystemJobs.Clear();
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
