using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Text.RegularExpressions;

namespace ProfileJobs.Completion
{
    /// <summary>
    /// Matching and quoting shared by the completers: what the user typed (with or without an opening quote, with or
    /// without wildcards) is a case-insensitive prefix pattern, and a value that PowerShell would not read as one bare
    /// word comes back quoted, in the user's quote style.
    /// </summary>
    internal static class Completions
    {
        private static readonly Regex Bare = new Regex(@"^[A-Za-z0-9_][A-Za-z0-9_.:@+=/\\-]*$", RegexOptions.CultureInvariant);

        public static IEnumerable<CompletionResult> Match(string? wordToComplete, IEnumerable<Candidate> candidates)
        {
            var word = wordToComplete ?? "";
            char? quote = null;
            if (word.Length > 0 && IsQuote(word[0]))
            {
                quote = word[0];
                word = word.Substring(1);
                if (word.Length > 0 && IsQuote(word[word.Length - 1])) word = word.Substring(0, word.Length - 1);
            }

            var pattern = Pattern(word);
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var results = new List<CompletionResult>();
            foreach (var candidate in candidates)
            {
                var value = candidate.Value;
                if (string.IsNullOrEmpty(value) || !seen.Add(value) || !IsMatch(pattern, word, value)) continue;
                var toolTip = string.IsNullOrWhiteSpace(candidate.ToolTip) ? value : candidate.ToolTip!;
                results.Add(new CompletionResult(Quote(value, quote), value, CompletionResultType.ParameterValue, toolTip));
            }
            return results;
        }

        /// <summary>The typed text as a wildcard pattern; text that is not a valid pattern (an unclosed '[') is taken literally.</summary>
        private static WildcardPattern Pattern(string word)
        {
            const WildcardOptions options = WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant;
            try
            {
                var pattern = new WildcardPattern(word + "*", options);
                pattern.IsMatch("");
                return pattern;
            }
            catch (WildcardPatternException)
            {
                return new WildcardPattern(WildcardPattern.Escape(word) + "*", options);
            }
        }

        private static bool IsMatch(WildcardPattern pattern, string word, string value)
        {
            try
            {
                return pattern.IsMatch(value);
            }
            catch (WildcardPatternException)
            {
                return value.StartsWith(word, StringComparison.OrdinalIgnoreCase);
            }
        }

        internal static string Quote(string value, char? quote)
        {
            if (quote.HasValue && IsDoubleQuote(quote.Value))
                return "\"" + value.Replace("`", "``").Replace("$", "`$").Replace("\"", "`\"") + "\"";
            if (quote.HasValue || !Bare.IsMatch(value))
                return "'" + value.Replace("'", "''") + "'";
            return value;
        }

        // PowerShell also reads the typographic quotes as quotes.
        private static bool IsQuote(char c) => c == '\'' || c == '\u2018' || c == '\u2019' || c == '\u201A' || c == '\u201B' || IsDoubleQuote(c);

        private static bool IsDoubleQuote(char c) => c == '"' || c == '\u201C' || c == '\u201D' || c == '\u201E';
    }

    internal readonly struct Candidate
    {
        public Candidate(string value, string? toolTip = null)
        {
            Value = value;
            ToolTip = toolTip;
        }

        public string Value { get; }
        public string? ToolTip { get; }
    }
}
