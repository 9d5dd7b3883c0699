using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;

namespace ProfileJobs.Shell
{
    /// <summary>
    /// Runs scripts the way <c>pwsh -File</c> / <c>pwsh -Command</c> do, in one runspace that uses a
    /// <see cref="ShellHost"/>: output and non-terminating errors are rendered through Out-Default, an uncaught
    /// terminating error is rendered and gives exit code 1, <c>exit N</c> gives N.
    /// </summary>
    public sealed class ShellRunner : IDisposable
    {
        private readonly object _sync = new object();
        private PowerShell? _current;
        private bool _stopRequested;

        /// <summary>Opens a runspace (<see cref="InitialSessionState.CreateDefault2"/> unless given) with <paramref name="host"/>.</summary>
        public ShellRunner(ShellHost host, InitialSessionState? initialSessionState = null)
        {
            Host = host ?? throw new ArgumentNullException(nameof(host));
            Runspace = RunspaceFactory.CreateRunspace(host, initialSessionState ?? InitialSessionState.CreateDefault2());
            Runspace.Open();
            Runspace.SessionStateProxy.SetVariable("ErrorActionPreference", ActionPreference.Continue);
        }

        /// <summary>The host.</summary>
        public ShellHost Host { get; }

        /// <summary>The open runspace (reusable between runs).</summary>
        public Runspace Runspace { get; }

        /// <summary>True after <see cref="Stop"/> was called, until the current (or next) run has ended.</summary>
        public bool StopRequested
        {
            get
            {
                lock (_sync)
                {
                    return _stopRequested;
                }
            }
        }

        /// <summary>Runs a script file like <c>pwsh -File path args...</c> and returns the exit code.</summary>
        public int RunFile(string path, IReadOnlyList<string> arguments)
        {
            if (path == null)
            {
                throw new ArgumentNullException(nameof(path));
            }

            string fullPath = Path.GetFullPath(path);
            if (!File.Exists(fullPath))
            {
                Host.UI.WriteErrorLine(
                    $"The argument '{path}' is not recognized as the name of a script file. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.");
                return 64;
            }

            return Run(
                ps =>
                {
                    ps.AddCommand(fullPath, useLocalScope: false);
                    foreach (CommandParameter parameter in BindArguments(fullPath, arguments ?? Array.Empty<string>()))
                    {
                        ps.Commands.Commands[0].Parameters.Add(parameter);
                    }
                },
                isFile: true);
        }

        /// <summary>Runs script text like <c>pwsh -Command text</c> and returns the exit code.</summary>
        public int RunCommand(string script)
        {
            if (script == null)
            {
                throw new ArgumentNullException(nameof(script));
            }

            // The engine's ParseException for script text carries no positions: parse first and report like pwsh.
            Parser.ParseInput(script, out _, out ParseError[] errors);
            if (errors.Length > 0)
            {
                WriteParseErrors(errors);
                return 1;
            }

            return Run(ps => ps.AddScript(script, useLocalScope: false), isFile: false);
        }

        /// <summary>Stops the running pipeline (e.g. on Ctrl+C). Thread-safe; returns immediately.</summary>
        public void Stop()
        {
            PowerShell? current;
            lock (_sync)
            {
                _stopRequested = true;
                current = _current;
            }

            current?.BeginStop(null, null);
        }

        /// <summary>
        /// Turns pwsh-style script arguments into parameters: <c>-Name value</c>, <c>-Name:value</c>, <c>-Switch</c>
        /// (a token starting with '-' that is last, is followed by another '-' token, or names a [switch] parameter
        /// of the script), and positional values.
        /// </summary>
        public static IReadOnlyList<CommandParameter> BindArguments(string? scriptPath, IReadOnlyList<string> arguments)
        {
            Dictionary<string, bool> parameters = scriptPath == null
                ? new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase)
                : ScriptParameters(scriptPath);
            var result = new List<CommandParameter>();
            for (int i = 0; i < arguments.Count; i++)
            {
                string arg = arguments[i];
                if (arg.Length > 1 && arg[0] == '-' && !IsNumber(arg))
                {
                    string name = arg.Substring(1);
                    int colon = name.IndexOf(':');
                    if (colon > 0)
                    {
                        string value = name.Substring(colon + 1);
                        name = name.Substring(0, colon);
                        result.Add(new CommandParameter(name, ConvertColonValue(value)));
                    }
                    else if (IsSwitch(name, parameters) || i + 1 >= arguments.Count ||
                             (arguments[i + 1].StartsWith("-", StringComparison.Ordinal) && arguments[i + 1].Length > 1 &&
                              !IsNumber(arguments[i + 1])))
                    {
                        result.Add(new CommandParameter(name, true));
                    }
                    else
                    {
                        result.Add(new CommandParameter(name, arguments[i + 1]));
                        i++;
                    }
                }
                else
                {
                    result.Add(new CommandParameter(null, arg));
                }
            }

