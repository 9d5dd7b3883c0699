using System;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using ProfileJobs.Tests.Infrastructure;
using Xunit;

namespace ProfileJobs.Tests
{
    public sealed class ConnectionTests : IClassFixture<UnifiedEmulator>
    {
        private readonly Emulator _server;

        public ConnectionTests(UnifiedEmulator emulator) => _server = emulator.Server;

        private string Secret(string value) => $"([System.Net.NetworkCredential]::new('', '{value}').SecurePassword)";

        [Fact]
        public void Connect_with_a_client_secret_returns_a_context_and_makes_it_the_default()
        {
            using var session = new PsSession();
            var result = session.Run(_server.ConnectScript("-PassThru") + "; Get-ExperiencePlatformContext");

            Assert.Null(result.Terminating);
            Assert.Equal(2, result.Output.Count);
            Assert.Same(result.Output[0].BaseObject, result.Output[1].BaseObject);
            var context = result.Output[0];
            Assert.Equal("ProfileJobs.ExperiencePlatformContext", context.TypeNames[0]);
            Assert.Equal(Emulator.ClientId, context.Properties["ClientId"].Value);
            Assert.Equal(Emulator.OrgId, context.Properties["OrgId"].Value);
            Assert.Equal("prod", context.Properties["SandboxName"].Value);
            Assert.True((DateTimeOffset)context.Properties["TokenExpiresOn"].Value > DateTimeOffset.UtcNow.AddHours(23));
        }

        [Fact]
        public void Connect_with_a_PSCredential_as_Azure_Automation_provides_it()
        {
            using var session = new PsSession();
            var result = session.Run(
                $"$credential = [pscredential]::new('{Emulator.ClientId}', {Secret(Emulator.ClientSecret)}); " +
                $"Connect-ExperiencePlatform -Credential $credential -OrgId '{Emulator.OrgId}' -PlatformUri '{_server.BaseUri}' -ImsUri '{_server.BaseUri}'; " +
                "Get-ProfileSystemJob -First 1");

            Assert.Null(result.Terminating);
            Assert.Single(result.Output);
        }

        [Fact]
        public void Connect_with_an_access_token_sends_no_token_request()
        {
            using var session = new PsSession();
            var mark = _server.LogPosition();
            session.Run(_server.ConnectScript() + "; Get-ProfileSystemJob -First 1");
            var bareToken = _server.ApiRequestsSince(mark).Single().Header("Authorization")!.Substring("Bearer ".Length);

            using var tokenSession = new PsSession();
            var tokenMark = _server.LogPosition();
            var result = tokenSession.Run(
                $"Connect-ExperiencePlatform -AccessToken {Secret(bareToken)} -ApiKey '{Emulator.ClientId}' -OrgId '{Emulator.OrgId}' -PlatformUri '{_server.BaseUri}' -ImsUri '{_server.BaseUri}' -PassThru; " +
                "Get-ProfileSystemJob -First 2");

            Assert.Null(result.Terminating);
            Assert.Equal("AccessToken", result.Output[0].Properties["AuthenticationMode"].Value.ToString());
            Assert.Equal(3, result.Output.Count);
            var requests = _server.RequestsSince(tokenMark);
            Assert.DoesNotContain(requests, r => r.IsToken);
            Assert.All(requests, r => Assert.Equal("Bearer " + bareToken, r.Header("Authorization")));
        }

        [Fact]
        public void Connect_from_environment_variables()
        {
            using var session = new PsSession();
            var result = session.Run(
                $"$env:AEP_CLIENT_ID = '{Emulator.ClientId}'; $env:AEP_CLIENT_SECRET = '{Emulator.ClientSecret}'; $env:AEP_ORG_ID = '{Emulator.OrgId}'; " +
                $"$env:AEP_SANDBOX_NAME = 'prod'; $env:AEP_PLATFORM_URI = '{_server.BaseUri}'; $env:AEP_IMS_URI = '{_server.BaseUri}'; " +
                "try { Connect-ExperiencePlatform -FromEnvironment -PassThru } finally { " +
                "'AEP_CLIENT_ID', 'AEP_CLIENT_SECRET', 'AEP_ORG_ID', 'AEP_SANDBOX_NAME', 'AEP_PLATFORM_URI', 'AEP_IMS_URI' | ForEach-Object { [Environment]::SetEnvironmentVariable($_, $null) } }");

            Assert.Null(result.Terminating);
            Assert.Equal(Emulator.ClientId, Assert.Single(result.Output).Properties["ClientId"].Value);
        }

