using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using ProfileJobs.CommandSupport;
using ProfileJobs.Completion;
using ProfileJobs.Connection;
using ProfileJobs.Hygiene;
using ProfileJobs.Submissions;

namespace ProfileJobs.Commands
{
    /// <summary>
    /// <para type="synopsis">Deletes individual customers' records through the Data Hygiene API.</para>
    /// <para type="description">Takes identities from parameters or from the pipeline (for example rows of Import-Csv with
    /// Key, Namespace, Value and Type columns). Rows with the same Key are one customer; a row without a Key is a customer
    /// of its own, and the same keyless identity twice is one customer. Without -DatasetId the record-delete jobs API
    /// (/data/core/privacy/jobs) is used, 1,000 customers per request; with -DatasetId (a dataset id or ALL) the
    /// work-order API (/data/core/hygiene/workorder) is used, 100,000 identities per work order.</para>
    /// <para type="description">Input is streamed: each request is validated and sent as soon as it is full, while the
    /// rest is still read, so a file of any size takes the same memory. Every request is validated before it is sent: a
    /// customer with an invalid identity or more than 9 identities is reported and nothing of it is sent, while the valid
    /// ones still go. Values are trimmed of leading and trailing white space; a control or invisible formatting character
    /// (zero-width, bidirectional override) in a namespace, value or key refuses the row (InvalidIdentity, InvalidKey); a
    /// key is at most 256 characters. Give each customer's rows together: a key that comes back after its customer's request
    /// was sealed is reported (CustomerAlreadySubmitted) and never makes a second job.</para>
    /// <para type="description">The confirmation is asked once, before the first request: when the input is all read by
    /// then, it names the customers, identities and requests; otherwise it says the input is streamed and how much has been
    /// read. -WhatIf reads and validates the whole input, reports its problems and the counts, and sends nothing.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "HygieneRecordDelete", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = JobsSet, HelpUri = HelpLinks.DataHygiene)]
    [OutputType(typeof(HygieneRecordDelete), ParameterSetName = new[] { JobsSet })]
    [OutputType(typeof(HygieneWorkOrder), ParameterSetName = new[] { WorkOrderSet })]
    public sealed class NewHygieneRecordDeleteCommand : ConnectedCmdlet
    {
        private const string JobsSet = "RecordDeleteJobs";
        private const string WorkOrderSet = "WorkOrder";
        private const string Activity = "Submitting record deletes";
        private const int ProgressIntervalMs = 250;

        private readonly List<RecordDeleteProblem> _problems = new List<RecordDeleteProblem>();
        private readonly Stopwatch _clock = new Stopwatch();
        private readonly RecordDeleteInput _row = new RecordDeleteInput();
        private Delete? _delete;
        private long _rows;
        private long _lastProgressAt = -ProgressIntervalMs;

        /// <summary>The identity namespace, such as email, ECID or a custom namespace code.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(IdentityNamespaceCompleter))]
        public string? Namespace { get; set; }

        /// <summary>Identity values; several values without -Key are several customers.</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("IdentityValue")]
        public string[]? Value { get; set; }

        /// <summary>The customer's key: identities with the same key are deleted as one customer.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("UserKey")]
        public string? Key { get; set; }

        /// <summary>standard or custom (or another Privacy Service qualifier).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [PSDefaultValue(Help = "standard for the standard namespaces, custom otherwise")]
        [Alias("Type")]
        [ArgumentCompleter(typeof(IdentityTypeCompleter))]
        public string? IdentityType { get; set; }

        /// <summary>Use the work-order API for this dataset, or ALL for every dataset.</summary>
        [Parameter(Mandatory = true, ParameterSetName = WorkOrderSet)]
        [PlatformIdArgument]
        [ValidatePlatformId]
        [ArgumentCompleter(typeof(HygieneDatasetIdCompleter))]
        public string DatasetId { get; set; } = "";

        /// <summary>The work orders' display name. Each order's name also gets "(part 2)" when there are several, and a
        /// marker unique to this submission, such as [pj-3f2a9c0d1e4b5a6f], by which an order whose answer was lost is found again.</summary>
        [Parameter(ParameterSetName = WorkOrderSet)]
        [PSDefaultValue(Help = "ProfileJobs record delete, with the date and time (UTC)")]
        [ValidateNotNullOrEmpty]
        public string? DisplayName { get; set; }

        /// <summary>The work orders' description.</summary>
        [Parameter(ParameterSetName = WorkOrderSet)]
        public string? Description { get; set; }

