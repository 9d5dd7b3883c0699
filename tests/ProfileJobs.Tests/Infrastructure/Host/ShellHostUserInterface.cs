using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;

namespace ProfileJobs.Shell
{
    /// <summary>
    /// The UI of <see cref="ShellHost"/>: writes plain text (no ANSI) to its Output/Error writers, keeps a
    /// thread-safe transcript of everything written, records progress and prompts, and answers prompts from
    /// scripted queues, from the input (when interactive), or fails like <c>pwsh -NonInteractive</c>.
    /// </summary>
    public sealed class ShellHostUserInterface : PSHostUserInterface
    {
        /// <summary>The message pwsh gives when a prompt is needed in NonInteractive mode.</summary>
        public const string NonInteractiveMessage =
            "PowerShell is in NonInteractive mode. Read and Prompt functionality is not available.";

        private readonly object _sync = new object();
        private readonly TextWriter _output;
        private readonly TextWriter _error;
        private readonly TextReader _input;
        private readonly bool _interactive;
        private readonly bool _drawProgress;
        private readonly Queue<int> _choiceAnswers;
        private readonly Queue<string> _readLineAnswers;
        private readonly ShellHostRawUserInterface _rawUI;
        private readonly StringBuilder _transcript = new StringBuilder();
        private readonly StringBuilder _errorTranscript = new StringBuilder();
        private readonly List<ProgressRecord> _progress = new List<ProgressRecord>();
        private readonly List<HostPrompt> _prompts = new List<HostPrompt>();
        private readonly List<ProgressRecord> _activeProgress = new List<ProgressRecord>();
        private int _statusLength;
        private volatile bool _outputToError;

        /// <summary>Creates the UI from options (null = defaults).</summary>
        public ShellHostUserInterface(ShellHostOptions? options = null)
        {
            options ??= new ShellHostOptions();
            _output = options.Output ?? Console.Out;
            _error = options.Error ?? Console.Error;
            _input = options.Input ?? Console.In;
            _interactive = options.Interactive;
            _choiceAnswers = options.ChoiceAnswers ?? new Queue<int>();
            _readLineAnswers = options.ReadLineAnswers ?? new Queue<string>();
            _rawUI = new ShellHostRawUserInterface(options.Width, options.Interactive);
            _drawProgress = _interactive && options.Error == null && !Console.IsErrorRedirected;
        }

        /// <inheritdoc/>
        public override PSHostRawUserInterface RawUI => _rawUI;

        /// <summary>The raw UI, typed (e.g. to change <see cref="ShellHostRawUserInterface.Width"/>).</summary>
        public ShellHostRawUserInterface ShellRawUI => _rawUI;

        /// <summary>False: everything is written as plain text, ANSI sequences are stripped.</summary>
        public override bool SupportsVirtualTerminal => false;

        /// <summary>Whether prompts may read from the input when no scripted answer is queued.</summary>
        public bool Interactive => _interactive;

        /// <summary>Scripted PromptForChoice answers (choice indexes), consumed in order.</summary>
        public Queue<int> ChoiceAnswers => _choiceAnswers;

        /// <summary>Scripted ReadLine/Prompt/credential answers, consumed in order.</summary>
        public Queue<string> ReadLineAnswers => _readLineAnswers;

        /// <summary>Everything written to the UI so far (output and error text, in order).</summary>
        public string Transcript
        {
            get
            {
                lock (_sync)
                {
                    return _transcript.ToString();
                }
            }
        }

        /// <summary>The current length of <see cref="Transcript"/>; use with <see cref="TranscriptSince"/> to read a delta.</summary>
        public int TranscriptLength
        {
            get
            {
                lock (_sync)
                {
                    return _transcript.Length;
                }
            }
        }

        /// <summary>Only the text written to the Error writer (error lines).</summary>
        public string ErrorTranscript
        {
            get
            {
                lock (_sync)
                {
                    return _errorTranscript.ToString();
                }
            }
        }