            return result;
        }

        /// <inheritdoc/>
        public void Dispose() => Runspace.Dispose();

        private int Run(Action<PowerShell> addCommand, bool isFile)
        {
            Host.ResetShouldExit();
            using PowerShell ps = PowerShell.Create();
            ps.Runspace = Runspace;
            addCommand(ps);
            ps.Commands.Commands[0].MergeMyResults(PipelineResultTypes.Error, PipelineResultTypes.Output);
            var outDefault = new Command("Out-Default", isScript: false, useLocalScope: true)
            {
                MergeUnclaimedPreviousCommandResults = PipelineResultTypes.Error | PipelineResultTypes.Output,
            };
            ps.Commands.AddCommand(outDefault);

            lock (_sync)
            {
                if (_stopRequested)
                {
                    // Stopped before it started (e.g. Ctrl+C during startup).
                    _stopRequested = false;
                    return 1;
                }

                _current = ps;
            }

            // Like pwsh -File: 'exit N' in the script file ends the run with N. pwsh does this with an internal
            // engine flag (ExecutionContext.ScriptCommandProcessorShouldRethrowExit); without it, 'exit' would only
            // end the script and set $LASTEXITCODE.
            bool rethrowExit = isFile && ExitRethrow.TrySet(Runspace, true);
            if (isFile && !rethrowExit)
            {
                Runspace.SessionStateProxy.SetVariable("global:LASTEXITCODE", 0);
            }

            try
            {
                ps.Invoke();
                if (Host.ShouldExit)
                {
                    return Host.ExitCode;
                }

                if (isFile && !rethrowExit &&
                    Runspace.SessionStateProxy.GetVariable("global:LASTEXITCODE") is int lastExitCode && lastExitCode != 0)
                {
                    // Fallback when the engine flag is unavailable: never report success for a failing 'exit N'.
                    return lastExitCode;
                }

                return StopRequested ? 1 : 0;
            }
            catch (PipelineStoppedException)
            {
                return Host.ShouldExit ? Host.ExitCode : 1;
            }
            catch (Exception ex) when (ex is RuntimeException || ex is PSInvalidOperationException)
            {
                if (Host.ShouldExit)
                {
                    return Host.ExitCode;
                }

                ReportException(ex);
                return 1;
            }
            finally
            {
                if (rethrowExit)
                {
                    // Not consumed if the file did not parse: don't leak it into the next run.
                    ExitRethrow.TrySet(Runspace, false);
                }

                lock (_sync)
                {
                    _current = null;
                    _stopRequested = false;
                }
            }
        }

        /// <summary>Renders an uncaught terminating error like pwsh: through the error view, on the error writer.</summary>
        public void ReportException(Exception exception)
        {
            if (exception == null)
            {
                throw new ArgumentNullException(nameof(exception));
            }

            ErrorRecord? record = (exception as IContainsErrorRecord)?.ErrorRecord;
            bool parseErrorWithoutFile = exception is ParseException &&
                                         string.IsNullOrEmpty(record?.InvocationInfo?.ScriptName);
            if (record != null && !parseErrorWithoutFile)
            {
                int before = Host.UserInterface.ErrorTranscript.Length;
                try
                {
                    using PowerShell ps = PowerShell.Create();
                    ps.Runspace = Runspace;
                    ps.AddCommand("Out-Default");
                    using (Host.UserInterface.RedirectOutputToError())
                    {
                        ps.Invoke(new[] { record });
                    }

                    if (!string.IsNullOrWhiteSpace(Host.UserInterface.ErrorTranscript.Substring(before)))
                    {
                        return;
                    }
                }
                catch (Exception ex) when (ex is RuntimeException || ex is InvalidOperationException)
                {
                }
            }

            if (exception is ParseException parse && parse.Errors != null && parse.Errors.Length > 0)
            {
                WriteParseErrors(parse.Errors);
                return;
            }

            Host.UI.WriteErrorLine(exception.GetType().Name + ": " + exception.Message);
            string? position = record?.InvocationInfo?.PositionMessage;
            if (!string.IsNullOrEmpty(position))
            {
                Host.UI.WriteErrorLine(position);
            }
        }

