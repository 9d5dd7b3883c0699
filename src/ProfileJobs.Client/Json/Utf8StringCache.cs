using System;
using System.Text.Json;

namespace ProfileJobs.Json
{
    /// <summary>
    /// A few strings a listing repeats job after job (statuses, types, the organization, sandbox and datasets), so that
    /// each is made once from its UTF-8 bytes rather than once per job. Small and not thread-safe: one per listing.
    /// </summary>
    internal sealed class Utf8StringCache
    {
        /// <summary>Longer values are not kept (they are unlikely to repeat, and comparing them costs).</summary>
        private const int MaxValueBytes = 128;

        private readonly byte[][] _bytes;
        private readonly string[] _strings;
        private int _count;
        private int _next;

        public Utf8StringCache(int capacity)
        {
            _bytes = new byte[capacity][];
            _strings = new string[capacity];
        }

        /// <summary>The string token <paramref name="reader"/> is on, as <see cref="Utf8JsonReader.GetString"/> reads it (and
        /// validates it), the same instance each time its bytes repeat.</summary>
        public string Get(ref Utf8JsonReader reader)
        {
            if (reader.ValueIsEscaped || reader.HasValueSequence) return reader.GetString()!;
            var utf8 = reader.ValueSpan;
            for (var i = 0; i < _count; i++)
            {
                if (utf8.SequenceEqual(_bytes[i])) return _strings[i];
            }
            var text = reader.GetString()!;
            if (utf8.Length > MaxValueBytes) return text;
            // Filled in order, then the oldest entry is replaced.
            var slot = _count < _bytes.Length ? _count++ : _next++ % _bytes.Length;
            _bytes[slot] = utf8.ToArray();
            _strings[slot] = text;
            return text;
        }
    }
}