        /// <summary>Every progress record received, copied at the time it arrived.</summary>
        public IReadOnlyList<ProgressRecord> ProgressRecords
        {
            get
            {
                lock (_sync)
                {
                    return _progress.ToArray();
                }
            }
        }

        /// <summary>Every prompt shown (answered from the queue, from the input, or failed).</summary>
        public IReadOnlyList<HostPrompt> Prompts
        {
            get
            {
                lock (_sync)
                {
                    return _prompts.ToArray();
                }
            }
        }

        /// <summary>The transcript text written after <paramref name="position"/> (a former <see cref="TranscriptLength"/>).</summary>
        public string TranscriptSince(int position)
        {
            lock (_sync)
            {
                position = Math.Clamp(position, 0, _transcript.Length);
                return _transcript.ToString(position, _transcript.Length - position);
            }
        }

        /// <summary>Clears the transcripts and the recorded progress and prompts.</summary>
        public void ClearTranscript()
        {
            lock (_sync)
            {
                _transcript.Clear();
                _errorTranscript.Clear();
                _progress.Clear();
                _prompts.Clear();
            }
        }

        /// <summary>
        /// While the returned object is not disposed, normal output lines are written as error lines (to the Error
        /// writer). Used to render an uncaught terminating error through Out-Default the way pwsh does.
        /// </summary>
        public IDisposable RedirectOutputToError()
        {
            _outputToError = true;
            return new Restore(this);
        }

        private sealed class Restore : IDisposable
        {
            private readonly ShellHostUserInterface _ui;

            public Restore(ShellHostUserInterface ui) => _ui = ui;

            public void Dispose() => _ui._outputToError = false;
        }

        /// <summary>The exception thrown when input is needed but the host is not interactive.</summary>
        public static PSInvalidOperationException NotInteractive() => new PSInvalidOperationException(NonInteractiveMessage);

        // ---------------------------------------------------------------- writing

        /// <inheritdoc/>
        public override void Write(string value) => WriteTo(_output, value, newLine: false);

        /// <inheritdoc/>
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) =>
            WriteTo(_output, value, newLine: false);

        /// <inheritdoc/>
        public override void WriteLine() => WriteTo(_output, string.Empty, newLine: true);

        /// <inheritdoc/>
        public override void WriteLine(string value) => WriteTo(_output, value, newLine: true);

        /// <inheritdoc/>
        public override void WriteLine(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) =>
            WriteTo(_output, value, newLine: true);

        /// <inheritdoc/>
        public override void WriteErrorLine(string value) => WriteTo(_error, value, newLine: true, isError: true);

        /// <inheritdoc/>
        public override void WriteWarningLine(string message) => WriteTo(_output, "WARNING: " + message, newLine: true);

        /// <inheritdoc/>
        public override void WriteVerboseLine(string message) => WriteTo(_output, "VERBOSE: " + message, newLine: true);

        /// <inheritdoc/>
        public override void WriteDebugLine(string message) => WriteTo(_output, "DEBUG: " + message, newLine: true);

        /// <inheritdoc/>
        public override void WriteProgress(long sourceId, ProgressRecord record)
        {
            if (record == null)
            {
                return;
            }

            ProgressRecord copy = Copy(record);
            lock (_sync)
            {
                _progress.Add(copy);
                if (!_drawProgress)
                {
                    return;
                }

                _activeProgress.RemoveAll(p => p.ActivityId == copy.ActivityId);
                if (copy.RecordType != ProgressRecordType.Completed)
                {
                    _activeProgress.Add(copy);
                }

                ClearStatusLocked();
                if (_activeProgress.Count > 0)
                {
                    DrawStatusLocked(_activeProgress[_activeProgress.Count - 1]);
                }
            }
        }

