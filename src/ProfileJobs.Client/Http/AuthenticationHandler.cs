using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using ProfileJobs.Auth;

namespace ProfileJobs.Http
{
    /// <summary>
    /// Adds the platform's credential headers, after the request guard confirmed where the request goes. A 401 means
    /// the gateway did not process the request, so it is safe to renew the token once and replay, whatever the method.
    /// </summary>
    internal sealed class AuthenticationHandler : DelegatingHandler
    {
        private readonly ITokenSource _tokens;
        private readonly RequestGuard _guard;
        private readonly string _apiKey;
        private readonly string _orgId;

        public AuthenticationHandler(ITokenSource tokens, RequestGuard guard, string apiKey, string orgId)
        {
            _tokens = tokens;
            _guard = guard;
            _apiKey = apiKey;
            _orgId = orgId;
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            _guard.Check(request);
            var token = await _tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
            Apply(request, token);
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Unauthorized) return response;

            response.Dispose();
            _guard.Check(request);
            token = await _tokens.RenewAsync(token, cancellationToken).ConfigureAwait(false);
            Apply(request, token);
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        private void Apply(HttpRequestMessage request, string token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Remove("x-api-key");
            request.Headers.TryAddWithoutValidation("x-api-key", _apiKey);
            request.Headers.Remove("x-gw-ims-org-id");
            request.Headers.TryAddWithoutValidation("x-gw-ims-org-id", _orgId);
        }
    }
}
