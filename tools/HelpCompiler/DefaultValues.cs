using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;

namespace ProfileJobs.HelpCompiler
{
    /// <summary>
    /// The value each parameter has before PowerShell binds anything: the cmdlet class is loaded (into a collectible
    /// load context of its own, with PowerShell 7 behind it), created with its public constructor, and each parameter
    /// property read, so Get-Help shows the property initializers (Timeout = -1, PageSize = 100...) without anyone typing
    /// them a second time. Only constructors run; no cmdlet is invoked and nothing is imported.
    /// </summary>
    internal static class DefaultValues
    {
        /// <summary>Cmdlet type name, then parameter name, then the value as Get-Help shows it; unset parameters are left out.</summary>
        public static Dictionary<string, Dictionary<string, string>> Read(string assemblyPath, IEnumerable<string> references, IEnumerable<CmdletInfo> cmdlets)
        {
            var byFileName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var reference in references.Where(File.Exists)) byFileName[Path.GetFileNameWithoutExtension(reference)] = Path.GetFullPath(reference);

            var context = new AssemblyLoadContext("HelpCompiler.DefaultValues", isCollectible: true);
            // PowerShell and the framework come from this tool's own (default) context; the module's other references, such
            // as its client library, from the paths the build passed.
            context.Resolving += (ctx, name) =>
                name.Name != null && byFileName.TryGetValue(name.Name, out var path) ? ctx.LoadFromAssemblyPath(path) : null;
            try
            {
                var assembly = context.LoadFromAssemblyPath(Path.GetFullPath(assemblyPath));
                var result = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
                foreach (var cmdlet in cmdlets)
                {
                    var type = assembly.GetType(cmdlet.TypeName, throwOnError: true)!;
                    var instance = Activator.CreateInstance(type)!;
                    try
                    {
                        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                        foreach (var parameter in cmdlet.Parameters.Where(p => p.DocId != null))
                        {
                            var shown = Show(type.GetProperty(parameter.Name, BindingFlags.Public | BindingFlags.Instance)?.GetValue(instance));
                            if (shown != null) values[parameter.Name] = shown;
                        }
                        result[cmdlet.TypeName] = values;
                    }
                    finally
                    {
                        (instance as IDisposable)?.Dispose();
                    }
                }
                return result;
            }
            finally
            {
                context.Unload();
            }
        }

        /// <summary>A value as help shows it (invariant culture, arrays comma separated); null for "not set": null, empty, or a switch.</summary>
        internal static string? Show(object? value)
        {
            switch (value)
            {
                case null:
                    return null;
                case string text:
                    return text.Length == 0 ? null : text;
                case IEnumerable items:
                    var parts = items.Cast<object?>().Select(Show).Where(s => s != null).ToList();
                    return parts.Count == 0 ? null : string.Join(", ", parts);
                default:
                    // SwitchParameter: a switch's default is always False, which the help writes for every switch.
                    if (value.GetType().FullName == "System.Management.Automation.SwitchParameter") return null;
                    return Convert.ToString(value, CultureInfo.InvariantCulture);
            }
        }
    }
}
