using System.Collections.Generic;
using System.Linq;
using ProfileJobs.Hygiene;
using Xunit;

namespace ProfileJobs.Client.Tests
{
    public sealed class RecordDeletePlannerTests
    {
        private static List<RecordDeleteInput> Rows(params (string? Key, string? Namespace, string? Value, string? Type)[] rows) =>
            rows.Select((r, i) => new RecordDeleteInput { Key = r.Key, Namespace = r.Namespace, Value = r.Value, Type = r.Type, Row = i + 1 }).ToList();

        [Fact]
        public void Rows_with_the_same_key_are_one_customer_and_keyless_rows_are_customers_of_their_own()
        {
            var problems = new List<RecordDeleteProblem>();
            var users = RecordDeletePlanner.PlanUsers(Rows(
                ("John", "email", "john@example.com", null),
                (null, "email", "anon@example.com", null),
                (" John ", "ECID", "9cbefef1", null),
                ("Jane", "Loyalty", "305839", "custom")), problems);

            Assert.Empty(problems);
            Assert.Equal(new[] { "John", "email:anon@example.com", "Jane" }, users.Select(u => u.Key));
            Assert.Equal(new[] { "email", "ECID" }, users[0].Identities.Select(i => i.Namespace));
            Assert.Equal(new[] { 1, 3 }, users[0].Rows);
        }

        [Fact]
        public void Types_default_to_standard_for_standard_namespaces_and_custom_otherwise_and_are_spelled_canonically()
        {
            var users = RecordDeletePlanner.PlanUsers(Rows(
                ("a", "email", "x@example.com", null),
                ("a", "Loyalty", "1", null),
                ("a", "Other", "2", "INTEGRATIONCODE")), new List<RecordDeleteProblem>());

            Assert.Equal(new[] { "standard", "custom", "integrationCode" }, users[0].Identities.Select(i => i.Type));
        }

        [Fact]
        public void The_same_identity_twice_in_a_customer_is_sent_once()
        {
            var users = RecordDeletePlanner.PlanUsers(Rows(("a", "email", "x@example.com", null), ("a", " email ", "x@example.com", null)), new List<RecordDeleteProblem>());

            Assert.Single(users[0].Identities);
        }

        [Fact]
        public void A_customer_with_more_than_nine_identities_is_refused_whole_and_the_others_still_go()
        {
            var rows = Enumerable.Range(1, 10).Select(n => ((string?)"big", (string?)"email", (string?)$"n{n}@example.com", (string?)null)).ToList();
            rows.Add(("small", "email", "small@example.com", null));
            var problems = new List<RecordDeleteProblem>();

            var users = RecordDeletePlanner.PlanUsers(Rows(rows.ToArray()), problems);

            Assert.Equal(new[] { "small" }, users.Select(u => u.Key));
            var problem = Assert.Single(problems);
            Assert.Equal("TooManyIdentities", problem.ErrorId);
            Assert.Equal("big", problem.Target);
            Assert.Contains("10 identities", problem.Message);
            Assert.Contains("input rows 1, 2, 3, 4, 5 and 5 more", problem.Message);
        }

        [Theory]
        [InlineData(null, "x@example.com", null, "has no namespace")]
        [InlineData("email", "   ", null, "has an empty value")]
        [InlineData("email", "a\u0007b", null, "control characters in its value")]
        [InlineData("em\nail", "x@example.com", null, "control characters in its namespace")]
        [InlineData("email", "x@example.com", "weird", "unknown identity type 'weird'")]
        public void An_invalid_identity_refuses_its_whole_customer_with_the_reason(string? ns, string? value, string? type, string reason)
        {
            var problems = new List<RecordDeleteProblem>();
            var users = RecordDeletePlanner.PlanUsers(Rows(("c", "email", "ok@example.com", null), ("c", ns, value, type)), problems);

            Assert.Empty(users);
            var problem = Assert.Single(problems);
            Assert.Equal("InvalidIdentity", problem.ErrorId);
            Assert.Contains(reason, problem.Message);
        }

