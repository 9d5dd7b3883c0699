using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
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

        private readonly Func<HttpClient> _imsClient;
        private readonly Uri _tokenUri;
        private readonly string _clientId;
        private readonly SecureString _clientSecret;
        private readonly string _scope;
        private readonly SemaphoreSlim _renewal = new SemaphoreSlim(1, 1);
        private volatile CachedToken? _current;

        public ImsTokenSource(Func<HttpClient> imsClient, Uri imsUri, string clientId, SecureString clientSecret, IEnumerable<string> scopes)
        {
            _imsClient = imsClient;
            _tokenUri = new Uri(imsUri, "ims/token/v3");
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

        /// <summary>Fetches a new token unless another caller already replaced <paramref name="stale"/>.</summary>
        private async Task<string> FetchAsync(string? stale, CancellationToken cancellationToken)
        {
            await _renewal.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var current = _current;
                if (current != null && current.Value != stale && !current.NeedsRenewal(DateTimeOffset.UtcNow)) return current.Value;

                var fresh = await RequestTokenAsync(cancellationToken).ConfigureAwait(false);
                _current = fresh;
                return fresh.Value;
            }
            finally
            {
                _renewal.Release();
            }
        }

        private async Task<CachedToken> RequestTokenAsync(CancellationToken cancellationToken)
        {
            // Credentials go in the form body, never the query string, which proxies and logs keep.
            var form = new FormUrlEncodedContent(new[]
            {
                new KeyValuePair<string, string>("grant_type", "client_credentials"),
                new KeyValuePair<string, string>("client_id", _clientId),
                new KeyValuePair<string, string>("client_secret", SecretText.Reveal(_clientSecret)),
                new KeyValuePair<string, string>("scope", _scope),
            });
            using var request = new HttpRequestMessage(HttpMethod.Post, _tokenUri) { Content = form };
            var requestedAt = DateTimeOffset.UtcNow;
            using var response = await _imsClient().SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var error = JsonBodies.TryRead(body, ClientJsonContext.Default.ImsErrorBody);
                var code = error?.Error ?? ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
                var description = error?.ErrorDescription ?? response.ReasonPhrase;
                throw new PlatformApiException(PlatformErrorKind.AuthenticationFailed,
                    $"Adobe IMS refused the token request for client '{_clientId}': {code}: {description}",
                    response.StatusCode, code, responseBody: Http.Redaction.Body(body));
            }

            var token = JsonBodies.TryRead(body, ClientJsonContext.Default.ImsTokenBody);
            if (token == null || string.IsNullOrEmpty(token.AccessToken) || token.ExpiresIn <= 0)
            {
                throw new PlatformApiException(PlatformErrorKind.InvalidResponse,
                    "Adobe IMS answered the token request without an access token and lifetime.", response.StatusCode);
            }
            return new CachedToken(token.AccessToken!, requestedAt, TimeSpan.FromSeconds(token.ExpiresIn));
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