        /// <summary>Do not ask for confirmation (the command asks once for the whole batch by default). -WhatIf still wins.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>How many requests may be in flight at once; 1 submits one after another.</summary>
        [Parameter]
        [ValidateRange(1, 16)]
        public int ThrottleLimit { get; set; } = 4;

        protected override void OnProcessRecord()
        {
            var delete = _delete ??= Begin();
            if (delete.Declined) return;
            // One row object for the whole input: the streams read a row and keep none of it.
            var row = _row;
            row.Key = Key;
            row.Namespace = Namespace;
            row.Type = IdentityType;
            if (Value == null || Value.Length == 0)
            {
                row.Value = null;
                row.Row = ++_rows;
                delete.Add(row);
            }
            else
            {
                foreach (var value in Value)
                {
                    row.Value = value;
                    row.Row = ++_rows;
                    delete.Add(row);
                    if (delete.Declined) return;
                }
            }
            ReportProgress(final: false);
            PumpBackgroundWrites();
        }

        protected override void OnEndProcessing()
        {
            if (_delete == null) return;
            _delete.Finish();
            ReportProgress(final: true);
        }

        private Delete Begin()
        {
            _clock.Start();
            var context = ResolveContext();
            var hygiene = PlatformSession.Of(context).Hygiene;
            return ParameterSetName == WorkOrderSet
                ? (Delete)new WorkOrderDelete(this, context, hygiene)
                : new RecordDeleteJobs(this, context, hygiene);
        }

        private void WriteProblems()
        {
            foreach (var problem in _problems)
            {
                WriteError(PlatformErrors.InvalidArgument(problem.Message, problem.ErrorId, problem.Target));
            }
            _problems.Clear();
        }

        /// <summary>
        /// While reading: rows read, customers or identities, requests sent and answered, and the rate; once everything
        /// is read, the share of requests answered and an estimate of the time left from the rate of answers so far.
        /// </summary>
        private void ReportProgress(bool final)
        {
            var now = _clock.ElapsedMilliseconds;
            if (_delete == null || (!final && now - _lastProgressAt < ProgressIntervalMs)) return;
            _lastProgressAt = now;
            var seconds = Math.Max(now / 1000.0, 0.001);
            var rate = (_rows / seconds).ToString("N0", CultureInfo.InvariantCulture);
            var sent = _delete.Sent;
            var answered = _delete.Answered;
            var record = new ProgressRecord(2, Activity, "Reading input")
            {
                RecordType = ProgressRecordType.Processing,
            };
            if (!_delete.InputComplete)
            {
                record.StatusDescription = $"Read {Counts.Of(_rows, "row")} ({_delete.Read}, {rate} rows/s); {Counts.Of(_delete.Sealed, _delete.Noun)} ready, {sent:N0} sent, {answered:N0} answered";
            }
            else
            {
                var total = _delete.Sealed;
                if (total == 0 || answered >= total || final && !_delete.Confirmed)
                {
                    record.StatusDescription = $"Read {Counts.Of(_rows, "row")}; {Counts.Of(answered, _delete.Noun)} answered";
                    record.RecordType = ProgressRecordType.Completed;
                }
                else
                {
                    var answering = _delete.AnsweringSeconds;
                    var answerRate = answered > 0 && answering > 0 ? $", {(answered / answering).ToString("N1", CultureInfo.InvariantCulture)} {_delete.Noun}s/s" : "";
                    record.StatusDescription = $"All {Counts.Of(_rows, "row")} read ({_delete.Read}); {answered:N0} of {Counts.Of(total, _delete.Noun)} answered, {sent:N0} sent{answerRate}";
                    record.PercentComplete = (int)(answered * 100 / total);
                    if (answered > 0 && answering > 0) record.SecondsRemaining = (int)Math.Ceiling(answering / answered * (total - answered));
                }
            }
            WriteProgress(record);
        }

        /// <summary>
        /// One streamed delete: rows go into its stream as they arrive; each request the stream seals is confirmed
        /// (the first one) and queued for the submitter, which runs in the background and writes its outcomes in
        /// request order between input records.
        /// </summary>
        private abstract class Delete
        {
            private readonly Stopwatch _answering = new Stopwatch();
            private double _lastAnswerSeconds;

            protected Delete(NewHygieneRecordDeleteCommand command) => Command = command;

            protected NewHygieneRecordDeleteCommand Command { get; }

            public bool Confirmed { get; private set; }
            public bool Declined { get; protected set; }
            public bool InputComplete { get; private set; }

