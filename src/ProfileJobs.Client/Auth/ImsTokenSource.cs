using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using ProfileJobs.Connection;
using ProfileJobs.Http;
using ProfileJobs.Json;

namespace ProfileJobs.Auth
{
    /// <summary>
    /// OAuth server-to-server tokens from Adobe IMS (client credentials). IMS issues no refresh token, so the
    /// client secret is kept and a new token is requested shortly before the current one expires.
    /// </summary>
    internal sealed class ImsTokenSource : ITokenSource
    {
        private static readonly TimeSpan MaxRenewalMargin = TimeSpan.FromMinutes(5);

        private const string TokenPath = "ims/token/v3";

        private readonly ApiTransport _ims;
        private readonly ConnectionLifetime _lifetime;
        private readonly string _clientId;
        private readonly string _scope;
        private readonly SemaphoreSlim _renewal = new SemaphoreSlim(1, 1);
        private SecureString? _clientSecret;
        private volatile CachedToken? _current;

        public ImsTokenSource(ApiTransport ims, ConnectionLifetime lifetime, string clientId, SecureString clientSecret, IEnumerable<string> scopes)
        {
            _ims = ims;
            _lifetime = lifetime;
            _clientId = clientId;
            _clientSecret = clientSecret;
            _scope = string.Join(",", scopes);
        }

        public DateTimeOffset? ExpiresOn => _current?.ExpiresOn;

        public Task<string> GetTokenAsync(CancellationToken cancellationToken)
        {
            var current = _current;
            if (current != null && !current.NeedsRenewal(DateTimeOffset.UtcNow)) return Task.FromResult(current.Value);
            return FetchAsync(current?.Value, cancellationToken);
        }

        public Task<string> RenewAsync(string rejectedToken, CancellationToken cancellationToken) => FetchAsync(rejectedToken, cancellationToken);

        public void Forget()
        {
            _current = null;
            _clientSecret = null;
        }

        /// <summary>Fetches a new token unless another caller already replaced <paramref name="stale"/>.</summary>
        private async Task<string> FetchAsync(string? stale, CancellationToken cancellationToken)
        {
            await _renewal.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var current = _current;
                if (current != null && current.Value != stale && !current.NeedsRenewal(DateTimeOffset.UtcNow)) return current.Value;

                var response = await SendTokenRequestAsync(cancellationToken, out var requestedAt).ConfigureAwait(false);
                var token = JsonReading.TryRead(System.Text.Encoding.UTF8.GetString(response.Body), ClientJsonContext.Default.ImsTokenBody);
                if (token == null || string.IsNullOrEmpty(token.AccessToken) || token.ExpiresIn <= 0)
                {
                    throw new PlatformApiException(PlatformErrorKind.InvalidResponse,
                        "Adobe IMS answered the token request without an access token and lifetime.", requestId: response.RequestId);
                }
                var fresh = new CachedToken(token.AccessToken!, requestedAt, TimeSpan.FromSeconds(token.ExpiresIn));
                _current = fresh;
                return fresh.Value;
            }
            finally
            {
                _renewal.Release();
            }
        }

        /// <summary>The token request; not async itself (its answer is read where it is awaited), one async layer fewer.</summary>
        private Task<ApiResponse> SendTokenRequestAsync(CancellationToken cancellationToken, out DateTimeOffset requestedAt)
        {
            var secret = _clientSecret ?? throw _lifetime.Disconnected();
            // Credentials go in the form body, never the query string, which proxies and logs keep.
            var form = new FormUrlEncodedContent(new[]
            {
                new KeyValuePair<string, string>("grant_type", "client_credentials"),
                new KeyValuePair<string, string>("client_id", _clientId),
                new KeyValuePair<string, string>("client_secret", SecretText.Reveal(secret)),
                new KeyValuePair<string, string>("scope", _scope),
            });
            var request = RequestMetadata.Create(HttpMethod.Post, TokenPath, ApiOperation.ImsToken, form, $"client '{_clientId}'");
            requestedAt = DateTimeOffset.UtcNow;
            return _ims.SendAsync(request, cancellationToken);
        }

        private sealed class CachedToken
        {
            public CachedToken(string value, DateTimeOffset issuedAt, TimeSpan lifetime)
            {
                Value = value;
                ExpiresOn = issuedAt + lifetime;
                var margin = TimeSpan.FromTicks(Math.Min(MaxRenewalMargin.Ticks, lifetime.Ticks / 5));
                RenewAfter = ExpiresOn - margin;
            }

            public string Value { get; }
            public DateTimeOffset ExpiresOn { get; }
            private DateTimeOffset RenewAfter { get; }

            public bool NeedsRenewal(DateTimeOffset now) => now >= RenewAfter;
        }
    }
}
