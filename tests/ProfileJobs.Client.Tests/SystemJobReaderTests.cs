using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using ProfileJobs.Json;
using ProfileJobs.SystemJobs;
using Xunit;

namespace ProfileJobs.Client.Tests
{
    /// <summary>
    /// <see cref="SystemJobReader"/> reads pages and jobs from their bytes; the serializer's bodies are the reference.
    /// Every answer here is read both ways and must give the same jobs (every property), generation, paging and errors;
    /// the well-formed shapes must be read by the reader itself, not handed to the serializer.
    /// </summary>
    public sealed class SystemJobReaderTests
    {
        private static readonly TestConnection Connection = new TestConnection(new FakeHandler((_, _) => Responses.Status(200)), "prod", "5b1c1b3a-0000-4000-8000-00000000e001");

        private const string Unified =
            "{\"requestId\":\"r1\",\"requestType\":\"TRUNCATE_DATASET\",\"imsOrgId\":\"ORG@AdobeOrg\",\"sandbox\":{\"sandboxName\":\"dev\",\"sandboxId\":\"s-1\"}," +
            "\"status\":\"SUCCESS\",\"properties\":{\"datasetId\":\"ds1\"},\"createdAt\":\"2026-01-02T03:04:05.123456Z\",\"updatedAt\":\"2026-01-02T03:05:00.5Z\"," +
            "\"metrics\":{\"recordsProcessed\":12,\"timeTakenInSec\":1.25}}";

        private const string UnifiedBatch =
            "{\"requestId\":\"r2\",\"requestType\":\"DELETE_EE_BATCH\",\"imsOrgId\":\"ORG@AdobeOrg\",\"sandbox\":{\"sandboxName\":\"dev\",\"sandboxId\":\"s-1\"}," +
            "\"status\":\"IN-PROGRESS\",\"properties\":{\"batchId\":\"b2\",\"datasetId\":\"ds1\"},\"createdAt\":\"2026-01-02T03:04:05+02:00\",\"updatedAt\":\"2026-01-02T03:04:05\"}";

        private const string Azure =
            "{\"id\":\"a1\",\"imsOrgId\":\"ORG@AdobeOrg\",\"dataSetId\":\"ds1\",\"jobType\":\"DELETE\",\"status\":\"PROCESSING\"," +
            "\"metrics\":\"{\\\"recordsProcessed\\\":\\\"1200\\\",\\\"timeTakenInSec\\\":3.5}\",\"createEpoch\":1700000000,\"updateEpoch\":1700000060000}";

        private const string AzureBatch = "{\"id\":\"a2\",\"dataSetId\":\"ds1\",\"batchId\":\"b1\",\"jobType\":\"DELETE\",\"status\":\"COMPLETED\"}";

        private static string UnifiedPage(string jobs, string paging = "\"pageSize\":2,\"totalCount\":5,\"next\":1") => $"{{\"_page\":{{{paging}}},\"children\":[{jobs}]}}";

        private static string AzurePage(string jobs, string paging = "\"count\":2,\"next\":\"abc\"") => $"{{\"_page\":{{{paging}}},\"children\":[{jobs}]}}";

