using System;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using ProfileJobs.Connection;

namespace ProfileJobs.Auth
{
    /// <summary>A token obtained elsewhere and passed to Connect-ExperiencePlatform; it cannot be renewed.</summary>
    internal sealed class StaticTokenSource : ITokenSource
    {
        private readonly ConnectionLifetime _lifetime;
        private SecureString? _token;

        public StaticTokenSource(SecureString token, DateTimeOffset? expiresOn, ConnectionLifetime lifetime)
        {
            _token = token;
            _lifetime = lifetime;
            ExpiresOn = expiresOn;
        }

        public DateTimeOffset? ExpiresOn { get; }

        public Task<string> GetTokenAsync(CancellationToken cancellationToken) =>
            Task.FromResult(SecretText.Reveal(_token ?? throw _lifetime.Disconnected()));

        public void Forget() => _token = null;

        public Task<string> RenewAsync(string rejectedToken, CancellationToken cancellationToken) =>
            throw new PlatformApiException(PlatformErrorKind.Unauthorized,
                "The access token given to Connect-ExperiencePlatform was rejected as expired or invalid, and a token passed with -AccessToken cannot be renewed. Connect again with a new token, or with -ClientId and -ClientSecret so the module can renew it.",
                System.Net.HttpStatusCode.Unauthorized, "401013");
    }
}
