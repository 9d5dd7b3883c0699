using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace ProfileJobs.HelpCompiler
{
    /// <summary>
    /// Reads docs/help/&lt;Cmdlet-Name&gt;.md, a fixed structure (see docs/help/README.md):
    /// <code>
    /// # Verb-Noun
    /// ## Examples            ### title, one ```powershell block, then remark paragraphs (at least two examples)
    /// ## Outputs             ### full type name (or None), then paragraphs: one per [OutputType]
    /// ## Parameters          optional: ### -Name for parameters PowerShell adds (WhatIf, Confirm, First, Skip, IncludeTotalCount)
    /// ## Notes               optional paragraphs
    /// ## Related links       - Cmdlet-Name, or - [text](https://uri)
    /// </code>
    /// </summary>
    internal static class HelpMarkdown
    {
        private static readonly string[] Sections = { "Examples", "Outputs", "Parameters", "Notes", "Related links" };
        private static readonly Regex Link = new Regex(@"^\[(?<text>[^\]]+)\]\((?<uri>[^)\s]+)\)$");

        public static HelpPage Parse(string path, List<string> errors, Dictionary<string, List<string>> engineParameterText)
        {
            var page = new HelpPage { Path = path };
            var lines = File.ReadAllLines(path);
            string? section = null;
            string? subsection = null;
            Example? example = null;
            List<string>? paragraphs = null;
            var paragraph = new StringBuilder();
            var inCode = false;
            var code = new StringBuilder();

            void Error(int line, string message) => errors.Add($"{path}({line}): error HELP010: {message}");

            void EndParagraph()
            {
                if (paragraph.Length == 0) return;
                paragraphs?.Add(paragraph.ToString());
                paragraph.Clear();
            }

            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i];
                var number = i + 1;
                if (inCode)
                {
                    if (line.TrimEnd() == "```")
                    {
                        inCode = false;
                        example!.Code = code.ToString().TrimEnd('\n');
                        code.Clear();
                        paragraphs = example.Remarks;
                    }
                    else
                    {
                        code.Append(line.TrimEnd()).Append('\n');
                    }
                    continue;
                }

                if (line.StartsWith("# ", StringComparison.Ordinal))
                {
                    EndParagraph();
                    if (page.Title != null) Error(number, "A second '# ' title; the file has one, the cmdlet's name.");
                    page.Title = line.Substring(2).Trim();
                    continue;
                }
                if (line.StartsWith("## ", StringComparison.Ordinal))
                {
                    EndParagraph();
                    section = Sections.FirstOrDefault(s => string.Equals(s, line.Substring(3).Trim(), StringComparison.OrdinalIgnoreCase));
                    if (section == null) Error(number, $"Unknown section '{line.Trim()}'; the sections are: {string.Join(", ", Sections.Select(s => "## " + s))}.");
                    subsection = null;
                    example = null;
                    paragraphs = section == "Notes" ? page.Notes : null;
                    continue;
                }
                if (line.StartsWith("### ", StringComparison.Ordinal))
                {
                    EndParagraph();
                    subsection = line.Substring(4).Trim();
                    example = null;
                    paragraphs = null;
                    switch (section)
                    {
                        case "Examples":
                            example = new Example { Title = subsection, Line = number };
                            page.Examples.Add(example);
                            break;
                        case "Outputs":
                            if (page.Outputs.ContainsKey(subsection)) Error(number, $"Output type '{subsection}' is described twice.");
                            paragraphs = page.Outputs[subsection] = new List<string>();
                            break;
                        case "Parameters":
                            var name = subsection.TrimStart('-');
                            if (engineParameterText.ContainsKey(name)) Error(number, $"Parameter -{name} is described twice.");
                            paragraphs = engineParameterText[name] = new List<string>();
                            break;
                        default:
                            Error(number, $"'### ' headings belong under ## Examples, ## Outputs or ## Parameters, not under {(section == null ? "the title" : "## " + section)}.");
                            break;
                    }
                    continue;
                }
                if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
                {
                    EndParagraph();
                    if (example == null) Error(number, "A code block outside an example ('### title' under '## Examples').");
                    else if (example.Code.Length > 0) Error(number, $"Example '{example.Title}' has a second code block; an example is one block of code, then its remarks.");
                    else if (example.Remarks.Count > 0) Error(number, $"Example '{example.Title}' has text before its code; the code comes first, then the remarks.");
                    example ??= new Example { Title = "", Line = number };
                    inCode = true;
                    continue;
                }

                if (section == "Related links")
                {
                    var item = line.Trim();
                    if (item.Length == 0) continue;
                    if (!item.StartsWith("- ", StringComparison.Ordinal))
                    {
                        Error(number, "Related links are list items: '- Cmdlet-Name' or '- [text](https://uri)'.");
                        continue;
                    }
                    item = item.Substring(2).Trim();
                    var match = Link.Match(item);
                    page.RelatedLinks.Add(match.Success
                        ? new RelatedLink { Text = match.Groups["text"].Value, Uri = match.Groups["uri"].Value, Line = number }
                        : new RelatedLink { Text = item, Line = number });
                    continue;
                }

                if (line.Trim().Length == 0)
                {
                    EndParagraph();
                    continue;
                }
                if (paragraphs == null)
                {
                    if (example != null) Error(number, $"Example '{example.Title}' has text before its code; the code comes first, then the remarks.");
                    else Error(number, $"Text outside any section or heading: '{line.Trim()}'.");
                    continue;
                }
                var trimmed = line.Trim();
                // A list item is a paragraph of its own, so that it keeps its line in the rendered help.
                if (trimmed.StartsWith("- ", StringComparison.Ordinal) || trimmed.StartsWith("* ", StringComparison.Ordinal)) EndParagraph();
                if (paragraph.Length > 0) paragraph.Append(' ');
                paragraph.Append(trimmed);
            }
            EndParagraph();
            if (inCode) Error(lines.Length, "A code block is not closed with ```.");
            return page;
        }
    }
}
