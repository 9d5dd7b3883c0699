using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using ProfileJobs.Hygiene;
using ProfileJobs.Json;
using Xunit;

namespace ProfileJobs.Client.Tests
{
    /// <summary>
    /// The record-delete request body written with a Utf8JsonWriter and its answer read with a Utf8JsonReader: the same
    /// bytes the source-generated serializer writes for the body objects, and the same jobs it read, tolerance included.
    /// </summary>
    public sealed class RecordDeleteWireTests
    {
        private const string Org = "TESTORG0000000000000000@AdobeOrg";

        private static List<RecordDeleteUser> Users(params (string? Key, string Namespace, string Value, string? Type)[] rows)
        {
            var stream = new RecordDeleteStream();
            var problems = new List<RecordDeleteProblem>();
            var row = 0;
            foreach (var r in rows) Assert.Null(stream.Add(new RecordDeleteInput { Key = r.Key, Namespace = r.Namespace, Value = r.Value, Type = r.Type, Row = ++row }, problems));
            var request = stream.Finish(problems);
            Assert.Empty(problems);
            return request!.Users.ToList();
        }

        private static string Written(IReadOnlyList<RecordDeleteUser> users)
        {
            using var body = RecordDeleteWire.WriteRequest(Org, users);
            return body.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        }

        /// <summary>What the serializer wrote from the body objects before the body was written directly.</summary>
        private static string Serialized(IReadOnlyList<RecordDeleteUser> users) =>
            Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(new PrivacyJobRequestBody
            {
                CompanyContexts = { new CompanyContextBody { Value = Org } },
                Users = users.Select(u => new PrivacyUserBody
                {
                    Key = u.Key,
                    Action = new List<string> { "delete" },
                    UserIds = u.Identities.Select(i => new PrivacyIdentityBody { Namespace = i.Namespace, Value = i.Value, Type = i.Type }).ToList(),
                }).ToList(),
            }, ClientJsonContext.Default.PrivacyJobRequestBody));

        [Fact]
        public void The_request_body_is_byte_for_byte_what_the_serializer_wrote_escaping_included()
        {
            var users = Users(
                ("John Doe", "email", "johnd@example.com", null),
                ("John Doe", "ECID", "9cbefef1-dd44-4411-87db-2d387bf882bc", null),
                ("Zoë \"Q\" <script>&'+", "Loyalty ID", "30583967185734", "custom"),
                (null, "email", "ünïcødé+tag@exämple.com", null),
                (null, "phone", "\\+1 555 0100 😀", "standard"));

            Assert.Equal(Serialized(users), Written(users));
        }

        [Fact]
        public void A_body_larger_than_its_estimate_grows_its_buffer_and_stays_whole()
        {
            // Characters the writer escapes take six bytes each, far past the estimate of one per character.
            var users = Users(Enumerable.Range(0, 1000).Select(n => ((string?)null, "email", new string('<', 500) + n, (string?)null)).ToArray());

            var written = Written(users);

            Assert.Equal(Serialized(users), written);
            Assert.Equal(1000, JsonDocument.Parse(written).RootElement.GetProperty("users").GetArrayLength());
        }

        [Fact]
        public void An_answer_is_read_into_the_jobs_the_command_writes_reusing_the_strings_sent()
        {
            var sent = Users(("John", "email", "j@example.com", null), ("John", "ECID", "e1", null), (null, "email", "anon@example.com", null));
            var answer = "{\"requestId\":\"1631RX-334\",\"totalRecords\":2,\"jobs\":[" +
                         "{\"jobId\":\"job-1\",\"customer\":{\"user\":{\"key\":\"John\",\"action\":[\"delete\"],\"userIDs\":[" +
                         "{\"namespace\":\"email\",\"value\":\"j@example.com\",\"type\":\"standard\",\"namespaceId\":6}," +
                         "{\"namespace\":\"ECID\",\"value\":\"e1\",\"type\":\"standard\",\"namespaceId\":4}]}}}," +
                         "{\"jobId\":\"job-2\",\"customer\":{\"user\":{\"key\":\"email:anon@example.com\",\"action\":[\"delete\"],\"userIDs\":[" +
                         "{\"namespace\":\"email\",\"value\":\"anon@example.com\",\"type\":\"standard\",\"namespaceId\":6}]}}}]}";

            var jobs = RecordDeleteWire.ReadCreated(Encoding.UTF8.GetBytes(answer), sent, "x-request-id", out var requestId)!;

            Assert.Equal("1631RX-334", requestId);
            Assert.Equal(new[] { "job-1", "job-2" }, jobs.Select(j => j.JobId));
            Assert.Equal(new[] { "John", "email:anon@example.com" }, jobs.Select(j => j.UserKey));
            Assert.All(jobs, j => Assert.Equal("1631RX-334", j.RequestId));
            Assert.All(jobs, j => Assert.Equal("delete", j.Action));
            Assert.Equal(new[] { "email:j@example.com", "ECID:e1" }, jobs[0].Identities.Select(i => i.ToString()));
            Assert.Equal(new int?[] { 6, 4 }, jobs[0].Identities.Select(i => i.NamespaceId));
            Assert.Same(sent[0].Key, jobs[0].UserKey);
            Assert.Same(sent[0].Identities[1].Value, jobs[0].Identities[1].Value);
            Assert.Same(sent[1].Identities[0].Type, jobs[1].Identities[0].Type);
            Assert.Equal("", jobs[0].Status);
        }