        /// <summary>Well-formed pages of every generation, with missing, extra and repeated fields: read by the reader.</summary>
        public static IEnumerable<object[]> ReadByTheReader() => new[]
        {
            UnifiedPage(Unified + "," + UnifiedBatch),
            UnifiedPage(Unified, "\"pageSize\":2,\"start\":\"0\",\"totalCount\":5,\"next\":null"),
            AzurePage(Azure + "," + AzureBatch),
            AzurePage(Azure, "\"count\":1,\"next\":\"\""),
            AzurePage(Azure, "\"next\":true"),
            "[" + Unified.Replace("r1", "aws-1") + "," + UnifiedBatch + "]",
            "[]",
            "{}",
            "{\"_page\":null,\"children\":null}",
            "{\"children\":[" + Azure + "]}",
            // Missing fields: the connection's values, the mapper's defaults.
            UnifiedPage("{\"requestId\":\"r3\",\"status\":\"NEW\"},{},{\"id\":null,\"requestId\":null}"),
            // Extra fields of every kind, anywhere.
            UnifiedPage("{\"requestId\":\"r4\",\"x\":{\"a\":[1,{\"b\":null}]},\"y\":[true,false],\"z\":1.5e3,\"sandbox\":{\"sandboxName\":\"dev\",\"other\":{}}," +
                        "\"properties\":{\"datasetId\":\"ds9\",\"extra\":[1]},\"metrics\":{\"recordsProcessed\":1,\"other\":{\"recordsProcessed\":99}}}") .Replace("\"_page\"", "\"before\":{\"children\":[1]},\"_page\""),
            // Repeated fields: the last one wins, whole objects replaced.
            UnifiedPage("{\"requestId\":\"r5\",\"status\":\"NEW\",\"status\":\"ERROR\",\"sandbox\":{\"sandboxName\":\"a\",\"sandboxId\":\"b\"},\"sandbox\":{\"sandboxId\":\"c\"}," +
                        "\"metrics\":{\"recordsProcessed\":5},\"metrics\":null,\"properties\":{\"batchId\":\"b\"},\"properties\":null}"),
            "{\"children\":[" + Unified + "],\"children\":[" + AzureBatch + "],\"_page\":{\"totalCount\":1},\"_page\":{\"next\":\"x\"}}",
            // Nulls where values are optional; metrics that are not an object.
            UnifiedPage("{\"requestId\":\"r6\",\"sandbox\":null,\"properties\":null,\"metrics\":null,\"createdAt\":null,\"createEpoch\":null}"),
            UnifiedPage("{\"requestId\":\"r7\",\"metrics\":5},{\"requestId\":\"r8\",\"metrics\":\"\"},{\"requestId\":\"r9\",\"metrics\":\"[1]\"},{\"requestId\":\"r10\",\"metrics\":[1,2]}"),
            // Metrics numbers as strings, and not numbers at all.
            UnifiedPage("{\"requestId\":\"r11\",\"metrics\":{\"recordsProcessed\":\"7\",\"timeTakenInSec\":\"x\"}}"),
            // Timestamps the fast form does not take, read as the mapper reads text; times that are not times.
            UnifiedPage("{\"requestId\":\"r12\",\"createdAt\":\"2026-01-02 03:04:05Z\",\"updatedAt\":\"not a time\"},{\"requestId\":\"r13\",\"createdAt\":\"2026-02-30T00:00:00Z\",\"createEpoch\":1700000000}," +
                        "{\"requestId\":\"r14\",\"createdAt\":\"2026-01-02T03:04:05.12345678Z\",\"updatedAt\":\"\\u0032026-01-02T03:04:05Z\"},{\"requestId\":\"r15\",\"createdAt\":\"2026-01-02T03:04:05-0130\"}"),
            // Escaped and non-ASCII values; a value repeated across jobs (made once) next to one that differs.
            UnifiedPage("{\"requestId\":\"r\\u00e9\",\"status\":\"S\\u0055CCESS\",\"imsOrgId\":\"Ünïcode@AdobeOrg\"},{\"requestId\":\"r16\",\"status\":\"SUCCESS\",\"imsOrgId\":\"Ünïcode@AdobeOrg\"}"),
            // Epoch edge cases.
            AzurePage("{\"id\":\"e1\",\"createEpoch\":0,\"updateEpoch\":-5},{\"id\":\"e2\",\"createEpoch\":100000000001}"),
            "  \r\n[" + AzureBatch + "]  \n",
        }.Select(page => new object[] { page });

        /// <summary>Answers the reader leaves to the serializer: odd types, escaped names, null jobs, malformed JSON.</summary>
        public static IEnumerable<object[]> LeftToTheSerializer() => new[]
        {
            UnifiedPage("{\"requestId\":5}"),
            UnifiedPage("{\"requestId\":\"r\",\"status\":true}"),
            UnifiedPage("{\"requestId\":\"r\",\"createdAt\":12345}"),
            UnifiedPage("{\"requestId\":\"r\",\"sandbox\":\"prod\"}"),
            UnifiedPage("{\"requestId\":\"r\",\"properties\":[]}"),
            UnifiedPage("{\"requestId\":\"r\",\"properties\":{\"datasetId\":1}}"),
            AzurePage("{\"id\":\"a\",\"createEpoch\":\"1700000000\"}"),
            AzurePage("{\"id\":\"a\",\"createEpoch\":1.5}"),
            AzurePage("{\"id\":\"a\",\"metrics\":\"{not json\"}"),
            UnifiedPage(Unified, "\"pageSize\":\"2\",\"next\":1"),
            UnifiedPage(Unified, "\"pageSize\":2.5"),
            UnifiedPage(Unified, "\"next\":{\"cursor\":1}"),
            UnifiedPage(Unified, "\"next\":[1]"),
            "{\"_page\":[],\"children\":[]}",
            "{\"children\":{}}",
            "{\"children\":[null]}",
            "[" + Unified + ",null]",
            "[1]",
            "{\"\\u0063hildren\":[" + Unified + "]}",
            UnifiedPage("{\"request\\u0049d\":\"r\"}"),
            "null",
            "",
            "   ",
            "5",
            "\"text\"",
            "{\"children\":[" + Unified,
            "{\"children\":[]} trailing",
            "{\"children\":[]}{}",
            "[" + Unified + ",]",
            "{\"children\":[] /* comment */}",
            "\uFEFF{\"children\":[" + Unified + "]}",
        }.Select(page => new object[] { page });

