using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace ProfileJobs.HelpCompiler
{
    /// <summary>
    /// The compiler's XML documentation file (GenerateDocumentationFile) of the module assembly. A cmdlet class's
    /// &lt;summary&gt; holds &lt;para type="synopsis"&gt; and one or more &lt;para type="description"&gt;; a parameter's
    /// &lt;summary&gt; is its description (&lt;para&gt; starts a new paragraph). &lt;remarks&gt; are for developers and never shown.
    /// </summary>
    internal sealed class DocComments
    {
        private readonly Dictionary<string, XElement> _members;

        public DocComments(string path)
        {
            var document = XDocument.Load(path, LoadOptions.PreserveWhitespace);
            _members = document.Root!.Element("members")!.Elements("member")
                .Where(m => m.Attribute("name") != null)
                .GroupBy(m => (string)m.Attribute("name")!, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        }

        /// <summary>The paragraphs of the cmdlet class's &lt;para type="<paramref name="kind"/>"&gt; elements.</summary>
        public List<string> TypeParagraphs(string typeName, string kind)
        {
            if (!_members.TryGetValue("T:" + typeName.Replace('+', '.'), out var member)) return new List<string>();
            var summary = member.Element("summary");
            if (summary == null) return new List<string>();
            return summary.Elements("para")
                .Where(p => string.Equals((string?)p.Attribute("type"), kind, StringComparison.OrdinalIgnoreCase))
                .Select(Text)
                .Where(t => t.Length > 0)
                .ToList();
        }

        /// <summary>A member's &lt;summary&gt; as paragraphs; empty when it has none.</summary>
        public List<string> Summary(string memberId)
        {
            if (!_members.TryGetValue(memberId, out var member)) return new List<string>();
            var summary = member.Element("summary");
            return summary == null ? new List<string>() : Paragraphs(summary);
        }

        private static List<string> Paragraphs(XElement element)
        {
            var paragraphs = new List<string>();
            var current = new StringBuilder();
            foreach (var node in element.Nodes())
            {
                if (node is XElement e && e.Name.LocalName == "para")
                {
                    Flush(current, paragraphs);
                    var text = Text(e);
                    if (text.Length > 0) paragraphs.Add(text);
                }
                else
                {
                    current.Append(Inline(node));
                }
            }
            Flush(current, paragraphs);
            return paragraphs;
        }

        private static void Flush(StringBuilder current, List<string> paragraphs)
        {
            var text = Normalize(current.ToString());
            if (text.Length > 0) paragraphs.Add(text);
            current.Clear();
        }

        private static string Text(XElement element) => Normalize(string.Concat(element.Nodes().Select(Inline)));

        /// <summary>Inline doc-comment markup as plain text: &lt;c&gt;x&lt;/c&gt; is x, a cref is its last name.</summary>
        private static string Inline(XNode node)
        {
            switch (node)
            {
                case XText text:
                    return text.Value;
                case XElement e when e.Name.LocalName == "see" || e.Name.LocalName == "seealso":
                    var langword = (string?)e.Attribute("langword");
                    if (langword != null) return langword;
                    var cref = (string?)e.Attribute("cref") ?? (string?)e.Attribute("href") ?? "";
                    if (!e.IsEmpty) return string.Concat(e.Nodes().Select(Inline));
                    var name = cref.Contains(':') ? cref.Substring(cref.IndexOf(':') + 1) : cref;
                    return name.Split('(')[0].Split('.').Last();
                case XElement e when e.Name.LocalName == "paramref" || e.Name.LocalName == "typeparamref":
                    return (string?)e.Attribute("name") ?? "";
                case XElement e:
                    return string.Concat(e.Nodes().Select(Inline));
                default:
                    return "";
            }
        }

        private static string Normalize(string text) => Regex.Replace(text, @"\s+", " ").Trim();
    }
}