        /// <summary>Writes parse errors in the shape of pwsh's ConciseView (ParserError: file:line, the line, a ~ marker, the message).</summary>
        public void WriteParseErrors(IEnumerable<ParseError> errors)
        {
            if (errors == null)
            {
                throw new ArgumentNullException(nameof(errors));
            }

            foreach (ParseError error in errors)
            {
                IScriptExtent extent = error.Extent;
                string file = string.IsNullOrEmpty(extent.File) ? string.Empty : extent.File + ":" + extent.StartLineNumber;
                string lineText = extent.StartScriptPosition.Line ?? string.Empty;
                int column = Math.Max(1, extent.StartColumnNumber);
                int length = extent.EndLineNumber == extent.StartLineNumber
                    ? Math.Max(1, extent.EndColumnNumber - extent.StartColumnNumber)
                    : Math.Max(1, lineText.Length - column + 1);
                string number = extent.StartLineNumber.ToString(CultureInfo.InvariantCulture);
                string gutter = new string(' ', Math.Max(4, number.Length));
                Host.UI.WriteErrorLine("ParserError: " + file);
                Host.UI.WriteErrorLine("Line |");
                Host.UI.WriteErrorLine(number.PadLeft(gutter.Length) + " |  " + lineText);
                Host.UI.WriteErrorLine(gutter + " |  " + new string(' ', column - 1) + new string('~', length));
                Host.UI.WriteErrorLine(gutter + " | " + error.Message);
            }
        }

        private static object ConvertColonValue(string value)
        {
            if (string.Equals(value, "$true", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (string.Equals(value, "$false", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            return value;
        }

        private static bool IsNumber(string text) =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

        /// <summary>Whether -<paramref name="name"/> names a [switch] of the script (exactly, or as pwsh's unambiguous prefix).</summary>
        private static bool IsSwitch(string name, Dictionary<string, bool> parameters)
        {
            if (parameters.TryGetValue(name, out bool isSwitch))
            {
                return isSwitch;
            }

            List<bool> matches = parameters
                .Where(p => p.Key.StartsWith(name, StringComparison.OrdinalIgnoreCase))
                .Select(p => p.Value)
                .ToList();
            return matches.Count == 1 && matches[0];
        }

        /// <summary>The script's declared parameters (name → is it a [switch]); empty if it cannot be parsed.</summary>
        private static Dictionary<string, bool> ScriptParameters(string scriptPath)
        {
            var parameters = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
            try
            {
                ScriptBlockAst ast = Parser.ParseFile(scriptPath, out _, out _);
                if (ast.ParamBlock == null)
                {
                    return parameters;
                }

                foreach (ParameterAst parameter in ast.ParamBlock.Parameters)
                {
                    bool isSwitch = parameter.Attributes.OfType<TypeConstraintAst>().Any(t =>
                        string.Equals(t.TypeName.Name, "switch", StringComparison.OrdinalIgnoreCase) ||
                        string.Equals(t.TypeName.Name, "SwitchParameter", StringComparison.OrdinalIgnoreCase) ||
                        string.Equals(t.TypeName.FullName, "System.Management.Automation.SwitchParameter", StringComparison.OrdinalIgnoreCase));
                    parameters[parameter.Name.VariablePath.UserPath] = isSwitch;
                    foreach (AttributeAst alias in parameter.Attributes.OfType<AttributeAst>()
                                 .Where(x => string.Equals(x.TypeName.Name, "Alias", StringComparison.OrdinalIgnoreCase)))
                    {
                        foreach (StringConstantExpressionAst aliasName in alias.PositionalArguments.OfType<StringConstantExpressionAst>())
                        {
                            parameters[aliasName.Value] = isSwitch;
                        }
                    }
                }

                // The common switches of an advanced script.
                foreach (string common in new[] { "Verbose", "Debug", "WhatIf", "Confirm" })
                {
                    parameters.TryAdd(common, true);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }

            return parameters;
        }
    }
}