        private static byte[] Bytes(string json) => Encoding.UTF8.GetBytes(json);

        private static (SystemJobPage? Page, Exception? Error, ApiGeneration Remembered) Read(Func<ApiGenerationResolver, SystemJobPage> read)
        {
            var generations = new ApiGenerationResolver(ApiGeneration.Auto, false);
            try
            {
                return (read(generations), null, generations.Current);
            }
            catch (Exception ex)
            {
                return (null, ex, generations.Current);
            }
        }

        private static void AssertSameOutcome(string json)
        {
            var body = Bytes(json);
            var fast = Read(g => SystemJobPage.Parse(body, g, "req-1", Connection.Context, new SystemJobReader()));
            var reference = Read(g => SystemJobPage.ParseWithSerializer(body, g, "req-1", Connection.Context));

            Assert.Equal(reference.Error?.GetType(), fast.Error?.GetType());
            Assert.Equal(reference.Error?.Message, fast.Error?.Message);
            Assert.Equal((reference.Error as PlatformApiException)?.Kind, (fast.Error as PlatformApiException)?.Kind);
            Assert.Equal(reference.Remembered, fast.Remembered);
            if (reference.Page == null) return;
            var (expected, actual) = (reference.Page, fast.Page!);
            Assert.Equal(expected.Generation, actual.Generation);
            Assert.Equal(expected.FirstItemId, actual.FirstItemId);
            Assert.Equal(expected.NextCursor, actual.NextCursor);
            foreach (var (listed, first) in new[] { (0L, 0), (1L, 1), (2L, 2), (5L, 2), (2L, 100) })
            {
                Assert.Equal(expected.HasNextPage(listed, first), actual.HasNextPage(listed, first));
            }
            Assert.Equal(expected.Jobs.Count, actual.Jobs.Count);
            for (var i = 0; i < expected.Jobs.Count; i++) AssertSameJob(expected.Jobs[i], actual.Jobs[i]);
        }

        internal static void AssertSameJob(ProfileSystemJob expected, ProfileSystemJob actual)
        {
            foreach (var property in typeof(ProfileSystemJob).GetProperties())
            {
                var (want, got) = (property.GetValue(expected), property.GetValue(actual));
                Assert.True(Equals(want, got), $"{property.Name}: expected '{want}', got '{got}'");
                if (want is DateTimeOffset time) Assert.Equal(time.Offset, ((DateTimeOffset)got!).Offset);
            }
        }

        [Theory]
        [MemberData(nameof(ReadByTheReader))]
        public void Well_formed_pages_are_read_from_their_bytes_as_the_serializer_reads_them(string json)
        {
            Assert.True(new SystemJobReader().TryReadPage(Bytes(json), Connection.Context, new List<ProfileSystemJob>(), out _, out _, out _), "the reader left it to the serializer");
            AssertSameOutcome(json);
        }

        [Theory]
        [MemberData(nameof(LeftToTheSerializer))]
        public void Odd_answers_are_left_to_the_serializer_and_end_as_they_always_did(string json)
        {
            Assert.False(new SystemJobReader().TryReadPage(Bytes(json), Connection.Context, new List<ProfileSystemJob>(), out _, out _, out _), "the reader read it itself");
            AssertSameOutcome(json);
        }

        [Fact]
        public void Each_generation_s_page_shape_is_told_apart()
        {
            Assert.Equal(ApiGeneration.Aws, Read(g => SystemJobPage.Parse(Bytes("[" + Unified + "]"), g, null, Connection.Context, new SystemJobReader())).Page!.Generation);
            Assert.Equal(ApiGeneration.Unified, Read(g => SystemJobPage.Parse(Bytes(UnifiedPage(Unified)), g, null, Connection.Context, new SystemJobReader())).Page!.Generation);
            Assert.Equal(ApiGeneration.Unified, Read(g => SystemJobPage.Parse(Bytes(UnifiedPage(Unified, "\"next\":3")), g, null, Connection.Context, new SystemJobReader())).Page!.Generation);
            Assert.Equal(ApiGeneration.Azure, Read(g => SystemJobPage.Parse(Bytes(AzurePage(Azure)), g, null, Connection.Context, new SystemJobReader())).Page!.Generation);
            Assert.Equal(ApiGeneration.Azure, Read(g => SystemJobPage.Parse(Bytes("{\"children\":[]}"), g, null, Connection.Context, new SystemJobReader())).Page!.Generation);
        }

