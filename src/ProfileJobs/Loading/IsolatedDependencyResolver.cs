using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace ProfileJobs.Loading
{
    /// <summary>
    /// PowerShell 7: loads ProfileJobs.Client and its Microsoft.Extensions.*, Polly and System.Text.Json dependencies
    /// into a private load context, so another module that loaded other copies first cannot break this one, and vice
    /// versa. The user-facing types (ProfileJobs.Types, next to ProfileJobs.dll in the default context, where scripts
    /// can name them) are handed back to that one copy, so the client's jobs and the scripts' [ProfileJobs.*] agree.
    /// </summary>
    internal static class IsolatedDependencyResolver
    {
        private const string ClientAssembly = "ProfileJobs.Client";
        private static readonly Assembly SharedTypes = typeof(ExperiencePlatformContext).Assembly;

        public static void Register(string dependencyDirectory)
        {
            var context = new DependencyLoadContext(dependencyDirectory);
            AssemblyLoadContext.Default.Resolving += (_, name) =>
                string.Equals(name.Name, ClientAssembly, StringComparison.Ordinal) ? context.LoadFromAssemblyName(name) : null;
        }

        private sealed class DependencyLoadContext : AssemblyLoadContext
        {
            private readonly string _directory;
            private readonly Dictionary<string, string> _platformAssemblies = PlatformAssemblies();

            public DependencyLoadContext(string directory) => _directory = directory;

            protected override Assembly? Load(AssemblyName assemblyName)
            {
                var name = assemblyName.Name ?? "";
                if (string.Equals(name, SharedTypes.GetName().Name, StringComparison.Ordinal)) return SharedTypes;
                // Share the runtime's (and PowerShell's) own copy when it is at least as new as the one asked for:
                // types such as System.Memory's must be the same on both sides of the boundary.
                if (_platformAssemblies.TryGetValue(name, out var platformPath) &&
                    AssemblyName.GetAssemblyName(platformPath).Version >= assemblyName.Version)
                {
                    return null;
                }
                var path = Path.Combine(_directory, name + ".dll");
                return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
            }

            private static Dictionary<string, string> PlatformAssemblies()
            {
                var assemblies = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                var list = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "";
                foreach (var path in list.Split(new[] { Path.PathSeparator }, StringSplitOptions.RemoveEmptyEntries))
                {
                    assemblies[Path.GetFileNameWithoutExtension(path)] = path;
                }
                return assemblies;
            }
        }
    }
}
