namespace ProfileJobs
{
    /// <summary>
    /// What became of a request that creates something. When the request failed in a way that leaves its effect
    /// unknown (a timeout, a dropped connection, a 5xx, an unreadable answer), the client looks for what it would have
    /// created instead of sending it again, so the caller learns which of the three cases it is.
    /// </summary>
    public sealed class SubmissionOutcome<T> where T : class
    {
        private SubmissionOutcome(T? created, PlatformApiException? failure, bool outcomeKnown)
        {
            Created = created;
            Failure = failure;
            OutcomeKnown = outcomeKnown;
        }

        /// <summary>What the platform created: from its answer, or found afterwards when the answer was lost.</summary>
        public T? Created { get; }

        /// <summary>The failure, if the request did not simply succeed.</summary>
        public PlatformApiException? Failure { get; }

        /// <summary>False when neither the answer nor a later lookup could tell whether it was created.</summary>
        public bool OutcomeKnown { get; }

        public static SubmissionOutcome<T> Succeeded(T created) => new SubmissionOutcome<T>(created, null, true);
        public static SubmissionOutcome<T> FoundAfter(T created, PlatformApiException failure) => new SubmissionOutcome<T>(created, failure, true);
        public static SubmissionOutcome<T> NotCreated(PlatformApiException failure) => new SubmissionOutcome<T>(null, failure, true);
        public static SubmissionOutcome<T> Unknown(PlatformApiException failure) => new SubmissionOutcome<T>(null, failure, false);

        /// <summary>Failures after which the request may or may not have been carried out.</summary>
        public static bool IsAmbiguous(PlatformApiException failure) =>
            failure.Kind == PlatformErrorKind.Timeout || failure.Kind == PlatformErrorKind.Network ||
            failure.Kind == PlatformErrorKind.ServerError || failure.Kind == PlatformErrorKind.InvalidResponse;
    }
}
