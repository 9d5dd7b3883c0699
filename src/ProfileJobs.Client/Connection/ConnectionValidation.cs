using System;
using System.Collections.Generic;
using System.Net;
using System.Text.RegularExpressions;

namespace ProfileJobs.Connection
{
    /// <summary>
    /// The rules for every value a connection puts into a header or an address: organization id, sandbox name and id,
    /// client id, API key, scopes, and the two endpoints. A value that breaks one is refused (ArgumentException naming
    /// the parameter or environment variable) before any request, so no value can add a header or leak a password.
    /// </summary>
    internal static class ConnectionValidation
    {
        private static readonly Regex OrgIdPattern = new Regex("^[A-Za-z0-9]{1,64}@AdobeOrg$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);
        private static readonly Regex SandboxNamePattern = new Regex("^[A-Za-z0-9][A-Za-z0-9_-]{0,255}$", RegexOptions.CultureInvariant);
        private static readonly Regex KeyPattern = new Regex("^[A-Za-z0-9][A-Za-z0-9._-]{0,255}$", RegexOptions.CultureInvariant);
        private static readonly Regex ScopePattern = new Regex("^[A-Za-z0-9_.:-]{1,128}$", RegexOptions.CultureInvariant);

        /// <summary>Checks and completes the options: the default sandbox, the client id of a token, trailing slashes.</summary>
        public static void Validate(ConnectionOptions options)
        {
            if (string.IsNullOrWhiteSpace(options.OrgId)) throw new ArgumentException("An organization id is required (-OrgId).", "OrgId");
            OrgId(options.OrgId, "OrgId");
            if (options.SandboxName == null && options.SandboxId == null) options.SandboxName = ConnectionOptions.DefaultSandbox;
            if (options.SandboxName != null) SandboxName(options.SandboxName, "Sandbox");
            if (options.SandboxId != null) options.SandboxId = SandboxId(options.SandboxId, "SandboxId");
            if (options.Mode == AuthenticationMode.ClientCredentials)
            {
                if (string.IsNullOrWhiteSpace(options.ClientId)) throw new ArgumentException("A client id is required.", "ClientId");
                Key(options.ClientId, "ClientId", "client id");
                if (options.ClientSecret == null || options.ClientSecret.Length == 0) throw new ArgumentException("A client secret is required.", "ClientSecret");
            }
            else
            {
                if (options.AccessToken == null || options.AccessToken.Length == 0) throw new ArgumentException("An access token is required.", "AccessToken");
                if (string.IsNullOrWhiteSpace(options.ApiKey)) throw new ArgumentException("An API key (the client id of the token's project) is required with an access token.", "ApiKey");
                Key(options.ApiKey!, "ApiKey", "API key");
                if (string.IsNullOrWhiteSpace(options.ClientId)) options.ClientId = options.ApiKey!;
                else Key(options.ClientId, "ClientId", "client id");
            }
            foreach (var scope in options.Scopes) Scope(scope, "Scope");
            options.PlatformUri = Endpoint(options.PlatformUri, "PlatformUri");
            options.ImsUri = Endpoint(options.ImsUri, "ImsUri");
        }

        public static string OrgId(string value, string source) =>
            OrgIdPattern.IsMatch(value) ? value : throw Refused(source, value, "an organization id is letters and digits followed by @AdobeOrg, such as 0123456789ABCDEF01234567@AdobeOrg");

        public static string SandboxName(string value, string source) =>
            SandboxNamePattern.IsMatch(value) ? value : throw Refused(source, value, "a sandbox name is letters, digits, '-' and '_' (at most 256), such as prod or dev-emea");

        /// <summary>A sandbox id is a UUID; returned in its canonical form.</summary>
        public static string SandboxId(string value, string source) =>
            Guid.TryParseExact(value, "D", out var id) ? id.ToString("D") : throw Refused(source, value, "a sandbox id is a UUID such as 2b6e8a5c-1d3f-4e7a-9c0b-8f1e2d3c4b5a");

        public static string Key(string value, string source, string what) =>
            KeyPattern.IsMatch(value) ? value : throw Refused(source, value, $"a {what} is letters, digits, '.', '-' and '_' (at most 256)");

        public static string Scope(string value, string source) =>
            ScopePattern.IsMatch(value) ? value : throw Refused(source, value, "a scope is letters, digits, '.', ':', '-' and '_', such as openid or read_organizations; give several as an array or comma separated");

        /// <summary>
        /// An endpoint: absolute, without user information, query or fragment, https unless loopback (a local
        /// emulator may speak plain http); returned with a trailing slash so relative paths resolve under it.
        /// </summary>
        public static Uri Endpoint(Uri uri, string source)
        {
            if (!uri.IsAbsoluteUri) throw new ArgumentException($"{source} must be an absolute URI.", source);
            // Said without quoting the URI: it would repeat the password.
            if (!string.IsNullOrEmpty(uri.UserInfo))
                throw new ArgumentException($"{source} must not contain user information (user:password@): credentials are sent only as the OAuth credential. Give the address alone.", source);
            if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
                throw new ArgumentException($"{source} must be an http or https address, not {uri.Scheme}.", source);
            if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
                throw new ArgumentException($"{source} '{uri.GetLeftPart(UriPartial.Path)}' must not have a query or fragment.", source);
            if (uri.Scheme == Uri.UriSchemeHttp && !IsLoopback(uri))
                throw new ArgumentException($"{source} '{uri}' must use https; plain http is allowed only for loopback addresses such as a local emulator.", source);
            return uri.AbsoluteUri.EndsWith("/", StringComparison.Ordinal) ? uri : new Uri(uri.AbsoluteUri + "/");
        }

        /// <summary>Splits comma-separated scopes as given on the command line or in AEP_SCOPES.</summary>
        public static IReadOnlyList<string> SplitScopes(IEnumerable<string> values)
        {
            var scopes = new List<string>();
            foreach (var value in values)
            {
                foreach (var part in value.Split(','))
                {
                    var scope = part.Trim(' ');
                    if (scope.Length > 0) scopes.Add(scope);
                }
            }
            return scopes;
        }

        private static ArgumentException Refused(string source, string value, string rule) =>
            new ArgumentException($"{Describe(source)} '{Printable(value)}' is not valid: {rule}.", source);

        private static string Describe(string source) => source.StartsWith("AEP_", StringComparison.Ordinal) ? $"The environment variable {source}" : "-" + source;

        /// <summary>The value with control characters shown as '?' and cut at 80 characters, safe to put in a message.</summary>
        private static string Printable(string value)
        {
            var chars = (value.Length > 80 ? value.Substring(0, 80) : value).ToCharArray();
            for (var i = 0; i < chars.Length; i++)
            {
                if (char.IsControl(chars[i])) chars[i] = '?';
            }
            return new string(chars) + (value.Length > 80 ? "..." : "");
        }

        private static bool IsLoopback(Uri uri)
        {
            if (uri.IsLoopback) return true;
            return IPAddress.TryParse(uri.DnsSafeHost, out var address) && IPAddress.IsLoopback(address);
        }
    }
}
