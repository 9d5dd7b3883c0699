using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ProfileJobs.Tests.Infrastructure;
using Xunit;

namespace ProfileJobs.Tests
{
    /// <summary>
    /// Tab completion of parameter values, through the engine's TabExpansion2 as the console calls it: statuses,
    /// identity namespaces and types, sandbox names seen in the session and job ids from the last listing.
    /// </summary>
    public sealed class CompletionTests : IClassFixture<UnifiedEmulator>
    {
        private static readonly string[] JobStatuses =
            { "NEW", "PROCESSING", "IN-PROGRESS", "COMPLETED", "SUCCESS", "ERROR", "Pending", "Running", "Succeeded", "Failed" };

        private static readonly string[] Namespaces = { "email", "phone", "ECID", "CORE", "AdCloud", "TNTID", "IDFA", "GAID", "WAID" };

        private static readonly string[] IdentityTypes = { "standard", "custom", "integrationCode", "namespaceId", "unregistered", "analytics", "target" };

        private readonly Emulator _server;

        public CompletionTests(UnifiedEmulator emulator) => _server = emulator.Server;

        /// <summary>What TabExpansion2 offers with the cursor at the end of <paramref name="input"/>.</summary>
        private static IReadOnlyList<CompletionResult> Complete(PsSession session, string input)
        {
            var prompts = session.Host.Prompts.Count;
            var result = session.Run("(TabExpansion2 -inputScript $completionInput -cursorColumn $completionInput.Length).CompletionMatches",
                new Dictionary<string, object?> { ["completionInput"] = input });
            Assert.True(result.Terminating == null, $"{input}: {result.Terminating}");
            Assert.True(result.Errors.Count == 0, $"{input}: {string.Join("; ", result.Errors)}");
            Assert.True(session.Host.Prompts.Count == prompts, $"{input}: completion prompted");
            return result.Output.Select(o => (CompletionResult)o.BaseObject).ToList();
        }

        private static IReadOnlyList<string> Texts(PsSession session, string input) => Complete(session, input).Select(c => c.CompletionText).ToList();

        private static void AssertSameSet(IEnumerable<string> expected, IEnumerable<string> actual) =>
            Assert.Equal(expected.OrderBy(s => s, StringComparer.Ordinal), actual.OrderBy(s => s, StringComparer.Ordinal));

        [Fact]
        public void Job_statuses_complete_from_the_parameter_sets_values_by_prefix()
        {
            using var session = new PsSession();
            AssertSameSet(JobStatuses, Texts(session, "Get-ProfileSystemJob -Status "));
            AssertSameSet(new[] { "SUCCESS", "Succeeded" }, Texts(session, "Get-ProfileSystemJob -Status su"));
            AssertSameSet(new[] { "IN-PROGRESS" }, Texts(session, "Get-ProfileSystemJob -Status Running, in"));
        }

        [Fact]
        public void Work_order_statuses_complete_for_Get_HygieneRecordDelete()
        {
            using var session = new PsSession();
            AssertSameSet(new[] { "received", "validated", "submitted", "ingested", "completed", "failed" }, Texts(session, "Get-HygieneRecordDelete -Status "));
            AssertSameSet(new[] { "completed" }, Texts(session, "Get-HygieneRecordDelete -Status co"));
        }

        [Fact]
        public void Namespaces_complete_case_insensitively_by_prefix_and_wildcard_with_a_tooltip()
        {
            using var session = new PsSession();
            var all = Complete(session, "New-HygieneRecordDelete -Namespace ");
            AssertSameSet(Namespaces, all.Select(c => c.CompletionText));
            Assert.All(all, c => Assert.Equal(CompletionResultType.ParameterValue, c.ResultType));
            Assert.Contains(all, c => c.CompletionText == "email" && c.ToolTip.Contains("id 6", StringComparison.Ordinal));

            AssertSameSet(new[] { "email", "ECID" }, Texts(session, "New-HygieneRecordDelete -Namespace e"));
            AssertSameSet(new[] { "ECID" }, Texts(session, "New-HygieneRecordDelete -Namespace ec"));
            AssertSameSet(new[] { "ECID", "TNTID", "IDFA", "GAID", "WAID" }, Texts(session, "New-HygieneRecordDelete -Namespace *id"));
            AssertSameSet(new[] { "ECID", "TNTID", "IDFA", "GAID", "WAID" }, Texts(session, "New-HygieneRecordDelete -Namespace *ID"));
            Assert.Empty(Texts(session, "New-HygieneRecordDelete -Namespace unknownNamespace"));
            // Positional: -Namespace is position 0.
            AssertSameSet(new[] { "phone" }, Texts(session, "New-HygieneRecordDelete ph"));
        }

        [Fact]
        public void A_typed_quote_is_kept_and_the_completion_is_closed_with_it()
        {
            using var session = new PsSession();
            AssertSameSet(new[] { "'email'", "'ECID'" }, Texts(session, "New-HygieneRecordDelete -Namespace 'e"));
            AssertSameSet(new[] { "\"TNTID\"" }, Texts(session, "New-HygieneRecordDelete -Namespace \"tn"));
        }

        [Fact]
        public void Identity_types_complete_by_prefix_also_through_the_Type_alias()
        {
            using var session = new PsSession();
            AssertSameSet(IdentityTypes, Texts(session, "New-HygieneRecordDelete -Namespace email -Value jane@example.com -IdentityType "));
            AssertSameSet(new[] { "integrationCode" }, Texts(session, "New-HygieneRecordDelete -IdentityType INTEG"));
            AssertSameSet(new[] { "namespaceId" }, Texts(session, "New-HygieneRecordDelete -Type n"));
        }

