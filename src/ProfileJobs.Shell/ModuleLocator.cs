using System;
using System.IO;
using System.Linq;

namespace ProfileJobs.Shell
{
    /// <summary>Finds the folder that holds the built ProfileJobs module and puts it on PSModulePath.</summary>
    public static class ModuleLocator
    {
        /// <summary>Environment variable that overrides the module root (the folder that contains ProfileJobs/).</summary>
        public const string ModuleRootVariable = "PROFILEJOBS_MODULE_ROOT";

        /// <summary>The module's name; the module folder is &lt;root&gt;/ProfileJobs/ProfileJobs.psd1.</summary>
        public const string ModuleName = "ProfileJobs";

        /// <summary>
        /// The module root: <c>PROFILEJOBS_MODULE_ROOT</c> if set (if it points at the module folder itself, its
        /// parent), else the <c>out/</c> folder of the first ancestor of <paramref name="startDirectory"/>
        /// (default <see cref="AppContext.BaseDirectory"/>) that has <c>out/ProfileJobs/ProfileJobs.psd1</c>; else null.
        /// </summary>
        public static string? FindModuleRoot(string? startDirectory = null)
        {
            string? fromEnv = Environment.GetEnvironmentVariable(ModuleRootVariable);
            if (!string.IsNullOrWhiteSpace(fromEnv))
            {
                string full = Path.GetFullPath(fromEnv);
                if (File.Exists(Path.Combine(full, ModuleName + ".psd1")) &&
                    string.Equals(Path.GetFileName(Path.TrimEndingDirectorySeparator(full)), ModuleName, StringComparison.OrdinalIgnoreCase))
                {
                    return Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(full));
                }

                return full;
            }

            var dir = new DirectoryInfo(startDirectory ?? AppContext.BaseDirectory);
            for (; dir != null; dir = dir.Parent)
            {
                string outDir = Path.Combine(dir.FullName, "out");
                if (File.Exists(Path.Combine(outDir, ModuleName, ModuleName + ".psd1")))
                {
                    return outDir;
                }
            }

            return null;
        }

        /// <summary>Prepends <paramref name="directory"/> to the process PSModulePath (unless it is already first).</summary>
        public static void PrependToPSModulePath(string directory)
        {
            string current = Environment.GetEnvironmentVariable("PSModulePath") ?? string.Empty;
            string[] parts = current.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length > 0 && PathEquals(parts[0], directory))
            {
                return;
            }

            string rest = string.Join(Path.PathSeparator, parts.Where(p => !PathEquals(p, directory)));
            Environment.SetEnvironmentVariable(
                "PSModulePath",
                rest.Length == 0 ? directory : directory + Path.PathSeparator + rest);
        }

        private static bool PathEquals(string a, string b) =>
            string.Equals(
                Path.TrimEndingDirectorySeparator(a),
                Path.TrimEndingDirectorySeparator(b),
                OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
    }
}