            public abstract string Noun { get; }
            public abstract int Sealed { get; }

            /// <summary>What has been read so far, for progress: "2,000 customers" or "2,000 identities".</summary>
            public abstract string Read { get; }

            public abstract long Sent { get; }
            public abstract long Answered { get; }

            /// <summary>Seconds from the first request sent to the latest answer.</summary>
            public double AnsweringSeconds => _lastAnswerSeconds;

            public abstract void Add(RecordDeleteInput row);

            /// <summary>Rows left out as duplicates of an identity already taken.</summary>
            public abstract long Duplicates { get; }

            public void Finish()
            {
                InputComplete = true;
                FinishInput();
                Command.WriteProblems();
                if (Duplicates > 0) Command.WriteVerbose($"{Counts.Of(Duplicates, "row")} repeated an identity already taken and {(Duplicates == 1 ? "was" : "were")} left out.");
                if (!Confirmed && !Declined && Sealed > 0) Confirm();
                if (!Confirmed) return;
                CompleteQueue();
                Command.FinishBackground();
            }

            protected abstract void FinishInput();
            protected abstract string Target { get; }
            protected abstract string Action { get; }
            protected abstract void StartSubmitter();
            protected abstract void CompleteQueue();

            protected bool Confirm()
            {
                if (!Command.ShouldProceed(Command.Force, Target, Action))
                {
                    Declined = true;
                    return false;
                }
                Confirmed = true;
                _answering.Start();
                StartSubmitter();
                return true;
            }

            protected void NoteAnswer() => _lastAnswerSeconds = _answering.Elapsed.TotalSeconds;

            /// <summary>The observer of a submission: accepted jobs noted at once, outcomes written in request order.</summary>
            protected BulkObserver<T> Observer<T>(Func<int, string> describe, Func<int, object> targetOf, Func<T, string> describeCreated, Action<T> remember, Action<int> done)
                where T : class => new BulkObserver<T>
                {
                    Answered = (index, outcome) =>
                    {
                        var key = KeyOf(index);
                        if (outcome.Created != null) Command.Unreported.Accepted(key, () => describeCreated(outcome.Created));
                        else if (!outcome.OutcomeKnown) Command.Unreported.Unknown(key, describe(index));
                        if (outcome.Created != null && outcome.Failure != null) Command.Unreported.Unknown(key + " unacknowledged", outcome.Failure.Message);
                    },
                    InOrder = (index, outcome) => Command.Post(() =>
                    {
                        NoteAnswer();
                        var key = KeyOf(index);
                        var created = Command.WriteOutcome(outcome, key, targetOf(index), describeCreated);
                        Command.Unreported.Resolved(key + " unacknowledged");
                        done(index);
                        if (created != null) remember(created);
                        Command.ReportProgress(final: false);
                    }),
                };

            private static string KeyOf(int index) => "submission " + index.ToString(CultureInfo.InvariantCulture);
        }

        /// <summary>
        /// A delete whose sealed requests go through one submission queue: each is kept until its outcome is written
        /// (so a stop can name it) and sent as soon as it is sealed, after the confirmation for the first.
        /// </summary>
        private abstract class StreamedDelete<TRequest> : Delete where TRequest : class
        {
            private readonly Func<TRequest, int> _indexOf;
            private SubmissionQueue<TRequest>? _queue;

            protected StreamedDelete(NewHygieneRecordDeleteCommand command, Func<TRequest, int> indexOf) : base(command) => _indexOf = indexOf;

            /// <summary>Sealed requests whose outcome is not written yet, by index.</summary>
            protected ConcurrentDictionary<int, TRequest> Unwritten { get; } = new ConcurrentDictionary<int, TRequest>();

            public override long Sent => _queue?.Sent ?? 0;
            public override long Answered => _queue?.Answered ?? 0;

            protected SubmissionQueue<TRequest> NewQueue() => _queue = new SubmissionQueue<TRequest>(1);

            protected override void CompleteQueue() => _queue?.Complete();

            /// <summary>
            /// Sends a sealed request: asks first if it is the first one, waits (writing outcomes) while the submitter is
            /// busy. A request that is not sent (declined, -WhatIf, the submitter ended) is not kept.
            /// </summary>
            protected void Enqueue(TRequest request)
            {
                var index = _indexOf(request);
                Unwritten[index] = request;
                if (!Send(request)) Unwritten.TryRemove(index, out _);
            }

