using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace ProfileJobs.Completion
{
    /// <summary>
    /// The shape every completer of the module shares: candidates matched against the word being completed, and
    /// nothing ever thrown, since a completer must never break the command line. A parameter with a completer never
    /// falls back to file names, even when the completer has nothing to offer.
    /// </summary>
    public abstract class SafeCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            try
            {
                return Completions.Match(wordToComplete, Candidates(new CompletionRequest(commandAst, fakeBoundParameters)));
            }
            catch (Exception)
            {
                return Array.Empty<CompletionResult>();
            }
        }

        /// <summary>What may be offered, given the command line typed so far; client types may be read here, inside a
        /// method body, never in a signature.</summary>
        private protected abstract IEnumerable<Candidate> Candidates(CompletionRequest request);
    }

    /// <summary>The command line being completed: its syntax, and the values of the other parameters that completion
    /// could read without running anything (constants and variables).</summary>
    internal sealed class CompletionRequest
    {
        public CompletionRequest(CommandAst? command, IDictionary? fakeBoundParameters)
        {
            Command = command;
            FakeBoundParameters = fakeBoundParameters;
        }

        public CommandAst? Command { get; }
        public IDictionary? FakeBoundParameters { get; }

        /// <summary>The value of another parameter, when completion knows it; unwrapped from its PSObject.</summary>
        public bool TryGetBound(string name, out object? value)
        {
            value = null;
            if (FakeBoundParameters == null || !FakeBoundParameters.Contains(name)) return false;
            var bound = FakeBoundParameters[name];
            value = bound is PSObject wrapped ? wrapped.BaseObject : bound;
            return true;
        }

        /// <summary>Whether the command line names the parameter (by a prefix of at least three letters), whatever its value.</summary>
        public bool Names(string parameter)
        {
            if (Command == null) return false;
            foreach (var element in Command.CommandElements)
            {
                if (element is CommandParameterAst p && p.ParameterName.Length >= 3 &&
                    parameter.StartsWith(p.ParameterName, StringComparison.OrdinalIgnoreCase)) return true;
            }
            return false;
        }
    }
}
