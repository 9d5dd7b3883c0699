using System;
using System.Text.RegularExpressions;

namespace ProfileJobs.Http
{
    /// <summary>Removes credentials from anything the pipeline writes about a request or response.</summary>
    internal static class Redaction
    {
        public const string Mask = "***";
        public const int MaxBodyChars = 4096;

        private static readonly string[] SecretHeaders = { "Authorization", "x-api-key" };

        private static readonly Regex SecretFields = new Regex(
            "(?<prefix>(\"(client_secret|access_token|refresh_token|id_token)\"\\s*:\\s*\")|((^|&)(client_secret|access_token)=))(?<value>[^\"&]*)",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);

        public static bool IsSecretHeader(string name)
        {
            foreach (var secret in SecretHeaders)
            {
                if (string.Equals(secret, name, StringComparison.OrdinalIgnoreCase)) return true;
            }
            return false;
        }

        public static string Body(string? body)
        {
            if (string.IsNullOrEmpty(body)) return "";
            var redacted = SecretFields.Replace(body!, m => m.Groups["prefix"].Value + Mask);
            return redacted.Length <= MaxBodyChars
                ? redacted
                : redacted.Substring(0, MaxBodyChars) + $"... ({redacted.Length - MaxBodyChars} more characters)";
        }
    }
}