        [Fact]
        public void Odd_input_completes_to_nothing_without_an_error()
        {
            using var session = new PsSession();
            Assert.Empty(Texts(session, "New-HygieneRecordDelete -Namespace [e"));
            Assert.Empty(Texts(session, "New-HygieneRecordDelete -Namespace 'it''s"));
            Assert.Empty(Texts(session, "Get-ProfileSystemJob -Id [x"));
            Assert.Empty(Texts(session, "Connect-ExperiencePlatform -Sandbox \"x$"));
        }

        [Fact]
        public void Sandbox_names_are_prod_and_the_sandboxes_connected_to_in_this_session_only()
        {
            using var session = new PsSession();
            using var other = new PsSession();
            AssertSameSet(new[] { "prod" }, Texts(session, "Connect-ExperiencePlatform -Sandbox "));

            foreach (var sandbox in new[] { "dev-emea", "qa west", "dev-apac" })
            {
                var connect = session.Run(_server.ConnectScript().Replace(_server.SandboxArgument, $"-Sandbox '{sandbox}'", StringComparison.Ordinal));
                Assert.True(connect.Terminating == null, connect.Terminating?.ToString());
            }
            var mark = _server.LogPosition();

            var all = Complete(session, "Connect-ExperiencePlatform -Sandbox ");
            AssertSameSet(new[] { "dev-apac", "dev-emea", "prod", "'qa west'" }, all.Select(c => c.CompletionText));
            Assert.Contains("current connection", all.Single(c => c.ListItemText == "dev-apac").ToolTip, StringComparison.Ordinal);
            AssertSameSet(new[] { "dev-apac", "dev-emea" }, Texts(session, "Connect-ExperiencePlatform -Sandbox DEV"));
            AssertSameSet(new[] { "dev-emea" }, Texts(session, "Connect-ExperiencePlatform -SandboxName *emea"));
            AssertSameSet(new[] { "'qa west'" }, Texts(session, "Connect-ExperiencePlatform -Sandbox q"));

            // The default context's sandbox counts even when it was never typed (here: the emulator's, prod).
            session.Run(_server.ConnectScript());
            AssertSameSet(new[] { "prod" }, Texts(session, "Connect-ExperiencePlatform -Sandbox p"));

            // Nothing was asked of the platform, and another runspace has seen none of these sandboxes.
            Assert.DoesNotContain(_server.RequestsSince(mark), r => !r.Path.StartsWith("/ims/", StringComparison.Ordinal));
            AssertSameSet(new[] { "prod" }, Texts(other, "Connect-ExperiencePlatform -Sandbox "));
        }

        [Fact]
        public void Job_ids_come_from_the_last_listing_with_status_and_dataset_and_without_any_request()
        {
            using var session = new PsSession();
            Assert.Null(session.Run(_server.ConnectScript()).Terminating);
            Assert.Empty(Texts(session, "Get-ProfileSystemJob -Id "));

            var listed = session.Run("Get-ProfileSystemJob -First 30");
            Assert.Empty(listed.Errors);
            var ids = listed.Output.Select(o => (string)o.Properties["Id"].Value).ToList();
            Assert.Equal(30, ids.Count);

            var mark = _server.LogPosition();
            foreach (var command in new[] { "Get-ProfileSystemJob -Id ", "Remove-ProfileSystemJob -Id ", "Wait-ProfileSystemJob -Id ", "Wait-ProfileSystemJob " })
            {
                Assert.Equal(ids, Texts(session, command));
            }

            var job = listed.Output[0];
            var completion = Complete(session, "Get-ProfileSystemJob -Id " + ids[0]).Single(c => c.CompletionText == ids[0]);
            Assert.Contains((string)job.Properties["Status"].Value, completion.ToolTip, StringComparison.Ordinal);
            Assert.Contains((string)job.Properties["DatasetId"].Value, completion.ToolTip, StringComparison.Ordinal);

            var prefix = ids[1].Substring(0, 2);
            Assert.Equal(ids.Where(i => i.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)), Texts(session, "Remove-ProfileSystemJob -Id " + prefix.ToUpperInvariant()));
            Assert.Equal(ids.Where(i => i.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)), Texts(session, "Get-ProfileSystemJob -Id 'no-such', " + prefix));
            Assert.Empty(_server.RequestsSince(mark));

            // A newer listing replaces the ids; one that finds nothing leaves the last useful one.
            var failed = session.Run("Get-ProfileSystemJob -Status Failed").Output.Select(o => (string)o.Properties["Id"].Value).ToList();
            Assert.NotEmpty(failed);
            Assert.Equal(failed, Texts(session, "Wait-ProfileSystemJob -Id "));
            session.Run("Get-ProfileSystemJob -Skip 100000");
            Assert.Equal(failed, Texts(session, "Wait-ProfileSystemJob -Id "));

            // Per runspace: another session has listed nothing.
            using var other = new PsSession();
            Assert.Empty(Texts(other, "Get-ProfileSystemJob -Id "));
        }

        [Fact]
        public void Job_id_completion_keeps_the_newest_thousand_of_a_long_listing()
        {
            using var server = new Emulator("unified", "--seed-jobs", "1100");
            using var session = new PsSession();
            Assert.Null(session.Run(server.ConnectScript()).Terminating);
            var ids = session.Run("Get-ProfileSystemJob").Output.Select(o => (string)o.Properties["Id"].Value).ToList();
            Assert.True(ids.Count > 1000, $"{ids.Count} jobs listed");

            Assert.Equal(ids.Skip(ids.Count - 1000), Texts(session, "Get-ProfileSystemJob -Id "));
        }
    }
}