        [Fact]
        public void A_page_s_jobs_are_mapped_in_full()
        {
            var page = SystemJobPage.Parse(Bytes(UnifiedPage(Unified + "," + UnifiedBatch)), new ApiGenerationResolver(ApiGeneration.Auto, false), null, Connection.Context, new SystemJobReader());

            var (job, batch) = (page.Jobs[0], page.Jobs[1]);
            Assert.Equal("r1", job.Id);
            Assert.Equal("TRUNCATE_DATASET", job.Type);
            Assert.Equal("SUCCESS", job.Status);
            Assert.Equal(JobState.Succeeded, job.State);
            Assert.Equal("Succeeded", job.StateText);
            Assert.Equal("ds1", job.DatasetId);
            Assert.Null(job.BatchId);
            Assert.Equal(12, job.RecordsProcessed);
            Assert.Equal(1.25, job.TimeTakenSeconds);
            Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, 123, TimeSpan.Zero).AddTicks(4560), job.CreatedAt);
            Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 5, 0, 500, TimeSpan.Zero), job.UpdatedAt);
            Assert.Equal("ORG@AdobeOrg", job.OrgId);
            Assert.Equal("dev", job.SandboxName);
            Assert.Equal("s-1", job.SandboxId);
            Assert.Equal(ApiGeneration.Unified, job.ApiGeneration);
            Assert.Equal("Unified", job.ApiGenerationText);
            Assert.Equal("DELETE_EE_BATCH", batch.Type);
            Assert.Equal("b2", batch.BatchId);
            Assert.Equal(new DateTimeOffset(2026, 1, 2, 1, 4, 5, TimeSpan.Zero), batch.CreatedAt);
            Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), batch.UpdatedAt);
            Assert.Null(batch.RecordsProcessed);
            Assert.Same(job.OrgId, batch.OrgId); // made once per listing
            Assert.Same(job.DatasetId, batch.DatasetId);
        }

        [Theory]
        [InlineData(Unified)]
        [InlineData(UnifiedBatch)]
        [InlineData(Azure)]
        [InlineData(AzureBatch)]
        [InlineData("{\"requestId\":\"r\",\"extra\":{\"id\":\"nested\"},\"status\":\"NEW\",\"status\":\"ERROR\"}")]
        [InlineData("{\"id\":\"a\",\"requestId\":null}")]
        [InlineData("{}")]
        public void A_single_job_is_read_from_its_bytes_as_the_serializer_reads_it(string json)
        {
            Assert.True(SystemJobReader.Plain.TryReadJob(Bytes(json), out var fields));
            var body = JsonSerializer.Deserialize(json, ClientJsonContext.Default.SystemJobBody)!;
            Assert.Equal(body.Id, fields.Id);
            Assert.Equal(body.RequestId, fields.RequestId);
            AssertSameJob(SystemJobMapper.ToJob(body, ApiGeneration.Unified, Connection.Context), SystemJobMapper.ToJob(in fields, ApiGeneration.Unified, Connection.Context));
        }

        [Theory]
        [InlineData("null")]
        [InlineData("[]")]
        [InlineData("{\"id\":5}")]
        [InlineData("{\"id\":\"a\"")]
        [InlineData("")]
        public void A_single_job_the_reader_cannot_read_is_left_to_the_serializer(string json) =>
            Assert.False(SystemJobReader.Plain.TryReadJob(Bytes(json), out _));

        [Theory]
        [InlineData("{\"id\":\"az-1\",\"status\":\"COMPLETED\"}", ApiGeneration.Azure)]
        [InlineData("{\"requestId\":\"u-1\",\"status\":\"SUCCESS\"}", ApiGeneration.Unified)]
        public async Task A_job_read_by_id_has_its_generation_from_its_shape_or_the_probe(string json, ApiGeneration generation)
        {
            var server = new FakeHandler((request, _) => request.RequestUri!.AbsolutePath.EndsWith("/jobs", StringComparison.Ordinal)
                ? Responses.Json(HttpStatusCode.OK, UnifiedPage(Unified))
                : Responses.Json(HttpStatusCode.OK, json));
            var connection = new TestConnection(server);

            var job = await connection.SystemJobs().GetAsync("x", CancellationToken.None);

            Assert.Equal(generation, job.ApiGeneration);
            Assert.Equal(generation, connection.Generations.Current);
        }

        [Theory]
        [InlineData("{\"status\":\"NEW\"}")]
        [InlineData("null")]
        public async Task A_job_without_an_id_is_an_invalid_answer_either_way(string json)
        {
            var connection = new TestConnection(new FakeHandler((_, _) => Responses.Json(HttpStatusCode.OK, json)));

            var failure = await Assert.ThrowsAsync<PlatformApiException>(() => connection.SystemJobs().GetAsync("x", CancellationToken.None));

            Assert.Equal(PlatformErrorKind.InvalidResponse, failure.Kind);
            Assert.Equal("The platform answered without a job id.", failure.Message);
        }

        [Fact]
        public void The_string_cache_gives_one_instance_per_value_and_keeps_the_newest()
        {
            var cache = new Utf8StringCache(2);
            string Get(string json)
            {
                var reader = new Utf8JsonReader(Bytes(json));
                reader.Read();
                return cache.Get(ref reader);
            }

            var first = Get("\"SUCCESS\"");
            Assert.Same(first, Get("\"SUCCESS\""));
            Assert.Equal("NEW", Get("\"NEW\""));
            Assert.Equal("ERROR", Get("\"ERROR\"")); // replaces the oldest
            Assert.Equal("SUCCESS", Get("\"SUCCESS\""));
            Assert.Equal("é", Get("\"\\u00e9\""));
            Assert.Equal("", Get("\"\""));
        }

        /// <summary>The fast form gives exactly what DateTimeOffset.TryParse gives, or declines.</summary>
        [Theory]
        [InlineData("2026-01-02T03:04:05Z", true)]
        [InlineData("2026-01-02T03:04:05", true)]
        [InlineData("2026-01-02T03:04:05.1234567Z", true)]
        [InlineData("2026-01-02T03:04:05.1+14:00", true)]
        [InlineData("2026-01-02T03:04:05.999-12:30", true)]
        [InlineData("2024-02-29T23:59:59Z", true)]
        [InlineData("0002-01-01T00:00:00+01:00", true)]
        [InlineData("9998-12-31T23:59:59-14:00", true)]
        [InlineData("2023-02-29T00:00:00Z", false)]
        [InlineData("2026-13-01T00:00:00Z", false)]
        [InlineData("2026-01-02T24:00:00Z", false)]
        [InlineData("2026-01-02T23:60:00Z", false)]
        [InlineData("2026-01-02T23:59:60Z", false)]
        [InlineData("2026-01-02T03:04:05.Z", false)]
        [InlineData("2026-01-02T03:04:05.12345678Z", false)]
        [InlineData("2026-01-02T03:04:05+15:00", false)]
        [InlineData("2026-01-02T03:04:05+0100", false)]
        [InlineData("2026-01-02T03:04:05z", false)]
        [InlineData("2026-01-02t03:04:05Z", false)]
        [InlineData("2026-01-02 03:04:05Z", false)]
        [InlineData("2026-01-02T03:04:05Z ", false)]
        [InlineData("2026-1-02T03:04:05Z", false)]
        [InlineData("0001-01-01T00:00:00Z", false)]
        [InlineData("", false)]
        public void Timestamps_in_the_usual_form_are_read_from_bytes_as_text_is_parsed(string text, bool fast)
        {
            Assert.Equal(fast, IsoTimestamp.TryParseUtf8(Bytes(text), out var value));
            if (!fast) return;
            var expected = IsoTimestamp.Parse(text);
            Assert.NotNull(expected);
            Assert.Equal(expected!.Value.UtcTicks, value.UtcTicks);
            Assert.Equal(expected.Value.Offset, value.Offset);
        }

        [Fact]
        public void Timestamps_drawn_at_random_read_the_same_both_ways()
        {
            var random = new Random(11);
            for (var i = 0; i < 20000; i++)
            {
                var time = new DateTime(2000, 1, 1).AddTicks((long)(random.NextDouble() * TimeSpan.FromDays(365 * 60).Ticks));
                var digits = random.Next(0, 8);
                var text = time.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture) +
                           (digits == 0 ? "" : "." + time.ToString("fffffff", CultureInfo.InvariantCulture).Substring(0, digits)) +
                           (random.Next(3) switch { 0 => "Z", 1 => "", _ => (random.Next(2) == 0 ? "+" : "-") + random.Next(0, 14).ToString("00") + ":" + random.Next(0, 60).ToString("00") });
                Assert.True(IsoTimestamp.TryParseUtf8(Bytes(text), out var value), text);
                var expected = IsoTimestamp.Parse(text)!.Value;
                Assert.True(expected.UtcTicks == value.UtcTicks && expected.Offset == value.Offset, $"{text}: {expected:o} against {value:o}");
            }
        }
    }
}
