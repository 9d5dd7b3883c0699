using System;

namespace ProfileJobs.Submissions
{
    /// <summary>How a request that creates something ended.</summary>
    internal enum SubmissionState
    {
        /// <summary>The platform answered with what it created.</summary>
        Created,

        /// <summary>The answer was lost, but a lookup found what the request created; it was not sent again.</summary>
        CreatedAfterLostAnswer,

        /// <summary>Nothing was created, for certain: the platform refused, or a lookup after a lost answer found nothing.</summary>
        Failed,

        /// <summary>The request may or may not have been carried out, and no lookup could tell.</summary>
        Unknown,

        /// <summary>The command stopped while the request was on its way: the platform may have accepted it.</summary>
        Interrupted,
    }

    /// <summary>
    /// What became of one create: a system job, a work order, or one request of record-delete jobs. The client decides
    /// it, and words it: <see cref="Failure"/> is the error to report (with its final id), <see cref="Warning"/> what to
    /// tell when the answer was lost but the job found, <see cref="Report"/> the verbose line of a success.
    /// </summary>
    internal sealed class SubmissionOutcome<T> where T : class
    {
        private SubmissionOutcome(SubmissionState state, T? created, PlatformApiException? failure, string? warning, string? report)
        {
            State = state;
            Created = created;
            Failure = failure;
            Warning = warning;
            Report = report;
        }

        public SubmissionState State { get; }

        /// <summary>What the platform created: from its answer, or found afterwards when the answer was lost.</summary>
        public T? Created { get; }

        /// <summary>Why nothing (or nothing known) was created, ready to report; with <see cref="Created"/>, what the answer left unacknowledged.</summary>
        public PlatformApiException? Failure { get; }

        public string? Warning { get; }
        public string? Report { get; }

        /// <summary>False when whether the platform created something is unknown.</summary>
        public bool OutcomeKnown => State != SubmissionState.Unknown && State != SubmissionState.Interrupted;

        public static SubmissionOutcome<T> Succeeded(T created, string report) =>
            new SubmissionOutcome<T>(SubmissionState.Created, created, null, null, report);

        /// <summary>
        /// Created, but the answer leaves out part of what was sent: <see cref="Created"/> is what it names, and
        /// <see cref="Failure"/> (SubmissionOutcomeUnknown) names the rest, to be reported next to it.
        /// </summary>
        public static SubmissionOutcome<T> PartlyAcknowledged(T created, string report, PlatformApiException shortfall) =>
            new SubmissionOutcome<T>(SubmissionState.Created, created, shortfall, null, report);

        public static SubmissionOutcome<T> FoundAfterLostAnswer(T created, string createdName, PlatformApiException lost, string submission) =>
            new SubmissionOutcome<T>(SubmissionState.CreatedAfterLostAnswer, created, null,
                $"The answer to {submission} was lost ({lost.Message}), but the platform did create {createdName}; the request was not sent again.",
                $"{Sentence(submission)} created {createdName}.");

        /// <summary>The platform refused the request: <paramref name="failure"/> is reported as it is.</summary>
        public static SubmissionOutcome<T> Refused(PlatformApiException failure) =>
            new SubmissionOutcome<T>(SubmissionState.Failed, null, failure, null, null);

        /// <summary>
        /// Refused, in a submission of several: the platform's refusal is told as SubmissionFailed saying what the
        /// request carried; a refusal before anything was sent (disconnected, a sandbox value missing, a redirect)
        /// keeps its own id, which says what to fix.
        /// </summary>
        public static SubmissionOutcome<T> Refused(PlatformApiException failure, string submission, object? target) =>
            IsRefusedBeforeProcessing(failure)
                ? Refused(failure)
                : NotCreated(failure, submission, "the platform refused it", target);

        /// <summary>Certainly not created, though the answer was a failure that could have hidden a success (or a refusal of a batch of many).</summary>
        public static SubmissionOutcome<T> NotCreated(PlatformApiException failure, string submission, string howKnown, object? target = null) =>
            new SubmissionOutcome<T>(SubmissionState.Failed, null,
                failure.Refine($"{Sentence(submission)} failed and no job was created ({howKnown}): {failure.Message} Running the command again is safe.", ErrorIds.SubmissionFailed, target),
                null, null);

        public static SubmissionOutcome<T> Unknown(PlatformApiException failure, string submission, string howToCheck, object? target = null) =>
            new SubmissionOutcome<T>(SubmissionState.Unknown, null,
                failure.Refine($"{Sentence(submission)} failed, and whether the platform created a job could not be checked: {failure.Message} {howToCheck} before running the command again.", ErrorIds.SubmissionOutcomeUnknown, target),
                null, null);

        public static SubmissionOutcome<T> Interrupted(string submission) =>
            new SubmissionOutcome<T>(SubmissionState.Interrupted, null,
                new PlatformApiException(PlatformErrorKind.Timeout,
                    $"{Sentence(submission)} was on its way when the command stopped: whether the platform accepted it is unknown.",
                    errorId: ErrorIds.SubmissionOutcomeUnknown),
                null, null);


        private static bool IsRefusedBeforeProcessing(PlatformApiException failure) =>
            failure.Kind == PlatformErrorKind.Disconnected || failure.Kind == PlatformErrorKind.MissingConnectionValue ||
            failure.Kind == PlatformErrorKind.OriginRefused;

        /// <summary>Failures after which the request may or may not have been carried out.</summary>
        public static bool IsAmbiguous(PlatformApiException failure) =>
            failure.Kind == PlatformErrorKind.Timeout || failure.Kind == PlatformErrorKind.Network ||
            failure.Kind == PlatformErrorKind.ServerError || failure.Kind == PlatformErrorKind.InvalidResponse;

        private static string Sentence(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text.Substring(1);
    }
}
