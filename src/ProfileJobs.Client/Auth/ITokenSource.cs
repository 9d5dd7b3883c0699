using System;
using System.Threading;
using System.Threading.Tasks;

namespace ProfileJobs.Auth
{
    /// <summary>Supplies bearer tokens to the authentication handler.</summary>
    internal interface ITokenSource
    {
        /// <summary>A token that is valid now, fetching or renewing one when needed.</summary>
        Task<string> GetTokenAsync(CancellationToken cancellationToken);

        /// <summary>
        /// Called when the platform rejected <paramref name="rejectedToken"/>. Renews it once, however many
        /// requests report the same rejection at the same time, and returns the token to replay with.
        /// </summary>
        Task<string> RenewAsync(string rejectedToken, CancellationToken cancellationToken);

        DateTimeOffset? ExpiresOn { get; }

        /// <summary>Drops the token and the credential that renews it (Disconnect).</summary>
        void Forget();
    }
}
