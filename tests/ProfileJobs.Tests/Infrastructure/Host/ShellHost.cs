using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;

namespace ProfileJobs.Shell
{
    /// <summary>
    /// A PowerShell host: plain-text output through <see cref="ShellHostUserInterface"/>, a transcript, scripted
    /// prompt answers and <c>exit N</c> support. What is left of the retired ProfileJobs.Shell, kept only for
    /// PsSession and the xunit tests that still drive the engine through it; it goes with them.
    /// </summary>
    public sealed class ShellHost : PSHost
    {
        private static readonly Version HostVersion =
            typeof(ShellHost).Assembly.GetName().Version ?? new Version(0, 1, 0);

        private readonly ShellHostUserInterface _ui;
        private readonly Guid _instanceId = Guid.NewGuid();
        private readonly CultureInfo _culture = CultureInfo.CurrentCulture;
        private readonly CultureInfo _uiCulture = CultureInfo.CurrentUICulture;

        /// <summary>Creates a host with default options (console writers, non-interactive, default width).</summary>
        public ShellHost()
            : this(new ShellHostOptions())
        {
        }

        /// <summary>Creates a host from <paramref name="options"/>.</summary>
        public ShellHost(ShellHostOptions options)
        {
            Options = options ?? throw new ArgumentNullException(nameof(options));
            _ui = new ShellHostUserInterface(options);
        }

        /// <summary>The options this host was created with.</summary>
        public ShellHostOptions Options { get; }

        /// <inheritdoc/>
        public override string Name => "ProfileJobs.Shell";

        /// <inheritdoc/>
        public override Version Version => HostVersion;

        /// <inheritdoc/>
        public override Guid InstanceId => _instanceId;

        /// <inheritdoc/>
        public override PSHostUserInterface UI => _ui;

        /// <summary>The UI, typed.</summary>
        public ShellHostUserInterface UserInterface => _ui;

        /// <inheritdoc/>
        public override CultureInfo CurrentCulture => _culture;

        /// <inheritdoc/>
        public override CultureInfo CurrentUICulture => _uiCulture;

        /// <summary>True once <see cref="SetShouldExit"/> was called (e.g. by <c>exit N</c> at top level).</summary>
        public bool ShouldExit { get; private set; }

        /// <summary>The exit code passed to <see cref="SetShouldExit"/> (0 until then).</summary>
        public int ExitCode { get; private set; }

        /// <summary>Everything written to the UI so far (see <see cref="ShellHostUserInterface.Transcript"/>).</summary>
        public string Transcript => _ui.Transcript;

        /// <summary>The current length of <see cref="Transcript"/>.</summary>
        public int TranscriptLength => _ui.TranscriptLength;

        /// <summary>The transcript text written after <paramref name="position"/> (a former <see cref="TranscriptLength"/>).</summary>
        public string TranscriptSince(int position) => _ui.TranscriptSince(position);

        /// <summary>Clears the transcripts and the recorded progress and prompts.</summary>
        public void ClearTranscript() => _ui.ClearTranscript();

        /// <summary>Only the error lines written so far.</summary>
        public string ErrorTranscript => _ui.ErrorTranscript;

        /// <summary>Every progress record received.</summary>
        public IReadOnlyList<ProgressRecord> ProgressRecords => _ui.ProgressRecords;

        /// <summary>Every prompt shown and its answer.</summary>
        public IReadOnlyList<HostPrompt> Prompts => _ui.Prompts;

        /// <inheritdoc/>
        public override void SetShouldExit(int exitCode)
        {
            ExitCode = exitCode;
            ShouldExit = true;
        }

        /// <summary>Forgets a previous <see cref="SetShouldExit"/>.</summary>
        public void ResetShouldExit()
        {
            ExitCode = 0;
            ShouldExit = false;
        }

        /// <inheritdoc/>
        public override void EnterNestedPrompt() =>
            throw new NotSupportedException("ProfileJobs.Shell does not support nested prompts.");

        /// <inheritdoc/>
        public override void ExitNestedPrompt() =>
            throw new NotSupportedException("ProfileJobs.Shell does not support nested prompts.");

        /// <inheritdoc/>
        public override void NotifyBeginApplication()
        {
        }

        /// <inheritdoc/>
        public override void NotifyEndApplication()
        {
        }
    }
}
