using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using ProfileJobs.Hygiene;

namespace ProfileJobs.Completion
{
    /// <summary>
    /// The standard identity namespaces for New-HygieneRecordDelete -Namespace (email, phone, ECID, CORE, AdCloud,
    /// TNTID, IDFA, GAID, WAID). Custom namespace codes are still accepted: this only offers the standard ones.
    /// </summary>
    public sealed class IdentityNamespaceCompleter : IArgumentCompleter
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

        // The list lives in the client (the planner validates against it); read only inside a method body.
        private static IEnumerable<Candidate> Candidates() =>
            RecordDeletePlanner.StandardNamespaces
                .Select(n => new Candidate(n.Key, $"{n.Key}: standard identity namespace (id {n.Value})"))
                .ToList();
    }

    /// <summary>
    /// The Privacy Service's namespace qualifiers for New-HygieneRecordDelete -IdentityType (standard, custom,
    /// integrationCode, namespaceId, unregistered, analytics, target).
    /// </summary>
    public sealed class IdentityTypeCompleter : IArgumentCompleter
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

        private static IEnumerable<Candidate> Candidates() =>
            RecordDeletePlanner.IdentityTypes.Select(t => new Candidate(t, $"{t}: identity type (namespace qualifier)")).ToList();
    }
}