        private void WriteTo(TextWriter writer, string? value, bool newLine, bool isError = false)
        {
            string text = PSHostUserInterface.GetOutputString(value ?? string.Empty, supportsVirtualTerminal: false);
            if (_outputToError && !isError)
            {
                writer = _error;
                isError = true;
            }

            lock (_sync)
            {
                ClearStatusLocked();
                _transcript.Append(text);
                if (newLine)
                {
                    _transcript.Append(Environment.NewLine);
                }

                if (isError)
                {
                    _errorTranscript.Append(text);
                    if (newLine)
                    {
                        _errorTranscript.Append(Environment.NewLine);
                    }
                }

                if (newLine)
                {
                    writer.WriteLine(text);
                }
                else
                {
                    writer.Write(text);
                }

                if (_activeProgress.Count > 0 && _drawProgress && newLine)
                {
                    DrawStatusLocked(_activeProgress[_activeProgress.Count - 1]);
                }
            }
        }

        private void ClearStatusLocked()
        {
            if (_statusLength > 0)
            {
                Console.Error.Write("\r" + new string(' ', _statusLength) + "\r");
                Console.Error.Flush();
                _statusLength = 0;
            }
        }

        private void DrawStatusLocked(ProgressRecord record)
        {
            var sb = new StringBuilder();
            sb.Append(record.Activity);
            if (!string.IsNullOrEmpty(record.StatusDescription))
            {
                sb.Append(": ").Append(record.StatusDescription);
            }

            if (record.PercentComplete >= 0)
            {
                sb.Append(" [").Append(record.PercentComplete.ToString(CultureInfo.InvariantCulture)).Append("%]");
            }

            if (!string.IsNullOrEmpty(record.CurrentOperation))
            {
                sb.Append(' ').Append(record.CurrentOperation);
            }

            string line = PSHostUserInterface.GetOutputString(sb.ToString(), supportsVirtualTerminal: false)
                .Replace('\r', ' ').Replace('\n', ' ');
            int max = Math.Max(1, _rawUI.Width - 1);
            if (line.Length > max)
            {
                line = line.Substring(0, max);
            }

            Console.Error.Write(line);
            Console.Error.Flush();
            _statusLength = line.Length;
        }

        private static ProgressRecord Copy(ProgressRecord r)
        {
            var copy = new ProgressRecord(r.ActivityId, r.Activity, r.StatusDescription)
            {
                ParentActivityId = r.ParentActivityId,
                PercentComplete = r.PercentComplete,
                SecondsRemaining = r.SecondsRemaining,
                RecordType = r.RecordType,
            };
            if (r.CurrentOperation != null)
            {
                copy.CurrentOperation = r.CurrentOperation;
            }

            return copy;
        }

        // ---------------------------------------------------------------- reading and prompting

        /// <inheritdoc/>
        public override string ReadLine()
        {
            string? answer = null;
            try
            {
                answer = ReadAnswer(secret: false);
                return answer;
            }
            finally
            {
                Record(new HostPrompt("ReadLine", null, null, Array.Empty<string>(), answer));
            }
        }

        /// <inheritdoc/>
        public override SecureString ReadLineAsSecureString()
        {
            string? answer = null;
            try
            {
                answer = ReadAnswer(secret: true);
                return ToSecureString(answer);
            }
            finally
            {
                Record(new HostPrompt("SecureString", null, null, Array.Empty<string>(), answer == null ? null : "***"));
            }
        }

        /// <inheritdoc/>
        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            if (choices == null || choices.Count == 0)
            {
                throw new ArgumentException("There must be at least one choice.", nameof(choices));
            }

