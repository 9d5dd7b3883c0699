using System;
using ProfileJobs.Auth;
using ProfileJobs.Connection;
using Xunit;

namespace ProfileJobs.Client.Tests
{
    public sealed class ConnectionValidationTests
    {
        private static ConnectionOptions Valid() => new ConnectionOptions
        {
            ClientId = "test-client", ClientSecret = SecretText.Protect("s"), OrgId = "TESTORG0000000000000000@AdobeOrg",
            PlatformUri = new Uri("https://platform.adobe.io"), ImsUri = new Uri("http://127.0.0.1:5000/"),
        };

        [Fact]
        public void Valid_options_are_completed_with_the_default_sandbox_and_trailing_slashes()
        {
            var options = Valid();
            ConnectionValidation.Validate(options);

            Assert.Equal("prod", options.SandboxName);
            Assert.Equal("https://platform.adobe.io/", options.PlatformUri.ToString());
        }

        [Theory]
        [InlineData("OrgId", "ORG@AdobeOrg\r\nx-evil: 1")]
        [InlineData("OrgId", "ORG")]
        [InlineData("Sandbox", "prod\nx")]
        [InlineData("Sandbox", "my sandbox")]
        [InlineData("SandboxId", "not-a-uuid")]
        [InlineData("ClientId", "client\r\nx")]
        [InlineData("Scope", "openid AdobeID")]
        public void A_value_that_could_break_a_header_is_refused_naming_its_parameter(string parameter, string value)
        {
            var options = Valid();
            switch (parameter)
            {
                case "OrgId": options.OrgId = value; break;
                case "Sandbox": options.SandboxName = value; break;
                case "SandboxId": options.SandboxId = value; break;
                case "ClientId": options.ClientId = value; break;
                case "Scope": options.Scopes = new[] { value }; break;
            }

            var refused = Assert.Throws<ArgumentException>(() => ConnectionValidation.Validate(options));

            Assert.Equal(parameter, refused.ParamName);
            Assert.DoesNotContain("\n", refused.Message);
        }

        [Fact]
        public void A_sandbox_name_and_id_may_be_given_together()
        {
            var options = Valid();
            options.SandboxName = "dev-emea";
            options.SandboxId = "5B1C1B3A-0000-4000-8000-00000000E001";

            ConnectionValidation.Validate(options);

            Assert.Equal("dev-emea", options.SandboxName);
            Assert.Equal("5b1c1b3a-0000-4000-8000-00000000e001", options.SandboxId);
        }

        [Theory]
        [InlineData("https://user:pa55word@platform.adobe.io/", "user information")]
        [InlineData("http://platform.example.com/", "must use https")]
        [InlineData("ftp://platform.example.com/", "http or https")]
        [InlineData("https://platform.adobe.io/?a=1", "query or fragment")]
        public void An_endpoint_is_refused_without_repeating_a_password(string uri, string reason)
        {
            var refused = Assert.Throws<ArgumentException>(() => ConnectionValidation.Endpoint(new Uri(uri), "PlatformUri"));

            Assert.Contains(reason, refused.Message);
            Assert.DoesNotContain("pa55word", refused.Message);
            Assert.Equal("PlatformUri", refused.ParamName);
        }

        [Theory]
        [InlineData("http://127.0.0.1:5000/")]
        [InlineData("http://localhost:5000/")]
        [InlineData("http://[::1]:5000/")]
        public void Plain_http_is_allowed_for_loopback(string uri) =>
            Assert.Equal(uri, ConnectionValidation.Endpoint(new Uri(uri), "ImsUri").ToString());

        [Theory]
        [InlineData("NaN")]
        [InlineData("Infinity")]
        [InlineData("-1")]
        [InlineData("86401")]
        [InlineData("soon")]
        public void A_timeout_variable_that_is_not_a_number_in_range_is_refused_naming_it(string value)
        {
            var before = Environment.GetEnvironmentVariable(EnvironmentSettings.RequestTimeout);
            try
            {
                Environment.SetEnvironmentVariable(EnvironmentSettings.RequestTimeout, value);
                var refused = Assert.Throws<ArgumentException>(() => EnvironmentSettings.ReadRetry());
                Assert.Equal(EnvironmentSettings.RequestTimeout, refused.ParamName);
                Assert.Contains(EnvironmentSettings.RequestTimeout, refused.Message);
            }
            finally
            {
                Environment.SetEnvironmentVariable(EnvironmentSettings.RequestTimeout, before);
            }
        }
    }
}
