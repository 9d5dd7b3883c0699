using System;
using System.IO;
using System.Reflection;

namespace ProfileJobs.Loading
{
    /// <summary>
    /// Windows PowerShell 5.1: no load contexts exist, so dependencies are resolved from Dependencies/ into the one
    /// AppDomain, and ProfileJobs.Types to the copy the manifest loaded next to ProfileJobs.dll. Not verified here (no
    /// Windows PowerShell on the build machines); see the README.
    /// </summary>
    internal static class DesktopDependencyResolver
    {
        public static void Register(string dependencyDirectory)
        {
            var sharedTypes = typeof(ExperiencePlatformContext).Assembly;
            AppDomain.CurrentDomain.AssemblyResolve += (_, args) =>
            {
                var name = new AssemblyName(args.Name).Name;
                if (string.Equals(name, sharedTypes.GetName().Name, StringComparison.Ordinal)) return sharedTypes;
                var path = Path.Combine(dependencyDirectory, name + ".dll");
                return File.Exists(path) ? Assembly.LoadFrom(path) : null;
            };
        }
    }
}