        [Fact]
        public void A_wrong_secret_is_a_terminating_authentication_error_that_quotes_ims_and_not_the_secret()
        {
            using var session = new PsSession();
            var result = session.Run(
                $"Connect-ExperiencePlatform -ClientId '{Emulator.ClientId}' -ClientSecret {Secret("wrong-canary-secret")} -OrgId '{Emulator.OrgId}' -PlatformUri '{_server.BaseUri}' -ImsUri '{_server.BaseUri}'");

            var error = result.AllErrors.SingleOrDefault();
            Assert.NotNull(error);
            Assert.Equal("AuthenticationFailed,ProfileJobs.Commands.ConnectExperiencePlatformCommand", error!.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
            Assert.Contains("invalid_client", error.Exception.Message);
            Assert.DoesNotContain(result.AllText, t => t.Contains("wrong-canary-secret"));
            Assert.Null(session.Run("Get-ExperiencePlatformContext").Output.FirstOrDefault());
        }

        [Fact]
        public void Plain_http_is_refused_for_anything_but_loopback_before_any_request()
        {
            using var session = new PsSession();
            var result = session.Run(
                $"Connect-ExperiencePlatform -ClientId x -ClientSecret {Secret("s")} -OrgId o@AdobeOrg -PlatformUri 'http://platform.example.com/' -ImsUri '{_server.BaseUri}'");

            Assert.Equal("InvalidConnectionParameter,ProfileJobs.Commands.ConnectExperiencePlatformCommand", result.AllErrors.Single().FullyQualifiedErrorId);
            Assert.Contains("must use https", result.AllErrors.Single().Exception.Message);
        }

        [Fact]
        public void Commands_without_a_connection_say_how_to_connect()
        {
            using var session = new PsSession();
            var result = session.Run("Get-ProfileSystemJob");

            Assert.Equal("NotConnected,ProfileJobs.Commands.GetProfileSystemJobCommand", result.AllErrors.Single().FullyQualifiedErrorId);
            Assert.Contains("Connect-ExperiencePlatform", result.AllErrors.Single().Exception.Message);
        }

        [Fact]
        public void One_token_serves_many_commands()
        {
            using var session = new PsSession();
            var mark = _server.LogPosition();
            var result = session.Run(_server.ConnectScript() + "; 1..5 | ForEach-Object { Get-ProfileSystemJob -First 1 }; Get-ProfileSystemJob -First 150 | Out-Null");

            Assert.Null(result.Terminating);
            var requests = _server.RequestsSince(mark);
            Assert.Single(requests, r => r.IsToken);
            var apiCalls = requests.Where(r => !r.IsToken).ToList();
            Assert.Equal(7, apiCalls.Count);
            Assert.Single(apiCalls.Select(r => r.Header("Authorization")).Distinct());
        }

        [Fact]
        public void A_token_the_platform_rejects_is_renewed_once_and_the_request_replayed()
        {
            using var session = new PsSession();
            session.Run(_server.ConnectScript());
            session.Run("Get-ProfileSystemJob -First 1");
            _server.ExpireTokens();
            var mark = _server.LogPosition();

            var result = session.Run("Get-ProfileSystemJob -First 1");

            Assert.Empty(result.Errors);
            Assert.Single(result.Output);
            var requests = _server.RequestsSince(mark);
            Assert.Equal(new[] { 401, 200, 200 }, requests.Select(r => r.Status));
            Assert.True(requests[1].IsToken);
            Assert.NotEqual(requests[0].Header("Authorization"), requests[2].Header("Authorization"));
        }

        [Fact]
        public void The_default_context_belongs_to_the_runspace()
        {
            using var connected = new PsSession();
            using var other = new PsSession();
            connected.Run(_server.ConnectScript());

            Assert.Single(connected.Run("Get-ExperiencePlatformContext").Output);
            Assert.Empty(other.Run("Get-ExperiencePlatformContext").Output);
            Assert.Equal("NotConnected,ProfileJobs.Commands.GetProfileSystemJobCommand", other.Run("Get-ProfileSystemJob -First 1").AllErrors.Single().FullyQualifiedErrorId);
        }

        [Fact]
        public void An_explicit_context_works_in_another_runspace()
        {
            using var connected = new PsSession();
            using var other = new PsSession();
            var context = connected.Run(_server.ConnectScript("-PassThru")).Output.Single();

            var result = other.Run("Get-ProfileSystemJob -First 2 -Context $ctx", new System.Collections.Generic.Dictionary<string, object?> { ["ctx"] = context });

            Assert.Equal(2, result.Output.Count);
        }

        [Fact]
        public void Disconnect_clears_the_default_and_retires_the_context()
        {
            using var session = new PsSession();
            var result = session.Run(_server.ConnectScript("-PassThru -OutVariable ctx") + " | Out-Null; Disconnect-ExperiencePlatform; Get-ExperiencePlatformContext; Get-ProfileSystemJob -First 1 -Context $ctx[0]");

            Assert.Empty(result.Output);
            Assert.Equal("ContextDisconnected,ProfileJobs.Commands.GetProfileSystemJobCommand", result.AllErrors.Single().FullyQualifiedErrorId);
        }

        [Fact]
        public void A_wrong_org_is_a_PermissionDenied_error_with_the_gateway_message()
        {
            using var session = new PsSession();
            var result = session.Run(
                $"Connect-ExperiencePlatform -ClientId '{Emulator.ClientId}' -ClientSecret {Secret(Emulator.ClientSecret)} -OrgId 'OTHER000000000000000000@AdobeOrg' -PlatformUri '{_server.BaseUri}' -ImsUri '{_server.BaseUri}'; Get-ProfileSystemJob -First 1");

            var error = Assert.Single(result.Errors);
            Assert.Equal("Forbidden,ProfileJobs.Commands.GetProfileSystemJobCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
            Assert.Contains("403", error.Exception.Message);
            Assert.Contains("Profile is not valid", error.Exception.Message);
        }

        [Fact]
        public void A_short_lived_token_is_renewed_before_it_expires()
        {
            using var shortLived = new Emulator("unified", "--token-lifetime", "2", "--seed-jobs", "3");
            using var session = new PsSession();
            session.Run(shortLived.ConnectScript());
            session.Run("Get-ProfileSystemJob -First 1");
            var mark = shortLived.LogPosition();
            Thread.Sleep(2200);
            var result = session.Run("Get-ProfileSystemJob -First 1");

            Assert.Empty(result.Errors);
            var requests = shortLived.RequestsSince(mark);
            Assert.Single(requests, r => r.IsToken);
            Assert.DoesNotContain(requests, r => r.Status == 401);
        }

        [Fact]
        public void Verbose_shows_each_exchange_and_debug_never_shows_a_secret()
        {
            using var session = new PsSession();
            var result = session.Run(_server.ConnectScript("-Debug -Verbose") + "; Get-ProfileSystemJob -First 1 -Verbose -Debug");

            Assert.Contains(result.Verbose, v => v.StartsWith("HTTP POST /ims/token/v3 -> 200", StringComparison.Ordinal));
            Assert.Contains(result.Verbose, v => v.StartsWith("HTTP GET /data/core/ups/system/jobs?start=0&limit=100 -> 200", StringComparison.Ordinal) && v.Contains("request id"));
            Assert.Contains(result.Debug, d => d.Contains("Authorization: ***"));
            Assert.Contains(result.Debug, d => d.Contains("client_secret=***"));
            Assert.Contains(result.Debug, d => d.Contains("\"access_token\":\"***\""));
            Assert.DoesNotContain(result.AllText, t => t.Contains(Emulator.ClientSecret));
            var token = _server.RequestsSince(0).Last(r => !r.IsToken && r.Header("Authorization") != null).Header("Authorization")!.Substring(7);
            Assert.DoesNotContain(result.AllText, t => t.Contains(token));
        }
    }
}
