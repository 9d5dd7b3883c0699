using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using System.Text.Json.Nodes;
using ProfileJobs.Tests.Infrastructure;
using Xunit;

namespace ProfileJobs.Tests
{
    public sealed class HygieneEmulator : IDisposable
    {
        public Emulator Server { get; } = new Emulator("unified", "--job-step-ms", "200", "--fail-identity", "fail@example.com");
        public void Dispose() => Server.Dispose();
    }

    /// <summary>New-HygieneRecordDelete and friends, through the engine against the emulator.</summary>
    public sealed class HygieneTests : IClassFixture<HygieneEmulator>, IDisposable
    {
        private readonly Emulator _server;
        private readonly PsSession _session = new PsSession();

        public HygieneTests(HygieneEmulator emulator)
        {
            _server = emulator.Server;
            Assert.Null(_session.Run(_server.ConnectScript()).Terminating);
        }

        public void Dispose() => _session.Dispose();

        private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

        [Fact]
        public void The_seed_documents_two_user_example_sends_exactly_the_documented_body_and_returns_two_jobs()
        {
            var mark = _server.LogPosition();
            var result = _session.Run(
                "@([pscustomobject]@{ Key = 'John Doe'; Namespace = 'email'; Value = 'johnd@example.com' }," +
                "  [pscustomobject]@{ Key = 'John Doe'; Namespace = 'ECID'; Value = '9cbefef1-dd44-4411-87db-2d387bf882bc' }," +
                "  [pscustomobject]@{ Key = 'Jane Doe'; Namespace = 'Loyalty ID'; Value = '30583967185734'; Type = 'custom' }) | New-HygieneRecordDelete -Force");

            Assert.Empty(result.Errors);
            var post = Assert.Single(_server.ApiRequestsSince(mark), r => r.Method == "POST");
            Assert.Equal("/data/core/privacy/jobs", post.Path);
            var expected = JsonNode.Parse($$"""
                {"companyContexts":[{"namespace":"imsOrgID","value":"{{Emulator.OrgId}}"}],
                 "users":[
                   {"key":"John Doe","action":["delete"],"userIDs":[
                     {"namespace":"email","value":"johnd@example.com","type":"standard"},
                     {"namespace":"ECID","value":"9cbefef1-dd44-4411-87db-2d387bf882bc","type":"standard"}]},
                   {"key":"Jane Doe","action":["delete"],"userIDs":[
                     {"namespace":"Loyalty ID","value":"30583967185734","type":"custom"}]}]}
                """);
            Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(post.Body)), post.Body);

