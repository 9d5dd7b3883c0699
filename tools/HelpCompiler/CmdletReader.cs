using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Reflection;

namespace ProfileJobs.HelpCompiler
{
    /// <summary>
    /// Reads the cmdlets and their parameters from the built module assembly through a MetadataLoadContext: the
    /// attributes are decoded from metadata, nothing is run here (DefaultValues is what creates the cmdlets).
    /// </summary>
    internal static class CmdletReader
    {
        private const string Sma = "System.Management.Automation.";
        private const string AllSets = "__AllParameterSets";

        public static List<CmdletInfo> Read(string assemblyPath, IEnumerable<string> references)
        {
            var paths = new List<string> { Path.GetFullPath(assemblyPath) };
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { Path.GetFileName(assemblyPath) };
            foreach (var reference in references)
            {
                if (File.Exists(reference) && names.Add(Path.GetFileName(reference))) paths.Add(Path.GetFullPath(reference));
            }

            using var context = new MetadataLoadContext(new PathAssemblyResolver(paths), "netstandard");
            var assembly = context.LoadFromAssemblyPath(paths[0]);
            var cmdlets = new List<CmdletInfo>();
            foreach (var type in assembly.GetExportedTypes().Where(t => t.IsClass && !t.IsAbstract).OrderBy(t => t.FullName, StringComparer.Ordinal))
            {
                var cmdlet = type.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.FullName == Sma + "CmdletAttribute");
                if (cmdlet != null) cmdlets.Add(ReadCmdlet(type, cmdlet));
            }
            return cmdlets;
        }

        private static CmdletInfo ReadCmdlet(Type type, CustomAttributeData attribute)
        {
            var verb = (string)attribute.ConstructorArguments[0].Value!;
            var noun = (string)attribute.ConstructorArguments[1].Value!;
            var info = new CmdletInfo
            {
                Name = verb + "-" + noun,
                Verb = verb,
                Noun = noun,
                TypeName = type.FullName!,
                DefaultParameterSetName = Named<string>(attribute, "DefaultParameterSetName"),
                SupportsShouldProcess = Named<bool>(attribute, "SupportsShouldProcess"),
                SupportsPaging = Named<bool>(attribute, "SupportsPaging"),
                HelpUri = Named<string>(attribute, "HelpUri"),
            };
            var confirmImpactHigh = NamedRaw(attribute, "ConfirmImpact") is int impact && impact == 3;

            var order = 0;
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var attributes = property.GetCustomAttributesData();
                var parameters = attributes.Where(a => a.AttributeType.FullName == Sma + "ParameterAttribute").ToList();
                if (parameters.Count == 0) continue;

                var (display, full, isArray, isSwitch) = Describe(property.PropertyType);
                var parameter = new ParameterInfo
                {
                    Name = property.Name,
                    TypeDisplayName = display,
                    TypeFullName = full,
                    IsArray = isArray,
                    IsSwitch = isSwitch,
                    Aliases = StringArguments(attributes.FirstOrDefault(a => a.AttributeType.FullName == Sma + "AliasAttribute")),
                    ValidValues = StringArguments(attributes.FirstOrDefault(a => a.AttributeType.FullName == Sma + "ValidateSetAttribute")),
                    SupportsWildcards = attributes.Any(a => a.AttributeType.FullName == Sma + "SupportsWildcardsAttribute"),
                    DeclaredDefault = DeclaredDefault(attributes.FirstOrDefault(a => a.AttributeType.FullName == Sma + "PSDefaultValueAttribute")),
                    DocId = "P:" + property.DeclaringType!.FullName!.Replace('+', '.') + "." + property.Name,
                    DeclarationOrder = order++,
                };
                foreach (var p in parameters)
                {
                    var position = NamedRaw(p, "Position") is int pos && pos != int.MinValue ? pos : (int?)null;
                    parameter.Sets.Add(new ParameterSetUse
                    {
                        SetName = Named<string>(p, "ParameterSetName") ?? AllSets,
                        Mandatory = Named<bool>(p, "Mandatory"),
                        Position = position,
                        FromPipeline = Named<bool>(p, "ValueFromPipeline"),
                        FromPipelineByPropertyName = Named<bool>(p, "ValueFromPipelineByPropertyName"),
                    });
                }
                info.Parameters.Add(parameter);
            }

