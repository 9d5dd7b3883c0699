using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using ProfileJobs.CommandSupport;

namespace ProfileJobs.Completion
{
    /// <summary>
    /// Sandbox names for Connect-ExperiencePlatform -Sandbox: the default connection's sandbox, every sandbox name
    /// connected to in this session, and prod. Nothing is requested from the platform.
    /// </summary>
    public sealed class SandboxNameCompleter : SafeCompleter
    {
        public const string Production = "prod";

        private protected override IEnumerable<Candidate> Candidates(CompletionRequest request)
        {
            var current = CurrentSandbox();
            var seen = CompletionState.Current?.Sandboxes() ?? (IReadOnlyList<string>)Array.Empty<string>();
            var names = new List<string>();
            if (current != null) names.Add(current);
            names.AddRange(seen);
            names.Add(Production);
            return names
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .OrderBy(n => n, StringComparer.OrdinalIgnoreCase)
                .Select(n => new Candidate(n, ToolTip(n, current)))
                .ToList();
        }

        /// <summary>Reads the client's context type: only here, in a method body, never in a signature or field.</summary>
        private static string? CurrentSandbox()
        {
            var context = DefaultContextStore.Get();
            return context == null || context.IsDisconnected ? null : context.SandboxName;
        }

        private static string ToolTip(string name, string? current)
        {
            if (string.Equals(name, current, StringComparison.OrdinalIgnoreCase)) return $"{name} (the current connection's sandbox)";
            if (string.Equals(name, Production, StringComparison.OrdinalIgnoreCase)) return $"{name} (the production sandbox)";
            return $"{name} (connected to in this session)";
        }
    }
}
