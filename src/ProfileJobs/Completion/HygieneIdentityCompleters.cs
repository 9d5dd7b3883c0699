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
    public sealed class IdentityNamespaceCompleter : SafeCompleter
    {
        // The list lives in the client (the planner validates against it).
        private protected override IEnumerable<Candidate> Candidates(CompletionRequest request) =>
            RecordDeletePlanner.StandardNamespaces
                .Select(n => new Candidate(n.Key, $"{n.Key}: standard identity namespace (id {n.Value})"))
                .ToList();
    }

    /// <summary>
    /// The Privacy Service's namespace qualifiers for New-HygieneRecordDelete -IdentityType (standard, custom,
    /// integrationCode, namespaceId, unregistered, analytics, target).
    /// </summary>
    public sealed class IdentityTypeCompleter : SafeCompleter
    {
        private protected override IEnumerable<Candidate> Candidates(CompletionRequest request) =>
            RecordDeletePlanner.IdentityTypes.Select(t => new Candidate(t, $"{t}: identity type (namespace qualifier)")).ToList();
    }
}
