using System;
using System.IO;
using System.Reflection;

namespace ProfileJobs.Loading
{
    /// <summary>
    /// Windows PowerShell 5.1: no load contexts exist, so dependencies are resolved from Dependencies/ into the one
    /// AppDomain. Not verified here (no Windows PowerShell on the build machines); see the README.
    /// </summary>
    internal static class DesktopDependencyResolver
    {
        public static void Register(string dependencyDirectory)
        {
            AppDomain.CurrentDomain.AssemblyResolve += (_, args) =>
            {
                var name = new AssemblyName(args.Name).Name;
                var path = Path.Combine(dependencyDirectory, name + ".dll");
                return File.Exists(path) ? Assembly.LoadFrom(path) : null;
            };
        }
    }
}
