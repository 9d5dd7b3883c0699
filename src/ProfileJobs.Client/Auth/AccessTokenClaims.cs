using System;
using System.Security;
using System.Text;
using System.Text.Json;

namespace ProfileJobs.Auth
{
    /// <summary>Reads the expiry of an IMS access token, whose JWT claims carry created_at and expires_in in milliseconds.</summary>
    internal static class AccessTokenClaims
    {
        public static DateTimeOffset? ExpiresOn(SecureString token)
        {
            var parts = SecretText.Reveal(token).Split('.');
            if (parts.Length < 2) return null;
            try
            {
                using var claims = JsonDocument.Parse(Base64UrlDecode(parts[1]));
                if (!TryGetMilliseconds(claims.RootElement, "created_at", out var createdAt)) return null;
                if (!TryGetMilliseconds(claims.RootElement, "expires_in", out var expiresIn)) return null;
                return DateTimeOffset.FromUnixTimeMilliseconds(createdAt + expiresIn);
            }
            catch (Exception ex) when (ex is FormatException || ex is JsonException || ex is ArgumentException)
            {
                return null;
            }
        }

        private static bool TryGetMilliseconds(JsonElement claims, string name, out long value)
        {
            value = 0;
            if (!claims.TryGetProperty(name, out var claim)) return false;
            if (claim.ValueKind == JsonValueKind.Number) return claim.TryGetInt64(out value);
            return claim.ValueKind == JsonValueKind.String && long.TryParse(claim.GetString(), out value);
        }

        private static byte[] Base64UrlDecode(string text)
        {
            var base64 = text.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
            return Convert.FromBase64String(base64);
        }
    }
}
