using Microsoft.AspNetCore.Http;
using ProfileJobs.Emulator.Ims;

namespace ProfileJobs.Emulator.Gateway;

/// <summary>Who is calling, as established by <see cref="GatewayChecks"/>. Available to every <c>/data</c> handler.</summary>
public sealed class CallerIdentity
{
    public CallerIdentity(IssuedToken token)
    {
        Token = token;
    }

    public IssuedToken Token { get; }

    public string ClientId => Token.ClientId;

    /// <summary>The org of the token, which equals the x-gw-ims-org-id header once the checks passed.</summary>
    public string OrgId => Token.OrgId;

    public static CallerIdentity Get(HttpContext ctx) =>
        ctx.Features.Get<CallerIdentity>() ?? throw new System.InvalidOperationException("GatewayChecks did not run for this route.");
}