        [Fact]
        public void A_value_over_1024_characters_is_refused()
        {
            var problems = new List<RecordDeleteProblem>();
            RecordDeletePlanner.PlanUsers(Rows(("c", "email", new string('a', 1025), null)), problems);

            Assert.Contains("1025 characters", Assert.Single(problems).Message);
        }

        [Fact]
        public void Work_orders_group_by_namespace_dedupe_and_split_at_the_limit()
        {
            var rows = Rows(
                (null, "email", "a@example.com", null),
                (null, "ECID", "e1", null),
                (null, "email", "b@example.com", null),
                (null, "email", "a@example.com", null),
                (null, "email", "c@example.com", null),
                (null, "ECID", "e2", null));
            var problems = new List<RecordDeleteProblem>();

            var orders = RecordDeletePlanner.PlanWorkOrders(rows, problems, maxPerOrder: 3);

            Assert.Empty(problems);
            Assert.Equal(new[] { 3, 2 }, orders.Select(o => o.IdentityCount));
            Assert.Equal(new[] { "email" }, orders[0].Namespaces.Select(n => n.Key));
            Assert.Equal(new[] { "a@example.com", "b@example.com", "c@example.com" }, orders[0].Namespaces[0].Value);
            Assert.Equal(new[] { "ECID" }, orders[1].Namespaces.Select(n => n.Key));
        }

        [Fact]
        public void A_work_order_row_that_is_invalid_is_reported_by_its_row_and_the_rest_still_go()
        {
            var problems = new List<RecordDeleteProblem>();
            var orders = RecordDeletePlanner.PlanWorkOrders(Rows(("k1", "email", "", null), (null, "email", "ok@example.com", null)), problems);

            Assert.Equal(1, orders.Single().IdentityCount);
            var problem = Assert.Single(problems);
            Assert.Equal("k1", problem.Target);
            Assert.StartsWith("Input row 1 (customer 'k1') was not submitted", problem.Message);
        }

        [Fact]
        public void A_record_delete_plan_has_requests_of_at_most_1000_customers_and_names_them()
        {
            var rows = Rows(Enumerable.Range(1, 2500).Select(n => ((string?)null, (string?)"email", (string?)$"u{n}@example.com", (string?)null)).ToArray());
            var plan = new RecordDeletePlan(RecordDeletePlanner.PlanUsers(rows, new List<RecordDeleteProblem>()), "ORG@AdobeOrg");

            Assert.Equal(new[] { 1000, 1000, 500 }, plan.Requests.Select(r => r.Count));
            Assert.Equal(2500, plan.IdentityCount);
            Assert.StartsWith("2,500 customers with 2,500 identities in 3 requests to /data/core/privacy/jobs", plan.Target);
            Assert.Equal("request 3 of 3 with 500 customers (email:u2001@example.com, email:u2002@example.com, email:u2003@example.com, email:u2004@example.com, email:u2005@example.com and 495 more)", plan.Describe(2));
        }

        [Fact]
        public void Each_work_order_of_a_plan_gets_its_own_display_name()
        {
            var orders = RecordDeletePlanner.PlanWorkOrders(Rows((null, "email", "a@example.com", null), (null, "email", "b@example.com", null)), new List<RecordDeleteProblem>(), maxPerOrder: 1);
            var plan = new WorkOrderPlan("ALL", "Ticket 4711", null, orders, "prod", "ORG@AdobeOrg");

            Assert.Matches(@"^\[pj-[0-9a-f]{16}\]$", plan.Marker);
            Assert.Equal(new[] { $"Ticket 4711 (1 of 2) {plan.Marker}", $"Ticket 4711 (2 of 2) {plan.Marker}" }, new[] { plan.NameOf(0), plan.NameOf(1) });
            Assert.Equal($"work order 2 of 2 ('Ticket 4711 (2 of 2) {plan.Marker}') with 1 identities (1 email)", plan.Describe(1));
            Assert.NotEqual(plan.Marker, new WorkOrderPlan("ALL", "Ticket 4711", null, orders, "prod", "ORG@AdobeOrg").Marker);
        }
    }
}
