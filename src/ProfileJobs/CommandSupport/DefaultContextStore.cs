using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace ProfileJobs.CommandSupport
{
    /// <summary>
    /// The context Connect-ExperiencePlatform set, one per runspace. Azure Automation runs jobs side by side in one
    /// process, so a process-wide default would leak one runbook's connection into another.
    /// </summary>
    internal static class DefaultContextStore
    {
        private static readonly ConditionalWeakTable<Runspace, Holder> Contexts = new ConditionalWeakTable<Runspace, Holder>();

        public static ExperiencePlatformContext? Get()
        {
            var runspace = Runspace.DefaultRunspace;
            return runspace != null && Contexts.TryGetValue(runspace, out var holder) ? holder.Context : null;
        }

        public static void Set(ExperiencePlatformContext? context)
        {
            var runspace = Runspace.DefaultRunspace;
            if (runspace == null) return;
            Contexts.GetValue(runspace, _ => new Holder()).Context = context;
        }

        private sealed class Holder
        {
            public ExperiencePlatformContext? Context;
        }
    }
}
