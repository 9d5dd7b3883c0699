using System;
using System.Security.Cryptography;

namespace ProfileJobs.Emulator.Infrastructure;

/// <summary>Id generators, random (live requests) or from a supplied <see cref="Random"/> (deterministic seeds).</summary>
public static class Ids
{
    private const string Hex = "0123456789abcdef";
    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>A version-4 UUID string.</summary>
    public static string Uuid(Random? random = null)
    {
        if (random == null)
        {
            return Guid.NewGuid().ToString("D");
        }

        Span<byte> b = stackalloc byte[16];
        random.NextBytes(b);
        b[7] = (byte)((b[7] & 0x0F) | 0x40); // Guid byte layout: version nibble lives in byte 7
        b[8] = (byte)((b[8] & 0x3F) | 0x80);
        return new Guid(b).ToString("D");
    }

    /// <summary>Lower-case hex string of <paramref name="length"/> characters (dataset ids are 24, azure batch ids 32).</summary>
    public static string HexString(int length, Random? random = null) => string.Create(length, random, static (span, r) =>
    {
        Span<byte> bytes = stackalloc byte[span.Length];
        if (r != null)
        {
            r.NextBytes(bytes);
        }
        else
        {
            RandomNumberGenerator.Fill(bytes);
        }

        for (int i = 0; i < span.Length; i++)
        {
            span[i] = Hex[bytes[i] & 0x0F];
        }
    });

    /// <summary>A 26-character ULID-looking id, like the AWS batch id sample <c>01JFSYFDFW9JAAEKHX672JMPSB</c>.</summary>
    public static string UlidLike(DateTimeOffset time, Random random) => string.Create(26, (time.ToUnixTimeMilliseconds(), random), static (span, s) =>
    {
        long ms = s.Item1;
        for (int i = 9; i >= 0; i--)
        {
            span[i] = Crockford[(int)(ms & 31)];
            ms >>= 5;
        }

        for (int i = 10; i < 26; i++)
        {
            span[i] = Crockford[s.Item2.Next(32)];
        }
    });

    /// <summary>Deterministic UUID derived from a name (for sandbox ids of sandboxes only known by name).</summary>
    public static string NameBasedUuid(string name) => DeterministicUuid("emulator-sandbox:" + name);

    /// <summary>A version-3-style UUID derived from <paramref name="seed"/>: the same seed gives the same id.</summary>
    public static string DeterministicUuid(string seed)
    {
        byte[] hash = MD5.HashData(System.Text.Encoding.UTF8.GetBytes(seed));
        hash[7] = (byte)((hash[7] & 0x0F) | 0x30);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16)).ToString("D");
    }
}
