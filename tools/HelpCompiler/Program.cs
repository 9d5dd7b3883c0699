using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Xml;

namespace ProfileJobs.HelpCompiler
{
    /// <summary>
    /// Compiles the module's MAML help (en-US/ProfileJobs.dll-Help.xml) from these sources:
    /// the cmdlets' attributes in the built assembly (names, parameter types, sets, mandatory, position, pipeline
    /// input, aliases, valid values, output types, HelpUri: never typed by hand), the values a new cmdlet object's
    /// parameters start with (<see cref="DefaultValues"/>, or [PSDefaultValue]), the XML doc comments (synopsis,
    /// description, every parameter's description) and docs/help/&lt;Cmdlet-Name&gt;.md (examples, output
    /// descriptions, notes, related links). Anything missing is an error in MSBuild's format, and the build fails.
    /// </summary>
    internal static class Program
    {
        // "Default: 5", "(default 4, or ...)": a default typed into a description, where it would go stale.
        private static readonly System.Text.RegularExpressions.Regex RepeatsDefault =
            new System.Text.RegularExpressions.Regex(@"\bDefault:|\(default\b", System.Text.RegularExpressions.RegexOptions.IgnoreCase);

        private static int Main(string[] args)
        {
            string? assembly = null, docs = null, helpDirectory = null, output = null;
            var references = new List<string>();
            for (var i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
                switch (args[i])
                {
                    case "--assembly": assembly = Next(); break;
                    case "--doc": docs = Next(); break;
                    case "--help-dir": helpDirectory = Next(); break;
                    case "--out": output = Next(); break;
                    case "--references": references.AddRange(File.ReadAllLines(Next()).Where(l => l.Trim().Length > 0).Select(l => l.Trim())); break;
                    default:
                        Console.Error.WriteLine($"HelpCompiler: error HELP000: unknown argument '{args[i]}'.");
                        return 2;
                }
            }
            if (assembly == null || docs == null || helpDirectory == null || output == null)
            {
                Console.Error.WriteLine("HelpCompiler: error HELP000: usage: HelpCompiler --assembly X.dll --doc X.xml --help-dir docs/help --out en-US/X.dll-Help.xml [--references file]");
                return 2;
            }

            var errors = new List<string>();
            var helps = Compile(assembly, docs, helpDirectory, references, errors);
            if (errors.Count > 0)
            {
                // MSBuild's Exec turns "file(line): error CODE: text" lines into build errors.
                foreach (var error in errors) Console.WriteLine(error);
                Console.WriteLine($"HelpCompiler: error HELP001: {errors.Count} help problem(s); {output} was not written.");
                return 1;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
            var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), NewLineChars = "\n" };
            using (var writer = XmlWriter.Create(output, settings)) MamlWriter.Write(helps).Save(writer);
            Console.WriteLine($"HelpCompiler: wrote help for {helps.Count} cmdlets to {output}");
            return 0;
        }

