using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using ProfileJobs.Shell;

namespace ProfileJobs.Tests.Infrastructure
{
    /// <summary>What one script run produced, stream by stream, as a user would see it.</summary>
    public sealed class PsResult
    {
        public required IReadOnlyList<PSObject> Output { get; init; }
        public required IReadOnlyList<ErrorRecord> Errors { get; init; }
        public required IReadOnlyList<string> Verbose { get; init; }
        public required IReadOnlyList<string> Debug { get; init; }
        public required IReadOnlyList<string> Warnings { get; init; }
        public required IReadOnlyList<string> Information { get; init; }
        public required IReadOnlyList<ProgressRecord> Progress { get; init; }

        /// <summary>What the host displayed during the run (WhatIf text, rendered tables, prompts).</summary>
        public required string HostText { get; init; }

        /// <summary>The terminating error, if the run ended in one.</summary>
        public Exception? Terminating { get; init; }

        public ErrorRecord? TerminatingRecord => (Terminating as IContainsErrorRecord)?.ErrorRecord;

        /// <summary>
        /// Every error record: the non-terminating ones, statement-terminating ones (ThrowTerminatingError and parameter
        /// binding errors, which a script reports and then continues past) and the one that ended the script, if any.
        /// </summary>
        public IReadOnlyList<ErrorRecord> AllErrors => TerminatingRecord != null ? Errors.Append(TerminatingRecord).ToList() : Errors;

        public T Property<T>(int index, string name) => (T)Output[index].Properties[name].Value;

        public IEnumerable<string> AllText =>
            Output.Select(o => o?.ToString() ?? "")
                .Concat(Errors.Select(e => e.ToString() + " " + e.ErrorDetails?.Message + " " + e.Exception))
                .Concat(Verbose).Concat(Debug).Concat(Warnings).Concat(Information)
                .Concat(Progress.Select(p => p.Activity + " " + p.StatusDescription))
                .Append(HostText)
                .Append(Terminating?.ToString() ?? "");
    }

    /// <summary>
    /// A runspace of the real PowerShell 7.6 engine with a host that renders like pwsh, the module imported by
    /// its manifest from the built module folder.
    /// </summary>
    public sealed class PsSession : IDisposable
    {
        private readonly Runspace _runspace;
        private PowerShell? _running;

        public PsSession(bool importModule = true, int width = 160)
        {
            Host = new ShellHost(new ShellHostOptions { Output = TextWriter.Null, Error = TextWriter.Null, Width = width });
            _runspace = RunspaceFactory.CreateRunspace(Host, InitialSessionState.CreateDefault2());
            _runspace.Open();
            if (importModule)
            {
                var import = Run($"Import-Module '{Paths.ModuleManifest}' -ErrorAction Stop");
                if (import.Terminating != null) throw new InvalidOperationException("Import-Module failed: " + import.Terminating);
            }
        }

        public ShellHost Host { get; }
        public Runspace Runspace => _runspace;

        /// <summary>Answers the next confirmation prompt with the choice at <paramref name="index"/> (0 Yes, 1 Yes to All, 2 No, 3 No to All).</summary>
        public void AnswerNextPrompt(int index) => Host.UserInterface.ChoiceAnswers.Enqueue(index);

        public PsResult Run(string script, IDictionary<string, object?>? variables = null)
        {
            using var ps = PowerShell.Create();
            ps.Runspace = _runspace;
            if (variables != null)
            {
                foreach (var variable in variables) _runspace.SessionStateProxy.SetVariable(variable.Key, variable.Value);
            }
            ps.AddScript(script);
            var transcriptStart = Host.UserInterface.TranscriptLength;
            Collection<PSObject> output = new Collection<PSObject>();
            Exception? terminating = null;
            _running = ps;
            try
            {
                output = ps.Invoke();
            }
            catch (RuntimeException ex)
            {
                terminating = ex;
            }
            finally
            {
                _running = null;
            }
            return Collect(ps, output, terminating, transcriptStart);
        }

        /// <summary>Runs the script and renders its output through Out-Default, returning the text pwsh would show.</summary>
        public string Render(string script)
        {
            var result = Run(script + " | Out-Default");
            if (result.Terminating != null) throw new InvalidOperationException("Rendering failed: " + result.Terminating);
            return result.HostText;
        }

        /// <summary>Starts a script, lets it run for <paramref name="runFor"/>, presses Ctrl+C, and reports how long stopping took.</summary>
        public (PsResult Result, TimeSpan StopTook) RunAndStop(string script, TimeSpan runFor)
        {
            using var ps = PowerShell.Create();
            ps.Runspace = _runspace;
            ps.AddScript(script);
            var transcriptStart = Host.UserInterface.TranscriptLength;
            var async = ps.BeginInvoke();
            System.Threading.Thread.Sleep(runFor);
            var watch = System.Diagnostics.Stopwatch.StartNew();
            ps.Stop();
            Exception? terminating = null;
            var output = new Collection<PSObject>();
            try
            {
                foreach (var item in ps.EndInvoke(async)) output.Add(item);
            }
            catch (RuntimeException ex)
            {
                terminating = ex;
            }
            watch.Stop();
            return (Collect(ps, output, terminating, transcriptStart), watch.Elapsed);
        }

        private PsResult Collect(PowerShell ps, Collection<PSObject> output, Exception? terminating, int transcriptStart) =>
            new PsResult
            {
                Output = output.ToList(),
                Errors = ps.Streams.Error.ToList(),
                Verbose = ps.Streams.Verbose.Select(v => v.Message).ToList(),
                Debug = ps.Streams.Debug.Select(v => v.Message).ToList(),
                Warnings = ps.Streams.Warning.Select(v => v.Message).ToList(),
                Information = ps.Streams.Information.Select(v => v.ToString()).ToList(),
                Progress = ps.Streams.Progress.ToList(),
                HostText = Host.UserInterface.TranscriptSince(transcriptStart),
                Terminating = terminating,
            };

        public void Dispose()
        {
            _running?.Stop();
            _runspace.Dispose();
        }
    }
}