            /// <summary>Whether the request went into the queue.</summary>
            private bool Send(TRequest request)
            {
                if (Declined) return false;
                if (!Confirmed)
                {
                    // -WhatIf reads everything and reports the counts at the end; nothing is ever sent.
                    if (Command.WhatIfRequested && !InputComplete) return false;
                    if (!Confirm()) return false;
                }
                while (!_queue!.TryAdd(request, 20))
                {
                    Command.PumpBackgroundWrites();
                    if (Command.BackgroundEnded)
                    {
                        // It ends early only when it failed or was stopped: say so as it ended.
                        Command.FinishBackground();
                        Declined = true;
                        return false;
                    }
                }
                return true;
            }
        }

        private sealed class RecordDeleteJobs : StreamedDelete<RecordDeleteRequest>
        {
            private readonly HygieneClient _hygiene;
            private readonly ExperiencePlatformContext _context;
            private readonly RecordDeleteStream _stream = new RecordDeleteStream();

            public RecordDeleteJobs(NewHygieneRecordDeleteCommand command, ExperiencePlatformContext context, HygieneClient hygiene) : base(command, request => request.Index)
            {
                _context = context;
                _hygiene = hygiene;
            }

            public override string Noun => "request";
            public override long Duplicates => _stream.DuplicatesSkipped;
            public override int Sealed => _stream.RequestCount;
            public override string Read => Counts.Of(_stream.UsersRead, "customer");
            protected override string Target => _hygiene.DescribeRecordDeletes(_stream, InputComplete);
            protected override string Action => "Delete the customers' records";

            public override void Add(RecordDeleteInput row)
            {
                var request = _stream.Add(row, Command._problems);
                Command.WriteProblems();
                if (request != null) Enqueue(request);
            }

            protected override void FinishInput()
            {
                var request = _stream.Finish(Command._problems);
                Command.WriteProblems();
                if (request != null) Enqueue(request);
            }

            protected override void StartSubmitter()
            {
                var queue = NewQueue();
                var listing = CompletionState.Current?.BeginListing(_context, Listed.RecordDeletes);
                var observer = Observer<IReadOnlyList<HygieneRecordDelete>>(
                    index => Unwritten[index].Describe(),
                    index => Unwritten[index].Keys,
                    jobs => $"record-delete jobs {string.Join(", ", jobs.Select(j => j.JobId))}",
                    jobs => listing?.Add(jobs),
                    index => Unwritten.TryRemove(index, out _));
                Command.StartInBackground((stopSending, abort) => _hygiene.SubmitAsync(queue, Command.ThrottleLimit, observer, stopSending, abort));
            }

        }

        private sealed class WorkOrderDelete : StreamedDelete<WorkOrderRequest>
        {
            private readonly HygieneClient _hygiene;
            private readonly ExperiencePlatformContext _context;
            private readonly WorkOrderStream _stream = new WorkOrderStream();
            private readonly WorkOrderSubmission _submission;

            public WorkOrderDelete(NewHygieneRecordDeleteCommand command, ExperiencePlatformContext context, HygieneClient hygiene) : base(command, order => order.Index)
            {
                _context = context;
                _hygiene = hygiene;
                _submission = new WorkOrderSubmission(command.DatasetId, command.DisplayName, command.Description);
            }

            public override string Noun => "work order";
            public override long Duplicates => _stream.DuplicatesSkipped;
            public override int Sealed => _stream.OrderCount;
            public override string Read => Counts.Of(_stream.IdentitiesRead, "identity", "identities");
            protected override string Target => _hygiene.DescribeWorkOrders(_stream, _submission.DatasetId, InputComplete);
            protected override string Action => "Delete the identities' records";

            public override void Add(RecordDeleteInput row)
            {
                var order = _stream.Add(row, Command._problems);
                Command.WriteProblems();
                if (order != null) Enqueue(order);
            }

            protected override void FinishInput()
            {
                var order = _stream.Finish();
                if (order != null) Enqueue(order);
            }

            protected override void StartSubmitter()
            {
                var queue = NewQueue();
                var listing = CompletionState.Current?.BeginListing(_context, Listed.WorkOrders);
                var observer = Observer<HygieneWorkOrder>(
                    index => _submission.Describe(Unwritten[index]),
                    index => _submission.NameOf(Unwritten[index]),
                    order => $"work order {order.WorkOrderId} ('{order.DisplayName}')",
                    order => listing?.Add(order),
                    index => Unwritten.TryRemove(index, out _));
                Command.StartInBackground((stopSending, abort) => _hygiene.SubmitAsync(_submission, queue, Command.ThrottleLimit, observer, stopSending, abort));
            }

        }
    }
}
