using System;
using System.Collections.Generic;
using System.Threading;

namespace ProfileJobs.Emulator.Faults;

/// <summary>A rule plus its live counters.</summary>
public sealed class ActiveFault
{
    private long _matched;
    private long _fired;

    public ActiveFault(FaultRule rule, int index)
    {
        Rule = rule;
        Index = index;
    }

    public FaultRule Rule { get; }

    public int Index { get; }

    /// <summary>Requests whose method and path matched the rule (whether or not it fired).</summary>
    public long Matched => Interlocked.Read(ref _matched);

    /// <summary>Times the fault was applied.</summary>
    public long Fired => Interlocked.Read(ref _fired);

    internal long CountMatch() => Interlocked.Increment(ref _matched);

    /// <summary>Reserves one firing, respecting <see cref="FaultRule.Count"/>.</summary>
    internal bool TryReserveFiring()
    {
        long? limit = Rule.Count;
        if (limit == null)
        {
            Interlocked.Increment(ref _fired);
            return true;
        }

        while (true)
        {
            long current = Interlocked.Read(ref _fired);
            if (current >= limit.Value)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _fired, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    internal bool Exhausted => Rule.Count is long limit && Interlocked.Read(ref _fired) >= limit;
}

/// <summary>
/// The current fault rules. Replacing the set is atomic (one array swap); evaluating costs one volatile read when
/// there are no rules. Probability draws come from one seeded generator behind a lock, reseeded whenever the set is
/// replaced, so a single-threaded test sees the same sequence on every run.
/// </summary>
public sealed class FaultSet
{
    private readonly Lock _rngLock = new();
    private readonly int _seed;
    private volatile ActiveFault[] _rules = Array.Empty<ActiveFault>();
    private volatile bool _everArmed;
    private Random _random;

    public FaultSet(int seed, IReadOnlyList<FaultRule> initial)
    {
        _seed = seed;
        _random = new Random(seed);
        Replace(initial);
    }

    /// <summary>The current rules (a snapshot; do not modify).</summary>
    public ActiveFault[] Rules => _rules;

    /// <summary>True once any rule has ever been set; lets the request log skip the fault lookup until then.</summary>
    public bool EverArmed => _everArmed;

    public void Replace(IReadOnlyList<FaultRule> rules)
    {
        var active = new ActiveFault[rules.Count];
        for (int i = 0; i < active.Length; i++)
        {
            active[i] = new ActiveFault(rules[i], i);
        }

        lock (_rngLock)
        {
            _random = new Random(_seed);
        }

        if (active.Length > 0)
        {
            _everArmed = true;
        }

        _rules = active;
    }

    public int Clear()
    {
        int n = _rules.Length;
        _rules = Array.Empty<ActiveFault>();
        return n;
    }

    /// <summary>
    /// The first rule that matches and fires for this request, or null. <paramref name="target"/> says what the
    /// request is, for kinds that only apply to some requests (paged lists, privacy creates).
    /// </summary>
    public ActiveFault? Evaluate(ActiveFault[] rules, string method, string path, FaultTarget target = FaultTarget.None)
    {
        foreach (ActiveFault rule in rules)
        {
            FaultRule r = rule.Rule;
            if ((r.Method != "*" && !string.Equals(r.Method, method, StringComparison.OrdinalIgnoreCase)) ||
                !path.StartsWith(r.Path, StringComparison.OrdinalIgnoreCase) ||
                (r.Target != FaultTarget.None && (r.Target & target) == 0))
            {
                continue;
            }

            long seen = rule.CountMatch();
            if (seen <= r.Skip || rule.Exhausted)
            {
                continue;
            }

            if (r.Probability < 1.0 && !Draw(r.Probability))
            {
                continue;
            }

            if (rule.TryReserveFiring())
            {
                return rule;
            }
        }

        return null;
    }

    private bool Draw(double probability)
    {
        if (probability <= 0)
        {
            return false;
        }

        lock (_rngLock)
        {
            return _random.NextDouble() < probability;
        }
    }
}

/// <summary>
/// Set on the request by <see cref="FaultMiddleware"/>; read by the request log, and by the handlers that carry out
/// the kinds applied inside them (paging faults, short acknowledgements).
/// </summary>
public sealed class FaultMark
{
    public FaultMark(FaultRule rule)
    {
        Rule = rule;
    }

    public FaultRule Rule { get; }

    public FaultKind Kind => Rule.Kind;

    /// <summary>The connection was aborted without a response (logged as status 0).</summary>
    public bool Dropped { get; set; }

    /// <summary>Response body bytes written by a <c>drip</c> or <c>endless-body</c> fault; null for other kinds.</summary>
    public long? ResponseBytes { get; set; }

    public string Name => FaultRule.KindName(Kind);

    /// <summary>The rule applied to this request if it is of <paramref name="target"/>'s kinds, else null.</summary>
    public static FaultRule? For(Microsoft.AspNetCore.Http.HttpContext ctx, FaultTarget target) =>
        ctx.Features.Get<FaultMark>() is FaultMark mark && mark.Rule.Target == target ? mark.Rule : null;
}
