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

        private static List<RecordDeleteRequest> Requests(IEnumerable<RecordDeleteInput> rows, List<RecordDeleteProblem> problems, int maxUsers = RecordDeletePlanner.MaxUsersPerRequest)
        {
            var stream = new RecordDeleteStream(maxUsers);
            var requests = new List<RecordDeleteRequest>();
            foreach (var row in rows)
            {
                var sealedRequest = stream.Add(row, problems);
                if (sealedRequest != null) requests.Add(sealedRequest);
            }
            var last = stream.Finish(problems);
            if (last != null) requests.Add(last);
            return requests;
        }

        private static List<RecordDeleteUser> PlanUsers(IEnumerable<RecordDeleteInput> rows, List<RecordDeleteProblem> problems) =>
            Requests(rows, problems).SelectMany(r => r.Users).ToList();

        private static List<WorkOrderRequest> PlanWorkOrders(IEnumerable<RecordDeleteInput> rows, List<RecordDeleteProblem> problems, int maxPerOrder = RecordDeletePlanner.MaxIdentitiesPerWorkOrder)
        {
            var stream = new WorkOrderStream(maxPerOrder);
            var orders = new List<WorkOrderRequest>();
            foreach (var row in rows)
            {
                var order = stream.Add(row, problems);
                if (order != null) orders.Add(order);
            }
            var last = stream.Finish();
            if (last != null) orders.Add(last);
            return orders;
        }

        [Fact]
        public void Rows_with_the_same_key_are_one_customer_and_keyless_rows_are_customers_of_their_own()
        {
            var problems = new List<RecordDeleteProblem>();
            var users = PlanUsers(Rows(
                ("John", "email", "john@example.com", null),
                (null, "email", "anon@example.com", null),
                (" John ", "ECID", "9cbefef1", null),
                ("Jane", "Loyalty", "305839", "custom")), problems);

            Assert.Empty(problems);
            Assert.Equal(new[] { "John", "email:anon@example.com", "Jane" }, users.Select(u => u.Key));
            Assert.Equal(new[] { "email", "ECID" }, users[0].Identities.Select(i => i.Namespace));
            Assert.Equal(new long[] { 1, 3 }, users[0].Rows);
        }

        [Fact]
        public void Types_default_to_standard_for_standard_namespaces_and_custom_otherwise_and_are_spelled_canonically()
        {
            var users = PlanUsers(Rows(
                ("a", "email", "x@example.com", null),
                ("a", "Loyalty", "1", null),
                ("a", "Other", "2", "INTEGRATIONCODE")), new List<RecordDeleteProblem>());

            Assert.Equal(new[] { "standard", "custom", "integrationCode" }, users[0].Identities.Select(i => i.Type));
        }

        [Fact]
        public void The_same_identity_twice_in_a_customer_is_sent_once()
        {
            var users = PlanUsers(Rows(("a", "email", "x@example.com", null), ("a", " email ", "x@example.com", null)), new List<RecordDeleteProblem>());

            Assert.Single(users[0].Identities);
        }

        [Fact]
        public void A_customer_with_more_than_nine_identities_is_refused_whole_and_the_others_still_go()
        {
            var rows = Enumerable.Range(1, 10).Select(n => ((string?)"big", (string?)"email", (string?)$"n{n}@example.com", (string?)null)).ToList();
            rows.Add(("small", "email", "small@example.com", null));
            var problems = new List<RecordDeleteProblem>();

            var users = PlanUsers(Rows(rows.ToArray()), problems);

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
        [InlineData("email", "a\u0007b", null, "the control character U+0007 in its value")]
        [InlineData("em\nail", "x@example.com", null, "the control character U+000A in its namespace")]
        [InlineData("email", "a\u200Bb@example.com", null, "the invisible formatting character U+200B in its value")]
        [InlineData("email", "\u202Emoc.elpmaxe@a", null, "the invisible formatting character U+202E in its value")]
        [InlineData("email", "x@example.com", "weird", "unknown identity type 'weird'")]
        public void An_invalid_identity_refuses_its_whole_customer_with_the_reason(string? ns, string? value, string? type, string reason)
        {
            var problems = new List<RecordDeleteProblem>();
            var users = PlanUsers(Rows(("c", "email", "ok@example.com", null), ("c", ns, value, type)), problems);

            Assert.Empty(users);
            var problem = Assert.Single(problems);
            Assert.Equal("InvalidIdentity", problem.ErrorId);
            Assert.Contains(reason, problem.Message);
        }

        [Fact]
        public void A_value_over_1024_characters_is_refused()
        {
            var problems = new List<RecordDeleteProblem>();
            PlanUsers(Rows(("c", "email", new string('a', 1025), null)), problems);

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

            var orders = PlanWorkOrders(rows, problems, maxPerOrder: 3);

            // Streamed: each order groups its own identities by namespace, in the order they came.
            Assert.Empty(problems);
            Assert.Equal(new[] { 3, 2 }, orders.Select(o => o.Batch.IdentityCount));
            Assert.Equal(new[] { "email", "ECID" }, orders[0].Batch.Namespaces.Select(n => n.Key));
            Assert.Equal(new[] { "a@example.com", "b@example.com" }, orders[0].Batch.Namespaces[0].Value);
            Assert.Equal(new[] { "email", "ECID" }, orders[1].Batch.Namespaces.Select(n => n.Key));
            Assert.Equal(new[] { "c@example.com" }, orders[1].Batch.Namespaces[0].Value);
        }

        [Fact]
        public void A_work_order_row_that_is_invalid_is_reported_by_its_row_and_the_rest_still_go()
        {
            var problems = new List<RecordDeleteProblem>();
            var orders = PlanWorkOrders(Rows(("k1", "email", "", null), (null, "email", "ok@example.com", null)), problems);

            Assert.Equal(1, orders.Single().Batch.IdentityCount);
            var problem = Assert.Single(problems);
            Assert.Equal("k1", problem.Target);
            Assert.StartsWith("Input row 1 (customer 'k1') was not submitted", problem.Message);
        }

        [Fact]
        public void Requests_hold_at_most_1000_customers_and_name_them()
        {
            var rows = Rows(Enumerable.Range(1, 2500).Select(n => ((string?)null, (string?)"email", (string?)$"u{n}@example.com", (string?)null)).ToArray());
            var requests = Requests(rows, new List<RecordDeleteProblem>());

            Assert.Equal(new[] { 1000, 1000, 500 }, requests.Select(r => r.Users.Count));
            Assert.Equal("request 3 with 500 customers (email:u2001@example.com, email:u2002@example.com, email:u2003@example.com, email:u2004@example.com, email:u2005@example.com and 495 more)", requests[2].Describe());
        }

        [Fact]
        public void Each_work_order_of_a_submission_gets_its_own_display_name_ending_in_the_submissions_marker()
        {
            var submission = new WorkOrderSubmission("ALL", "Ticket 4711", null);
            var two = PlanWorkOrders(Rows((null, "email", "a@example.com", null), (null, "email", "b@example.com", null)), new List<RecordDeleteProblem>(), maxPerOrder: 1);
            var one = PlanWorkOrders(Rows((null, "email", "a@example.com", null)), new List<RecordDeleteProblem>(), maxPerOrder: 1);

            Assert.Matches(@"^\[pj-[0-9a-f]{16}\]$", submission.Marker);
            Assert.Equal(new[] { $"Ticket 4711 (part 1) {submission.Marker}", $"Ticket 4711 (part 2) {submission.Marker}" }, two.Select(submission.NameOf));
            Assert.Equal($"work order 2 ('Ticket 4711 (part 2) {submission.Marker}') with 1 identities (1 email)", submission.Describe(two[1]));
            Assert.Equal($"Ticket 4711 {submission.Marker}", submission.NameOf(one.Single()));
            Assert.NotEqual(submission.Marker, new WorkOrderSubmission("ALL", "Ticket 4711", null).Marker);
        }

        [Fact]
        public void A_key_that_comes_back_after_its_request_was_sealed_is_reported_once_and_never_sent_again()
        {
            var rows = new List<(string?, string?, string?, string?)> { ("alice", "email", "a@example.com", null), ("bob", "email", "b@example.com", null), ("carol", "email", "c@example.com", null) };
            rows.Add(("alice", "email", "a2@example.com", null));
            rows.Add(("alice", "email", "a3@example.com", null));
            var problems = new List<RecordDeleteProblem>();

            var requests = Requests(Rows(rows.ToArray()), problems, maxUsers: 2);

            Assert.Equal(new[] { "alice", "bob", "carol" }, requests.SelectMany(r => r.Users).Select(u => u.Key));
            var problem = Assert.Single(problems);
            Assert.Equal("CustomerAlreadySubmitted", problem.ErrorId);
            Assert.Equal("alice", problem.Target);
            Assert.Contains("input row 4 after its request was sent", problem.Message);
        }

        [Fact]
        public void A_key_that_comes_back_after_its_customer_was_refused_is_reported_again_and_not_sent()
        {
            var problems = new List<RecordDeleteProblem>();
            var requests = Requests(Rows(("bad", "email", "", null), ("b", "email", "b@example.com", null), ("c", "email", "c@example.com", null), ("bad", "email", "fixed@example.com", null)), problems, maxUsers: 2);

            Assert.Equal(new[] { "b", "c" }, requests.SelectMany(r => r.Users).Select(u => u.Key));
            Assert.Equal(new[] { "InvalidIdentity", "CustomerAlreadySubmitted" }, problems.Select(p => p.ErrorId));
            Assert.Contains("input row 4 after it was refused", problems[1].Message);
        }

        [Fact]
        public void The_same_keyless_identity_is_one_customer_before_and_after_its_request_was_sealed()
        {
            var rows = Rows((null, "email", "x@example.com", null), (null, "email", " x@example.com ", null), (null, "email", "y@example.com", null), (null, "email", "z@example.com", null), (null, "email", "x@example.com", null));
            var problems = new List<RecordDeleteProblem>();
            var stream = new RecordDeleteStream(2);
            var requests = rows.Select(r => stream.Add(r, problems)).Where(r => r != null).ToList();
            requests.Add(stream.Finish(problems));

            Assert.Empty(problems);
            Assert.Equal(new[] { "email:x@example.com", "email:y@example.com", "email:z@example.com" }, requests.SelectMany(r => r!.Users).Select(u => u.Key));
            Assert.Equal(2, stream.DuplicatesSkipped);
        }

        [Theory]
        [InlineData(257, "a key of 257 characters; at most 256")]
        [InlineData(0, "the control character U+000A in its key")]
        public void A_key_too_long_or_with_control_characters_refuses_its_row(int length, string reason)
        {
            var key = length > 0 ? new string('k', length) : "line\nbreak";
            var problems = new List<RecordDeleteProblem>();
            var users = PlanUsers(Rows((key, "email", "a@example.com", null), ("ok", "email", "ok@example.com", null)), problems);

            Assert.Equal(new[] { "ok" }, users.Select(u => u.Key));
            var problem = Assert.Single(problems);
            Assert.Equal("InvalidKey", problem.ErrorId);
            Assert.Equal("row 1", problem.Target);
            Assert.Contains(reason, problem.Message);
        }
    }
}