            string[] labels = choices.Select(c => c.Label).ToArray();
            int? answer = null;
            try
            {
                int queued;
                bool haveQueued;
                lock (_sync)
                {
                    haveQueued = _choiceAnswers.Count > 0;
                    queued = haveQueued ? _choiceAnswers.Dequeue() : -1;
                }

                if (haveQueued)
                {
                    if (queued < 0 || queued >= choices.Count)
                    {
                        throw new ArgumentOutOfRangeException(
                            nameof(ChoiceAnswers), queued, $"The queued choice answer is not an index of the {choices.Count} choices.");
                    }

                    answer = queued;
                    return queued;
                }

                if (!_interactive)
                {
                    throw NotInteractive();
                }

                answer = AskChoice(caption, message, choices, defaultChoice);
                return answer.Value;
            }
            finally
            {
                Record(new HostPrompt("Choice", caption, message, labels, answer?.ToString(CultureInfo.InvariantCulture)));
            }
        }

        /// <inheritdoc/>
        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
        {
            if (descriptions == null)
            {
                throw new ArgumentNullException(nameof(descriptions));
            }

            string[] names = descriptions.Select(d => d.Name).ToArray();
            var result = new Dictionary<string, PSObject>(StringComparer.OrdinalIgnoreCase);
            var shown = new List<string>();
            bool ok = false;
            try
            {
                if (_interactive)
                {
                    WritePromptHeader(caption, message);
                }

                foreach (FieldDescription field in descriptions)
                {
                    string label = string.IsNullOrEmpty(field.Label) ? field.Name : StripHotkey(field.Label);
                    string typeName = field.ParameterTypeFullName ?? string.Empty;
                    if (typeName == typeof(SecureString).FullName)
                    {
                        PromptText(label + ": ");
                        result[field.Name] = new PSObject(ToSecureString(ReadAnswer(secret: true)));
                        shown.Add(field.Name + "=***");
                    }
                    else if (typeName == typeof(PSCredential).FullName)
                    {
                        result[field.Name] = new PSObject(PromptForCredential(caption, message, string.Empty, string.Empty));
                        shown.Add(field.Name + "=<credential>");
                    }
                    else if (typeName.EndsWith("[]", StringComparison.Ordinal))
                    {
                        var items = new List<string>();
                        while (true)
                        {
                            PromptText(string.Format(CultureInfo.InvariantCulture, "{0}[{1}]: ", label, items.Count));
                            string line = ReadAnswer(secret: false);
                            if (line.Length == 0)
                            {
                                break;
                            }

                            items.Add(line);
                        }

                        result[field.Name] = new PSObject(items.ToArray());
                        shown.Add(field.Name + "=" + string.Join(",", items));
                    }
                    else
                    {
                        PromptText(label + ": ");
                        string line = ReadAnswer(secret: false);
                        result[field.Name] = new PSObject(line);
                        shown.Add(field.Name + "=" + line);
                    }
                }

                ok = true;
                return result;
            }
            finally
            {
                Record(new HostPrompt("Prompt", caption, message, names, ok ? string.Join("; ", shown) : null));
            }
        }

        /// <inheritdoc/>
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            PromptForCredential(caption, message, userName, targetName, PSCredentialTypes.Default, PSCredentialUIOptions.Default);

        /// <inheritdoc/>
        public override PSCredential PromptForCredential(
            string caption,
            string message,
            string userName,
            string targetName,
            PSCredentialTypes allowedCredentialTypes,
            PSCredentialUIOptions options)
        {
            string? user = null;
            bool ok = false;
            try
            {
                if (_interactive)
                {
                    WritePromptHeader(caption, message);
                }

                user = userName;
                if (string.IsNullOrEmpty(user))
                {
                    PromptText("User: ");
                    user = ReadAnswer(secret: false);
                }

                PromptText(string.Format(CultureInfo.InvariantCulture, "Password for user {0}: ", user));
                SecureString password = ToSecureString(ReadAnswer(secret: true));
                ok = true;
                return new PSCredential(user, password);
            }
            finally
            {
                Record(new HostPrompt("Credential", caption, message, Array.Empty<string>(), ok ? user + ":***" : null));
            }
        }

        private void Record(HostPrompt prompt)
        {
            lock (_sync)
            {
                _prompts.Add(prompt);
            }
        }

        /// <summary>Writes prompt text only when it will really be read interactively (not for scripted answers).</summary>
        private void PromptText(string text)
        {
            bool queued;
            lock (_sync)
            {
                queued = _readLineAnswers.Count > 0;
            }

            if (_interactive && !queued)
            {
                Write(text);
            }
        }

        private void WritePromptHeader(string? caption, string? message)
        {
            bool queued;
            lock (_sync)
            {
                queued = _readLineAnswers.Count > 0;
            }

            if (queued)
            {
                return;
            }

            if (!string.IsNullOrEmpty(caption))
            {
                WriteLine(caption);
            }

            if (!string.IsNullOrEmpty(message))
            {
                WriteLine(message);
            }
        }

        /// <summary>A queued answer, else a line from the input (interactive), else the NonInteractive error.</summary>
        private string ReadAnswer(bool secret)
        {
            lock (_sync)
            {
                if (_readLineAnswers.Count > 0)
                {
                    return _readLineAnswers.Dequeue() ?? string.Empty;
                }
            }

            if (!_interactive)
            {
                throw NotInteractive();
            }

            string? line = secret && ReferenceEquals(_input, Console.In) && !Console.IsInputRedirected
                ? ReadSecretFromConsole()
                : _input.ReadLine();
            if (line == null)
            {
                throw new PSInvalidOperationException("The input ended before an answer was given.");
            }

            lock (_sync)
            {
                _transcript.Append(secret ? string.Empty : line).Append(Environment.NewLine);
            }

            return line;
        }

        private string ReadSecretFromConsole()
        {
            var sb = new StringBuilder();
            while (true)
            {
                ConsoleKeyInfo key = Console.ReadKey(intercept: true);
                if (key.Key == ConsoleKey.Enter)
                {
                    _output.WriteLine();
                    return sb.ToString();
                }

                if (key.Key == ConsoleKey.Backspace)
                {
                    if (sb.Length > 0)
                    {
                        sb.Length--;
                    }
                }
                else if (key.KeyChar != '\0')
                {
                    sb.Append(key.KeyChar);
                }
            }
        }

        private int AskChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            var hotkeys = new string[choices.Count];
            var line = new StringBuilder();
            for (int i = 0; i < choices.Count; i++)
            {
                string label = choices[i].Label ?? string.Empty;
                int amp = label.IndexOf('&');
                hotkeys[i] = amp >= 0 && amp + 1 < label.Length
                    ? label.Substring(amp + 1, 1).ToUpperInvariant()
                    : (i + 1).ToString(CultureInfo.InvariantCulture);
                line.Append('[').Append(hotkeys[i]).Append("] ").Append(StripHotkey(label)).Append("  ");
            }

            line.Append("[?] Help");
            if (defaultChoice >= 0 && defaultChoice < choices.Count)
            {
                line.Append(" (default is \"").Append(hotkeys[defaultChoice]).Append("\")");
            }

            line.Append(": ");

            if (!string.IsNullOrEmpty(caption))
            {
                WriteLine(caption);
            }

            if (!string.IsNullOrEmpty(message))
            {
                WriteLine(message);
            }

            while (true)
            {
                Write(line.ToString());
                string? input = _input.ReadLine();
                if (input == null)
                {
                    throw new PSInvalidOperationException("The input ended before a choice was made.");
                }

                lock (_sync)
                {
                    _transcript.Append(input).Append(Environment.NewLine);
                }

                input = input.Trim();
                if (input.Length == 0 && defaultChoice >= 0 && defaultChoice < choices.Count)
                {
                    return defaultChoice;
                }

                if (input == "?")
                {
                    for (int i = 0; i < choices.Count; i++)
                    {
                        WriteLine(hotkeys[i] + " - " + (choices[i].HelpMessage ?? StripHotkey(choices[i].Label ?? string.Empty)));
                    }

                    continue;
                }

                for (int i = 0; i < choices.Count; i++)
                {
                    if (string.Equals(input, hotkeys[i], StringComparison.OrdinalIgnoreCase) ||
                        string.Equals(input, StripHotkey(choices[i].Label ?? string.Empty), StringComparison.OrdinalIgnoreCase))
                    {
                        return i;
                    }
                }
            }
        }

        private static string StripHotkey(string label) => label.Replace("&", string.Empty, StringComparison.Ordinal);

        private static SecureString ToSecureString(string text)
        {
            var secure = new SecureString();
            foreach (char c in text)
            {
                secure.AppendChar(c);
            }

            secure.MakeReadOnly();
            return secure;
        }
    }
}
