using System;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading;
using ProfileJobs.Emulator.Infrastructure;

namespace ProfileJobs.Emulator.Ims;

/// <summary>An access token issued by the emulated IMS.</summary>
public sealed class IssuedToken
{
    public required string Value { get; init; }

    public required string ClientId { get; init; }

    public required string OrgId { get; init; }

    public required DateTimeOffset IssuedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }
}

/// <summary>
/// Thread-safe store of issued bearer tokens. Tokens are random JWT-looking strings bound to a client id and org,
/// expiring after the configured lifetime (aep-api.md 2, 5.2).
/// </summary>
public sealed class TokenStore
{
    private readonly ConcurrentDictionary<string, IssuedToken> _tokens = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;
    private readonly int _lifetimeSeconds;
    private int _issuedSinceSweep;

    public TokenStore(TimeProvider clock, int lifetimeSeconds)
    {
        _clock = clock;
        _lifetimeSeconds = lifetimeSeconds;
    }

    public int LifetimeSeconds => _lifetimeSeconds;

    public int Count => _tokens.Count;

    public IssuedToken Issue(string clientId, string orgId, string scope)
    {
        DateTimeOffset now = _clock.GetUtcNow();
        long createdMs = now.ToUnixTimeMilliseconds();
        long lifetimeMs = _lifetimeSeconds * 1000L;
        string value = BuildJwt(clientId, orgId, scope, createdMs, lifetimeMs);
        var token = new IssuedToken
        {
            Value = value,
            ClientId = clientId,
            OrgId = orgId,
            IssuedAt = now,
            ExpiresAt = now.AddMilliseconds(lifetimeMs),
        };
        _tokens[value] = token;

        if (Interlocked.Increment(ref _issuedSinceSweep) >= 1024)
        {
            Interlocked.Exchange(ref _issuedSinceSweep, 0);
            Sweep(now);
        }

        return token;
    }

    /// <summary>Returns the token if it was issued and has not expired (or been revoked).</summary>
    public IssuedToken? Validate(string value)
    {
        if (!_tokens.TryGetValue(value, out IssuedToken? token))
        {
            return null;
        }

        if (token.ExpiresAt <= _clock.GetUtcNow())
        {
            _tokens.TryRemove(value, out _);
            return null;
        }

        return token;
    }

    /// <summary>Invalidates every token issued so far; returns how many were live.</summary>
    public int ExpireAll()
    {
        int n = _tokens.Count;
        _tokens.Clear();
        return n;
    }

    public void Reset() => _tokens.Clear();

    private void Sweep(DateTimeOffset now)
    {
        foreach (var pair in _tokens)
        {
            if (pair.Value.ExpiresAt <= now)
            {
                _tokens.TryRemove(pair.Key, out _);
            }
        }
    }

    private static string BuildJwt(string clientId, string orgId, string scope, long createdMs, long lifetimeMs)
    {
        var sb = new StringBuilder(1024);
        sb.Append(B64("{\"alg\":\"RS256\",\"x5u\":\"ims_na1-key-at-1.cer\",\"kid\":\"ims_na1-key-at-1\",\"itt\":\"at\"}"u8));
        sb.Append('.');

        var payload = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(payload, JsonResponse.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("id", Ids.HexString(32) + "-emu");
            w.WriteString("type", "access_token");
            w.WriteString("client_id", clientId);
            w.WriteString("user_id", clientId + "@techacct.adobe.com");
            w.WriteString("as", "ims-na1");
            w.WriteString("org", orgId);
            w.WriteString("ctp", "0");
            w.WriteString("scope", scope);
            // Real IMS access tokens carry these two claims in milliseconds, as strings (aep-api.md 2).
            w.WriteString("created_at", createdMs.ToString(System.Globalization.CultureInfo.InvariantCulture));
            w.WriteString("expires_in", lifetimeMs.ToString(System.Globalization.CultureInfo.InvariantCulture));
            w.WriteEndObject();
        }

        sb.Append(B64(payload.WrittenSpan));
        sb.Append('.');
        Span<byte> signature = stackalloc byte[128];
        RandomNumberGenerator.Fill(signature);
        sb.Append(B64(signature));
        return sb.ToString();
    }

    private static string B64(ReadOnlySpan<byte> data) => Base64Url.EncodeToString(data);
}