            Assert.Equal(2, result.Output.Count);
            Assert.All(result.Output, job => Assert.Equal("ProfileJobs.HygieneRecordDelete", job.TypeNames[0]));
            Assert.Equal(new[] { "John Doe", "Jane Doe" }, result.Output.Select(j => (string)j.Properties["UserKey"].Value));
            var requestId = (string)result.Output[0].Properties["RequestId"].Value;
            Assert.Matches(@"^\d{17}RX-\d{3}$", requestId);
            Assert.Equal(requestId, result.Output[1].Properties["RequestId"].Value);
            var john = (IEnumerable<object>)result.Output[0].Properties["Identities"].Value;
            Assert.Equal(new int?[] { 6, 4 }, john.Select(i => (int?)PSObject.AsPSObject(i).Properties["NamespaceId"].Value));
            Assert.All(result.Output, j => Assert.Matches("^[0-9a-f-]{36}$", (string)j.Properties["JobId"].Value));
        }

        [Fact]
        public void WhatIf_says_how_many_customers_identities_and_requests_and_sends_nothing()
        {
            var mark = _server.LogPosition();
            var result = _session.Run("New-HygieneRecordDelete -Namespace email -Value a@example.com, b@example.com -Key alice -WhatIf; " +
                                      "New-HygieneRecordDelete -Namespace email -Value c@example.com -WhatIf");

            Assert.Contains("What if: Performing the operation \"Delete the customers' records\" on target \"1 customer with 2 identities in 1 request to /data/core/privacy/jobs", result.HostText);
            Assert.Contains("1 customer with 1 identity in 1 request", result.HostText);
            Assert.Empty(_server.ApiRequestsSince(mark));
        }

        [Fact]
        public void Twenty_five_thousand_identities_from_the_pipeline_go_in_requests_of_1000_customers()
        {
            var mark = _server.LogPosition();
            var result = _session.Run(
                "1..25000 | ForEach-Object { [pscustomobject]@{ Namespace = 'email'; Value = \"bulk$_@example.com\" } } | New-HygieneRecordDelete -Force");

            Assert.Empty(result.Errors);
            Assert.Equal(25000, result.Output.Count);

            var posts = _server.ApiRequestsSince(mark).Where(r => r.Method == "POST").ToList();
            Assert.Equal(25, posts.Count);
            Assert.All(posts, p => Assert.Equal(202, p.Status));
            var perRequest = _server.PrivacyJobs().GroupBy(j => j.RequestId).Where(g => g.Any(j => j.UserKey.StartsWith("email:bulk", StringComparison.Ordinal))).ToList();
            Assert.Equal(25, perRequest.Count);
            Assert.All(perRequest, g => Assert.Equal(1000, g.Count()));
        }

        [Fact]
        public void A_customer_with_ten_identities_is_rejected_and_the_others_are_sent()
        {
            var big = Unique("big");
            var mark = _server.LogPosition();
            var result = _session.Run(
                $"$rows = @(1..10 | ForEach-Object {{ [pscustomobject]@{{ Key = '{big}'; Namespace = 'email'; Value = \"n$_@example.com\" }} }}) + " +
                "@([pscustomobject]@{ Key = 'ok1'; Namespace = 'email'; Value = 'ok1@example.com' }, [pscustomobject]@{ Key = 'ok2'; Namespace = 'ECID'; Value = '123' }); " +
                "$rows | New-HygieneRecordDelete -Force");

            var error = Assert.Single(result.Errors);
            Assert.Equal("TooManyIdentities,ProfileJobs.Commands.NewHygieneRecordDeleteCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Equal(big, error.TargetObject);
            Assert.Contains("10 identities", error.Exception.Message);
            Assert.Equal(new[] { "ok1", "ok2" }, result.Output.Select(j => (string)j.Properties["UserKey"].Value));
            var post = Assert.Single(_server.ApiRequestsSince(mark), r => r.Method == "POST");
            Assert.DoesNotContain(big, post.Body);
        }

        [Fact]
        public void Mixed_valid_and_invalid_rows_are_each_reported_before_anything_is_sent()
        {
            var mark = _server.LogPosition();
            var result = _session.Run(
                "@([pscustomobject]@{ Key = 'empty'; Namespace = 'email'; Value = '' }," +
                "  [pscustomobject]@{ Key = 'badtype'; Namespace = 'email'; Value = 'x@example.com'; Type = 'weird' }," +
                "  [pscustomobject]@{ Key = 'nonamespace'; Value = 'y@example.com' }," +
                "  [pscustomobject]@{ Key = 'good'; Namespace = 'email'; Value = 'good@example.com' }) | New-HygieneRecordDelete -Force");

            Assert.Equal(new[] { "empty", "badtype", "nonamespace" }, result.Errors.Select(e => (string)e.TargetObject));
            Assert.All(result.Errors, e => Assert.Equal("InvalidIdentity,ProfileJobs.Commands.NewHygieneRecordDeleteCommand", e.FullyQualifiedErrorId));
            Assert.Contains("empty value", result.Errors[0].Exception.Message);
            Assert.Contains("unknown identity type 'weird'", result.Errors[1].Exception.Message);
            Assert.Contains("no namespace", result.Errors[2].Exception.Message);
            Assert.Equal("good", Assert.Single(result.Output).Properties["UserKey"].Value);
            Assert.Single(_server.ApiRequestsSince(mark), r => r.Method == "POST");
        }

        [Fact]
        public void Work_orders_group_identities_by_namespace_and_split_at_100000()
        {
            var mark = _server.LogPosition();
            var name = Unique("split");
            var result = _session.Run(
                "$values = [string[]]::new(100001); for ($i = 0; $i -lt $values.Length; $i++) { $values[$i] = \"wo$i@example.com\" }; " +
                $"New-HygieneRecordDelete -Namespace email -Value $values -DatasetId ALL -DisplayName '{name}' -Force");

            Assert.Empty(result.Errors);
            Assert.Equal(2, result.Output.Count);
            Assert.All(result.Output, w => Assert.Equal("ProfileJobs.HygieneWorkOrder", w.TypeNames[0]));
            Assert.Equal(new long[] { 100000, 1 }, result.Output.Select(w => (long)w.Properties["IdentityCount"].Value));
            // Sent concurrently, so the server may have stored them in either order; the names say which is which.
            var orders = _server.WorkOrders().Where(w => w.DisplayName.StartsWith(name, StringComparison.Ordinal)).OrderBy(w => w.DisplayName).ToList();
            Assert.Equal(new[] { $"{name} (1 of 2)", $"{name} (2 of 2)" }, orders.Select(o => o.DisplayName));
            Assert.Equal(new[] { 100000, 1 }, orders.Select(o => o.IdentityCount));
            var posts = _server.ApiRequestsSince(mark).Where(r => r.Method == "POST").ToList();
            Assert.Equal(2, posts.Count);
            Assert.All(posts, p => Assert.Equal("prod", p.Header("x-sandbox-name")));
        }

        [Fact]
        public void A_work_order_body_follows_the_api()
        {
            var mark = _server.LogPosition();
            var result = _session.Run(
                "@([pscustomobject]@{ Namespace = 'email'; Value = 'a@example.com' }, [pscustomobject]@{ Namespace = 'ECID'; Value = '42' }, [pscustomobject]@{ Namespace = 'email'; Value = 'b@example.com' }) | " +
                "New-HygieneRecordDelete -DatasetId ALL -DisplayName 'Cleanup' -Description 'Ticket 7' -Force");

            Assert.Empty(result.Errors);
            var post = Assert.Single(_server.ApiRequestsSince(mark), r => r.Method == "POST");
            Assert.Equal("/data/core/hygiene/workorder", post.Path);
            var expected = JsonNode.Parse("""
                {"displayName":"Cleanup","description":"Ticket 7","action":"delete_identity","datasetId":"ALL",
                 "namespacesIdentities":[{"namespace":{"code":"email"},"IDs":["a@example.com","b@example.com"]},{"namespace":{"code":"ECID"},"IDs":["42"]}]}
                """);
            Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(post.Body)), post.Body);
            var order = Assert.Single(result.Output);
            Assert.StartsWith("DI-", (string)order.Properties["WorkOrderId"].Value);
            Assert.Equal(3L, order.Properties["IdentityCount"].Value);
        }

        [Fact]
        public void Record_delete_jobs_are_read_by_id_and_waited_for()
        {
            var result = _session.Run("New-HygieneRecordDelete -Namespace email -Value w1@example.com, fail@example.com -Force | Wait-HygieneRecordDelete -PollingInterval 0.2 -Timeout 30");

            Assert.Equal(2, result.Output.Count);
            Assert.Equal("complete", result.Output[0].Properties["Status"].Value);
            Assert.Equal("Succeeded", result.Output[0].Properties["State"].Value.ToString());
            Assert.Equal("Failed", result.Output[1].Properties["State"].Value.ToString());
            var error = Assert.Single(result.Errors);
            Assert.Equal("JobFailed,ProfileJobs.Commands.WaitHygieneRecordDeleteCommand", error.FullyQualifiedErrorId);
            Assert.Contains(result.Progress, p => p.Activity == "Waiting for 2 record-delete jobs");

            var id = (string)result.Output[0].Properties["JobId"].Value;
            var read = _session.Run($"Get-HygieneRecordDelete -JobId {id}");
            Assert.Equal("email:w1@example.com", Assert.Single(read.Output).Properties["UserKey"].Value);
            Assert.IsType<DateTimeOffset>(read.Output[0].Properties["CreatedAt"].Value);
        }

        [Fact]
        public void Work_orders_are_waited_for_and_listed_across_pages()
        {
            var name = Unique("list");
            var created = _session.Run(
                $"$global:orders = @(1..5 | ForEach-Object {{ New-HygieneRecordDelete -Namespace email -Value \"list$_@example.com\" -DatasetId ALL -DisplayName \"{name} $_\" -Force }}); $global:orders");
            Assert.Equal(5, created.Output.Count);

            var waited = _session.Run("$global:orders | Wait-HygieneRecordDelete -PollingInterval 0.2 -Timeout 30");
            Assert.Equal(5, waited.Output.Count);
            var mark = _server.LogPosition();
            var listed = _session.Run($"Get-HygieneRecordDelete -Search '{name}' -PageSize 2");

            Assert.Equal(5, listed.Output.Count);
            Assert.Equal(3, _server.ApiRequestsSince(mark).Count);
            var done = _session.Run($"Get-HygieneRecordDelete -Search '{name}' | Wait-HygieneRecordDelete -PollingInterval 0.2 -Timeout 30");
            Assert.Empty(done.Errors);
            Assert.All(done.Output, w => Assert.Equal("completed", w.Properties["Status"].Value));
            Assert.Empty(waited.Errors);
        }

        [Fact]
        public void Quota_shows_what_work_orders_consumed()
        {
            var before = _session.Run("Get-HygieneQuota -QuotaType dailyConsumerDeleteIdentitiesQuota").Output.Single();
            _session.Run("New-HygieneRecordDelete -Namespace email -Value q1@example.com, q2@example.com, q3@example.com -DatasetId ALL -Force");
            var after = _session.Run("Get-HygieneQuota").Output;

            Assert.Equal(3, after.Count);
            var daily = after.Single(q => (string)q.Properties["Name"].Value == "dailyConsumerDeleteIdentitiesQuota");
            Assert.Equal((long)before.Properties["Consumed"].Value + 3, (long)daily.Properties["Consumed"].Value);
            Assert.Equal((long)daily.Properties["Quota"].Value - (long)daily.Properties["Consumed"].Value, (long)daily.Properties["Remaining"].Value);
        }

        [Fact]
        public void Requests_go_out_concurrently_up_to_the_throttle_limit_and_results_come_back_in_order()
        {
            _server.SetFaults("[{\"method\":\"POST\",\"path\":\"/data/core/privacy/jobs\",\"fault\":\"slow\",\"delayMs\":400}]");
            try
            {
                var watch = System.Diagnostics.Stopwatch.StartNew();
                var result = _session.Run(
                    "$values = [string[]]::new(8000); for ($i = 0; $i -lt $values.Length; $i++) { $values[$i] = \"c$i@example.com\" }; " +
                    "New-HygieneRecordDelete -Namespace email -Value $values -Force -ThrottleLimit 4");
                watch.Stop();

                Assert.Empty(result.Errors);
                Assert.Equal(8000, result.Output.Count);
                // Eight requests of 400 ms each: one after another they would take 3.2 s.
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2.6), watch.Elapsed.ToString());
                var keys = result.Output.Select(j => (string)j.Properties["UserKey"].Value).ToList();
                Assert.Equal(Enumerable.Range(0, 8000).Select(i => $"email:c{i}@example.com"), keys);
            }
            finally
            {
                _server.ClearFaults();
            }
        }

        [Fact]
        public void An_unknown_job_id_is_RecordDeleteNotFound()
        {
            var result = _session.Run("Get-HygieneRecordDelete -JobId 00000000-0000-0000-0000-000000000000");
            Assert.Equal("RecordDeleteNotFound,ProfileJobs.Commands.GetHygieneRecordDeleteCommand", Assert.Single(result.Errors).FullyQualifiedErrorId);
        }
    }
}
