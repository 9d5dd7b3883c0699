using System;
using System.Globalization;

namespace ProfileJobs
{
    /// <summary>
    /// How a context retries: requests that are safe to repeat (reads, and anything the platform answered 429, which
    /// it did not process) are retried with jittered exponential backoff, as long as attempts and time remain.
    /// </summary>
    public sealed class RetrySettings
    {
        public const string MaxRetriesVariable = "PROFILEJOBS_MAX_RETRIES";
        public const string BaseDelayVariable = "PROFILEJOBS_RETRY_BASE_DELAY_MS";
        public const string MaxRetrySecondsVariable = "PROFILEJOBS_MAX_RETRY_SECONDS";
        public const string RequestTimeoutVariable = "PROFILEJOBS_REQUEST_TIMEOUT_SECONDS";

        /// <summary>Retries after the first attempt; 0 turns retrying off.</summary>
        public int MaxRetries { get; set; } = 4;

        /// <summary>The first backoff delay; later ones double, with jitter, up to <see cref="MaxDelay"/>.</summary>
        public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

        public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>No retry starts once this much time has passed since the first attempt.</summary>
        public TimeSpan MaxRetryDuration { get; set; } = TimeSpan.FromMinutes(2);

        /// <summary>How long one attempt may take.</summary>
        public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

        /// <summary>The defaults, overridden by the PROFILEJOBS_* environment variables that are set.</summary>
        public static RetrySettings FromEnvironment()
        {
            var settings = new RetrySettings();
            if (TryRead(MaxRetriesVariable, 0, 100, out var retries)) settings.MaxRetries = (int)retries;
            if (TryRead(BaseDelayVariable, 1, 600_000, out var delayMs)) settings.BaseDelay = TimeSpan.FromMilliseconds(delayMs);
            if (TryRead(MaxRetrySecondsVariable, 0, 86_400, out var maxSeconds)) settings.MaxRetryDuration = TimeSpan.FromSeconds(maxSeconds);
            if (TryRead(RequestTimeoutVariable, 1, 86_400, out var timeout)) settings.RequestTimeout = TimeSpan.FromSeconds(timeout);
            return settings;
        }

        public override string ToString() =>
            string.Format(CultureInfo.InvariantCulture, "{0} retries, base delay {1} ms, at most {2} s of retrying, {3} s per attempt",
                MaxRetries, BaseDelay.TotalMilliseconds, MaxRetryDuration.TotalSeconds, RequestTimeout.TotalSeconds);

        private static bool TryRead(string variable, double min, double max, out double value)
        {
            value = 0;
            var text = Environment.GetEnvironmentVariable(variable);
            if (string.IsNullOrWhiteSpace(text)) return false;
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) || value < min || value > max)
            {
                throw new ArgumentException($"The environment variable {variable} is '{text}'; it must be a number from {min} to {max}.", variable);
            }
            return true;
        }
    }
}
