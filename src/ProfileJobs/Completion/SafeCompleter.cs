using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace ProfileJobs.Completion
{
    /// <summary>
    /// The shape every completer of the module shares: candidates matched against the word being completed, and
    /// nothing ever thrown, since a completer must never break the command line.
    /// </summary>
    public abstract class SafeCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            try
            {
                return Completions.Match(wordToComplete, Candidates());
            }
            catch (Exception)
            {
                return Array.Empty<CompletionResult>();
            }
        }

        /// <summary>What may be offered; client types may be read here, inside a method body, never in a signature.</summary>
        private protected abstract IEnumerable<Candidate> Candidates();
    }
}
