using System;
using System.Globalization;

namespace ProfileJobs
{
    /// <summary>
    /// How a context retries: requests that are safe to repeat (reads, and anything the platform answered 429, which
    /// it did not process) are retried with jittered exponential backoff, as long as attempts and time remain.
    /// Set at connect time (parameters or PROFILEJOBS_* variables); read-only afterwards.
    /// </summary>
    public sealed class RetrySettings
    {
        /// <summary>Retries after the first attempt; 0 turns retrying off.</summary>
        public int MaxRetries { get; internal set; } = 4;

        /// <summary>The first backoff delay; later ones double, with jitter, up to <see cref="MaxDelay"/>.</summary>
        public TimeSpan BaseDelay { get; internal set; } = TimeSpan.FromSeconds(1);

        public TimeSpan MaxDelay { get; internal set; } = TimeSpan.FromSeconds(30);

        /// <summary>No retry starts once this much time has passed since the first attempt.</summary>
        public TimeSpan MaxRetryDuration { get; internal set; } = TimeSpan.FromMinutes(2);

        /// <summary>How long one attempt may take.</summary>
        public TimeSpan RequestTimeout { get; internal set; } = TimeSpan.FromSeconds(100);

        public override string ToString() =>
            string.Format(CultureInfo.InvariantCulture, "{0} retries, base delay {1} ms, at most {2} s of retrying, {3} s per attempt",
                MaxRetries, BaseDelay.TotalMilliseconds, MaxRetryDuration.TotalSeconds, RequestTimeout.TotalSeconds);
    }
}
