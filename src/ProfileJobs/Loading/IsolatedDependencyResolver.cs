using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace ProfileJobs.Loading
{
    /// <summary>
    /// PowerShell 7: loads ProfileJobs.Client and its Microsoft.Extensions.*, Polly and System.Text.Json dependencies
    /// into a private load context, so another module that loaded other copies first cannot break this one, and vice
    /// versa. The user-facing types (ProfileJobs.Types, next to ProfileJobs.dll in the default context, where scripts
    /// can name them) are handed back to that one copy, so the client's jobs and the scripts' [ProfileJobs.*] agree.
    /// Each assembly is taken from its ReadyToRun image for this .NET major version and platform,
    /// Dependencies/r2r/net&lt;major&gt;.0-&lt;rid&gt;/ (built by tools/ReadyToRun.psm1), when there is one, else from the
    /// IL copy in Dependencies/ (which Windows PowerShell and every other runtime or platform load).
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
            private readonly string? _imageDirectory;
            private readonly Dictionary<string, string> _platformAssemblies = PlatformAssemblies();

            public DependencyLoadContext(string directory)
            {
                _directory = directory;
                var target = ReadyToRunTarget();
                _imageDirectory = target is null ? null : Path.Combine(directory, "r2r", target);
            }

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
                var fileName = name + ".dll";
                if (_imageDirectory is not null)
                {
                    var image = Path.Combine(_imageDirectory, fileName);
                    if (File.Exists(image)) return LoadFromAssemblyPath(image);
                }
                var path = Path.Combine(_directory, fileName);
                return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
            }

            /// <summary>
            /// net&lt;major&gt;.0-&lt;os&gt;-&lt;arch&gt; as the build names the image folders; null where none is built. From the
            /// OS and process architecture, not RuntimeInformation.RuntimeIdentifier, which distribution builds of .NET
            /// report as e.g. ubuntu.24.04-x64.
            /// </summary>
            internal static string? ReadyToRunTarget()
            {
                string os;
                if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) os = "win";
                else if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX)) os = "osx";
                else if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) os = "linux";
                else return null;
                string arch;
                switch (RuntimeInformation.ProcessArchitecture)
                {
                    case Architecture.X64: arch = "x64"; break;
                    case Architecture.Arm64: arch = "arm64"; break;
                    default: return null;
                }
                return "net" + Environment.Version.Major + ".0-" + os + "-" + arch;
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
