using System;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ProfileJobs.Json
{
    /// <summary>Reading JSON the platform sent that may be absent or malformed.</summary>
    internal static class JsonReading
    {
        /// <summary>Reads a body that may be absent or not the expected JSON (error bodies often are).</summary>
        public static T? TryRead<T>(string? text, JsonTypeInfo<T> type) where T : class
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            try
            {
                return JsonSerializer.Deserialize(text!, type);
            }
            catch (JsonException)
            {
                return null;
            }
        }

        /// <summary>The first significant character of a JSON document, to tell an array from an object.</summary>
        public static char FirstToken(ReadOnlySpan<byte> utf8)
        {
            foreach (var b in utf8)
            {
                if (b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == 0xEF || b == 0xBB || b == 0xBF) continue;
                return (char)b;
            }
            return '\0';
        }
    }
}
