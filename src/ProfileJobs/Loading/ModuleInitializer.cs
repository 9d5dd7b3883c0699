using System;
using System.IO;
using System.Management.Automation;
using System.Runtime.InteropServices;

namespace ProfileJobs.Loading
{
    /// <summary>
    /// Runs when the module is imported. Next to this assembly is only ProfileJobs.Types (the types users see,
    /// dependency-free, loaded like any module assembly); everything else lives in Dependencies/, so the first use of
    /// ProfileJobs.Client goes through a resolver: on PowerShell 7 a private AssemblyLoadContext, on Windows
    /// PowerShell 5.1 (where isolation is impossible) a plain AssemblyResolve handler.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly object RegistrationGate = new object();
        private static bool _registered;

        internal static string DependencyDirectory =>
            Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".", "Dependencies");

        public void OnImport()
        {
            // A lock, not a flag alone: runspaces importing at the same time (ForEach-Object -Parallel, hosts that
            // open several) must all wait until the resolver is in place, or their first call cannot find the client.
            lock (RegistrationGate)
            {
                if (_registered) return;
                if (RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal))
                {
                    DesktopDependencyResolver.Register(DependencyDirectory);
                }
                else
                {
                    // Kept in its own class so that .NET Framework never compiles code that names AssemblyLoadContext.
                    IsolatedDependencyResolver.Register(DependencyDirectory);
                }
                _registered = true;
            }
        }

        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            // Assemblies cannot be unloaded from the default context; the resolver stays for a later re-import.
        }
    }
}