            // The parameters PowerShell adds from the cmdlet's attribute: they are in Get-Command's list, so in help too.
            if (info.SupportsPaging)
            {
                info.Parameters.Add(EngineParameter("IncludeTotalCount", "SwitchParameter", Sma + "SwitchParameter", 1, order++,
                    "Also writes the total number of objects that match (an object whose Accuracy says how exact the count is), after the objects themselves. PowerShell adds this paging parameter."));
                info.Parameters.Add(EngineParameter("Skip", "UInt64", "System.UInt64", 1, order++,
                    "Ignores this many matching objects before writing the first one. PowerShell adds this paging parameter."));
                info.Parameters.Add(EngineParameter("First", "UInt64", "System.UInt64", 1, order++,
                    "Writes at most this many objects, and stops requesting pages once it has them. PowerShell adds this paging parameter."));
            }
            if (info.SupportsShouldProcess)
            {
                info.Parameters.Add(EngineParameter("WhatIf", "SwitchParameter", Sma + "SwitchParameter", 2, order++,
                    "Shows what the command would do, without doing it: nothing is created, changed or deleted.", "wi"));
                info.Parameters.Add(EngineParameter("Confirm", "SwitchParameter", Sma + "SwitchParameter", 2, order++,
                    confirmImpactHigh
                        ? "Asks for confirmation before each change. The command asks anyway (its impact is High) unless -Force or -Confirm:$false is given."
                        : "Asks for confirmation before each change.", "cf"));
            }

            foreach (var output in type.GetCustomAttributesData().Where(a => a.AttributeType.FullName == Sma + "OutputTypeAttribute"))
            {
                var sets = output.NamedArguments.Where(n => n.MemberName == "ParameterSetName")
                    .SelectMany(n => StringValues(n.TypedValue)).ToList();
                foreach (var value in output.ConstructorArguments.SelectMany(a => a.Value is ReadOnlyCollection<CustomAttributeTypedArgument> items ? items : new[] { a }.ToList().AsReadOnly()))
                {
                    var name = value.Value is Type t ? t.FullName! : Convert.ToString(value.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
                    if (name.Length == 0 || name == "System.Void") continue;
                    info.OutputTypes.Add(new OutputTypeInfo { TypeName = name, ParameterSets = sets });
                }
            }

            if (info.DefaultParameterSetName != null) info.ParameterSets.Add(info.DefaultParameterSetName);
            foreach (var set in info.Parameters.SelectMany(p => p.Sets).Select(s => s.SetName))
            {
                if (set != AllSets && !info.ParameterSets.Contains(set)) info.ParameterSets.Add(set);
            }
            if (info.ParameterSets.Count == 0) info.ParameterSets.Add(AllSets);
            return info;
        }

        private static ParameterInfo EngineParameter(string name, string display, string full, int group, int order, string description, string? alias = null)
        {
            var parameter = new ParameterInfo
            {
                Name = name,
                TypeDisplayName = display,
                TypeFullName = full,
                IsSwitch = display == "SwitchParameter",
                Aliases = alias == null ? new List<string>() : new List<string> { alias },
                BuiltInDescription = description,
                Group = group,
                DeclarationOrder = order,
            };
            parameter.Sets.Add(new ParameterSetUse { SetName = AllSets });
            return parameter;
        }

        /// <summary>Whether the parameter takes part in <paramref name="set"/>, and how.</summary>
        public static ParameterSetUse? In(ParameterInfo parameter, string set) =>
            parameter.Sets.FirstOrDefault(s => s.SetName == set) ?? parameter.Sets.FirstOrDefault(s => s.SetName == AllSets);

        public static bool IsAllSets(string set) => set == AllSets;

        private static (string Display, string Full, bool IsArray, bool IsSwitch) Describe(Type type)
        {
            if (type.IsGenericType && type.GetGenericTypeDefinition().FullName == "System.Nullable`1") type = type.GetGenericArguments()[0];
            if (type.IsArray)
            {
                var element = Describe(type.GetElementType()!);
                return (element.Display + "[]", element.Full + "[]", true, false);
            }
            return (type.Name, type.FullName ?? type.Name, false, type.FullName == Sma + "SwitchParameter");
        }

        private static string? DeclaredDefault(CustomAttributeData? attribute)
        {
            if (attribute == null) return null;
            var help = Named<string>(attribute, "Help");
            return !string.IsNullOrWhiteSpace(help) ? help : DefaultValues.Show(NamedRaw(attribute, "Value"));
        }

        private static T? Named<T>(CustomAttributeData attribute, string name) =>
            NamedRaw(attribute, name) is T value ? value : default;

        private static object? NamedRaw(CustomAttributeData attribute, string name) =>
            attribute.NamedArguments.Where(a => a.MemberName == name).Select(a => a.TypedValue.Value).FirstOrDefault();

        private static IReadOnlyList<string> StringArguments(CustomAttributeData? attribute) =>
            attribute == null ? new List<string>() : attribute.ConstructorArguments.SelectMany(StringValues).ToList();

        private static IEnumerable<string> StringValues(CustomAttributeTypedArgument argument) =>
            argument.Value is ReadOnlyCollection<CustomAttributeTypedArgument> items
                ? items.Select(i => (string)i.Value!)
                : argument.Value is string s ? new[] { s } : Array.Empty<string>();
    }
}