        internal static List<CmdletHelp> Compile(string assembly, string docs, string helpDirectory, IEnumerable<string> references, List<string> errors)
        {
            var cmdlets = CmdletReader.Read(assembly, references);
            Dictionary<string, Dictionary<string, string>> defaults;
            try
            {
                defaults = DefaultValues.Read(assembly, references, cmdlets);
            }
            catch (Exception ex) when (ex is TargetInvocationException || ex is TypeLoadException || ex is FileNotFoundException || ex is MissingMethodException)
            {
                errors.Add($"{Path.GetFileName(assembly)}: error HELP024: could not create the cmdlets to read their default values: {ex.GetBaseException().Message}");
                return new List<CmdletHelp>();
            }
            var comments = new DocComments(docs);
            var names = new HashSet<string>(cmdlets.Select(c => c.Name), StringComparer.OrdinalIgnoreCase);
            var helps = new List<CmdletHelp>();

            foreach (var page in Directory.GetFiles(helpDirectory, "*.md").Where(f => !Path.GetFileName(f).Equals("README.md", StringComparison.OrdinalIgnoreCase)))
            {
                if (!names.Contains(Path.GetFileNameWithoutExtension(page)))
                    errors.Add($"{page}(1): error HELP011: there is no cmdlet {Path.GetFileNameWithoutExtension(page)} in {Path.GetFileName(assembly)}; rename or delete the file.");
            }

            foreach (var cmdlet in cmdlets)
            {
                var where = $"{cmdlet.TypeName}";
                void Error(string code, string message) => errors.Add($"{Path.GetFileName(assembly)}: error {code}: {cmdlet.Name} ({where}): {message}");

                var synopsis = comments.TypeParagraphs(cmdlet.TypeName, "synopsis");
                var description = comments.TypeParagraphs(cmdlet.TypeName, "description");
                if (synopsis.Count == 0) Error("HELP020", "no synopsis: add <para type=\"synopsis\">...</para> to the class's <summary>.");
                if (description.Count == 0) Error("HELP021", "no description: add <para type=\"description\">...</para> to the class's <summary>.");

                var pagePath = Path.Combine(helpDirectory, cmdlet.Name + ".md");
                var engineText = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
                HelpPage page;
                if (File.Exists(pagePath))
                {
                    page = HelpMarkdown.Parse(pagePath, errors, engineText);
                }
                else
                {
                    errors.Add($"{pagePath}(1): error HELP030: {cmdlet.Name} has no help page: write {cmdlet.Name}.md (examples, outputs, related links; see README.md there).");
                    page = new HelpPage { Path = pagePath };
                }
                void PageError(int line, string code, string message) => errors.Add($"{page.Path}({line}): error {code}: {message}");

                if (File.Exists(pagePath))
                {
                    if (!string.Equals(page.Title, cmdlet.Name, StringComparison.Ordinal)) PageError(1, "HELP031", $"the title must be '# {cmdlet.Name}'.");
                    if (page.Examples.Count < 2) PageError(1, "HELP032", $"{cmdlet.Name} has {page.Examples.Count} example(s); write at least two under '## Examples'.");
                    foreach (var example in page.Examples)
                    {
                        if (example.Title.Length == 0) PageError(example.Line, "HELP033", "an example without a title.");
                        if (example.Code.Trim().Length == 0) PageError(example.Line, "HELP034", $"example '{example.Title}' has no code (a ```powershell block).");
                        if (example.Remarks.Count == 0) PageError(example.Line, "HELP035", $"example '{example.Title}' has no remarks: say what it does after the code.");
                    }
                    var outputs = cmdlet.OutputTypes.Count == 0 ? new List<string> { "None" } : cmdlet.OutputTypes.Select(o => o.TypeName).Distinct().ToList();
                    foreach (var output in outputs.Where(o => !page.Outputs.TryGetValue(o, out var text) || text.Count == 0))
                        PageError(1, "HELP036", $"output type {output} is not described: add '### {output}' and a paragraph under '## Outputs'.");
                    foreach (var described in page.Outputs.Keys.Where(k => !outputs.Contains(k, StringComparer.OrdinalIgnoreCase)))
                        PageError(1, "HELP037", $"'### {described}' under '## Outputs' is not an output type of {cmdlet.Name} ([OutputType] says: {string.Join(", ", outputs)}).");
                    if (page.RelatedLinks.Count == 0) PageError(1, "HELP038", "no related links: list the related cmdlets under '## Related links'.");
                    foreach (var link in page.RelatedLinks.Where(l => l.Uri == null && !names.Contains(l.Text) && !l.Text.StartsWith("about_", StringComparison.OrdinalIgnoreCase)))
                        PageError(link.Line, "HELP039", $"related link '{link.Text}' is not a cmdlet of this module; write '- [text](https://...)' for other pages.");
                }

                var parameterText = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
                var started = defaults.TryGetValue(cmdlet.TypeName, out var values) ? values : new Dictionary<string, string>();
                foreach (var parameter in cmdlet.Parameters)
                {
                    parameter.DefaultValue = parameter.DeclaredDefault ?? (started.TryGetValue(parameter.Name, out var value) ? value : null);
                    List<string> text;
                    if (parameter.DocId != null)
                    {
                        text = comments.Summary(parameter.DocId);
                        if (text.Count == 0) Error("HELP022", $"parameter -{parameter.Name} has no description: add a /// <summary> to {parameter.DocId.Substring(2)}.");
                        if (parameter.DefaultValue != null && text.Any(t => RepeatsDefault.IsMatch(t)))
                            Error("HELP023", $"the description of -{parameter.Name} states its default, which Get-Help shows from the code ({parameter.DefaultValue}): drop it from {parameter.DocId.Substring(2)}.");
                        if (engineText.ContainsKey(parameter.Name))
                            PageError(1, "HELP040", $"-{parameter.Name} is described in the code (its /// <summary>); '## Parameters' is only for the parameters PowerShell adds.");
                    }
                    else
                    {
                        text = engineText.TryGetValue(parameter.Name, out var written) && written.Count > 0 ? written : new List<string> { parameter.BuiltInDescription! };
                    }
                    parameterText[parameter.Name] = text;
                }
                foreach (var name in engineText.Keys.Where(k => cmdlet.Parameters.All(p => !p.Name.Equals(k, StringComparison.OrdinalIgnoreCase))))
                    PageError(1, "HELP041", $"'### -{name}' under '## Parameters': {cmdlet.Name} has no such parameter.");

                if (cmdlet.HelpUri == null || !Uri.TryCreate(cmdlet.HelpUri, UriKind.Absolute, out var online) || online.Scheme != Uri.UriSchemeHttps)
                    Error("HELP042", $"no online help for Get-Help -Online: give [Cmdlet] a HelpUri, an https URL (see HelpLinks), not '{cmdlet.HelpUri}'.");

                helps.Add(new CmdletHelp { Cmdlet = cmdlet, Synopsis = synopsis, Description = description, ParameterText = parameterText, Page = page });
            }
            return helps;
        }
    }
}