        [Fact]
        public void An_answer_is_read_as_tolerantly_as_the_serializer_read_it()
        {
            var sent = Users((null, "email", "a@example.com", null), (null, "email", "b@example.com", null));
            // Other order than sent, unknown properties of every kind, nulls, a number in a string, the request id last.
            var answer = "{\"extra\":{\"a\":[1,{\"b\":null}]},\"jobs\":[" +
                         "{\"customer\":{\"user\":{\"userIDs\":[{\"namespaceId\":\"6\",\"value\":\"b@example.com\",\"namespace\":\"email\",\"more\":true}],\"key\":\"email:b@example.com\",\"action\":null}},\"jobId\":\"job-b\"}," +
                         "{\"jobId\":\"job-a\",\"customer\":{\"user\":{\"key\":\"email:a@example.com\",\"action\":[\"delete\",\"other\"],\"userIDs\":null}}}," +
                         "{\"jobId\":null,\"customer\":null}," +
                         "null]," +
                         "\"totalRecords\":\"2\",\"requestId\":\"last\"}";

            var jobs = RecordDeleteWire.ReadCreated(Encoding.UTF8.GetBytes(answer), sent, "x-request-id", out var requestId)!;

            Assert.Equal("last", requestId);
            Assert.Equal(4, jobs.Count);
            Assert.Equal(("job-b", "email:b@example.com", (string?)null), (jobs[0].JobId, jobs[0].UserKey, jobs[0].Action));
            Assert.Equal("", jobs[0].Identities[0].Type);
            Assert.Equal(6, jobs[0].Identities[0].NamespaceId);
            Assert.Equal(("job-a", "email:a@example.com", "delete"), (jobs[1].JobId, jobs[1].UserKey, jobs[1].Action));
            Assert.Empty(jobs[1].Identities);
            Assert.Equal(("", ""), (jobs[2].JobId, jobs[2].UserKey));
            Assert.Empty(jobs[3].Identities);
        }

        [Fact]
        public void An_answer_without_a_request_id_takes_the_one_of_the_exchange()
        {
            var jobs = RecordDeleteWire.ReadCreated(Encoding.UTF8.GetBytes("{\"jobs\":[{\"jobId\":\"j\"}]}"), Array.Empty<RecordDeleteUser>(), "x-request-id", out var requestId)!;

            Assert.Null(requestId);
            Assert.Equal("x-request-id", Assert.Single(jobs).RequestId);
            Assert.Empty(RecordDeleteWire.ReadCreated(Encoding.UTF8.GetBytes("{}"), Array.Empty<RecordDeleteUser>(), null, out _)!);
            Assert.Null(RecordDeleteWire.ReadCreated(Encoding.UTF8.GetBytes(" null "), Array.Empty<RecordDeleteUser>(), null, out _));
        }

        [Theory]
        [InlineData("")]
        [InlineData("[]")]
        [InlineData("{\"jobs\":{}}")]
        [InlineData("{\"jobs\":[{\"jobId\":5}]}")]
        [InlineData("{\"jobs\":[{\"customer\":{\"user\":{\"key\":[]}}}]}")]
        [InlineData("{\"jobs\":[{\"customer\":{\"user\":{\"userIDs\":[{\"namespaceId\":1.5}]}}}]}")]
        [InlineData("{\"jobs\":[]")]
        [InlineData("{\"jobs\":[]} {}")]
        [InlineData("{\"jobs\":[],}")]
        public void An_answer_that_is_not_this_JSON_is_refused_as_the_serializer_refused_it(string answer)
        {
            Assert.ThrowsAny<JsonException>(() => RecordDeleteWire.ReadCreated(Encoding.UTF8.GetBytes(answer), Array.Empty<RecordDeleteUser>(), null, out _));
            Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(answer, ClientJsonContext.Default.PrivacyJobCreatedBody));
        }

        [Theory]
        [InlineData("jobId")]
        [InlineData("requestId")]
        public void A_string_that_is_not_valid_UTF8_is_refused_as_JSON_as_the_serializer_refused_it(string field)
        {
            var prefix = field == "jobId" ? "{\"jobs\":[{\"jobId\":\"a" : "{\"requestId\":\"a";
            var suffix = field == "jobId" ? "\"}]}" : "\"}";
            var answer = Encoding.UTF8.GetBytes(prefix).Concat(new byte[] { 0xC3, 0x28 }).Concat(Encoding.UTF8.GetBytes(suffix)).ToArray();

            Assert.ThrowsAny<JsonException>(() => RecordDeleteWire.ReadCreated(answer, Array.Empty<RecordDeleteUser>(), null, out _));
            Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(answer, ClientJsonContext.Default.PrivacyJobCreatedBody));
        }
    }
}
