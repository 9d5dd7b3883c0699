using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;

namespace ProfileJobs.Benchmarks;

/// <summary>Repeated measurements of one thing: median and spread (min to max).</summary>
internal sealed class Samples
{
    private readonly List<double> _values = new();

    public void Add(double value) => _values.Add(value);

    public int Count => _values.Count;
    public double Median
    {
        get
        {
            if (_values.Count == 0) return double.NaN;
            var sorted = _values.OrderBy(v => v).ToList();
            var mid = sorted.Count / 2;
            return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        }
    }

    public double Min => _values.Count == 0 ? double.NaN : _values.Min();
    public double Max => _values.Count == 0 ? double.NaN : _values.Max();

    /// <summary>"1,234 ms (1,200–1,300, n=5)".</summary>
    public string Describe(string unit, string format = "N0") =>
        Count == 1
            ? $"{Fmt(Median, format)} {unit}"
            : $"{Fmt(Median, format)} {unit} ({Fmt(Min, format)}–{Fmt(Max, format)}, n={Count})";

    public static string Fmt(double value, string format = "N0") => value.ToString(format, CultureInfo.InvariantCulture);
}

/// <summary>Times an action; a full collection first so one run's garbage is not billed to the next.</summary>
internal static class Timing
{
    public static double Milliseconds(Action action)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalMilliseconds;
    }
}

/// <summary>Samples this process's managed heap and working set every few milliseconds and keeps the peaks.</summary>
internal sealed class MemorySampler : IDisposable
{
    private readonly Thread _thread;
    private readonly Process _self = Process.GetCurrentProcess();
    private volatile bool _stop;

    public MemorySampler()
    {
        BaselineManaged = GC.GetTotalMemory(false);
        PeakManaged = BaselineManaged;
        _thread = new Thread(Loop) { IsBackground = true, Name = "memory sampler" };
        _thread.Start();
    }

    public long BaselineManaged { get; }
    public long PeakManaged { get; private set; }
    public long PeakWorkingSet { get; private set; }

    private void Loop()
    {
        while (!_stop)
        {
            Sample();
            Thread.Sleep(5);
        }
    }

    private void Sample()
    {
        var managed = GC.GetTotalMemory(false);
        if (managed > PeakManaged) PeakManaged = managed;
        _self.Refresh();
        var ws = _self.WorkingSet64;
        if (ws > PeakWorkingSet) PeakWorkingSet = ws;
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
        Sample();
    }
}
