using System;
using System.Threading;

namespace ProfileJobs.Emulator.Tests.Infrastructure;

/// <summary>A clock that moves only when a test says so (token expiry and job progress read it).</summary>
public sealed class ManualClock : TimeProvider
{
    private long _ticks;

    public ManualClock(DateTimeOffset start)
    {
        _ticks = start.UtcTicks;
    }

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

    public void AdvanceMs(double ms) => Advance(TimeSpan.FromMilliseconds(ms));
}
