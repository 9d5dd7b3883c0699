using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using ProfileJobs.Tests.Infrastructure;
using Xunit;

namespace ProfileJobs.Tests
{
    /// <summary>Retries, reconciliation of ambiguous creates, timeouts and cancellation, against injected faults.</summary>
    public sealed class ResilienceTests : IClassFixture<UnifiedEmulator>, IDisposable
    {
        private readonly Emulator _server;
        private readonly PsSession _session = new PsSession();
        private readonly Xunit.Abstractions.ITestOutputHelper _output;

        public ResilienceTests(UnifiedEmulator emulator, Xunit.Abstractions.ITestOutputHelper output)
        {
            _output = output;
            _server = emulator.Server;
            _server.ClearFaults();
            Assert.Null(_session.Run(_server.ConnectScript("-RetryBaseDelayMilliseconds 20 -MaxRetries 4")).Terminating);
        }

        public void Dispose()
        {
            _server.ClearFaults();
            _session.Dispose();
        }

        private static string NewDatasetId() => Guid.NewGuid().ToString("N")[..24];

        private static string Rule(string method, string path, string fault, int status = 0, string? retryAfter = null, long? retryAfterMs = null,
            int delayMs = 0, double probability = 1, long? count = null) =>
            JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["method"] = method, ["path"] = path, ["fault"] = fault, ["status"] = status == 0 ? null : status, ["retryAfter"] = retryAfter,
                ["retryAfterMs"] = retryAfterMs, ["delayMs"] = delayMs == 0 ? null : delayMs, ["probability"] = probability, ["count"] = count,
            }.Where(p => p.Value != null).ToDictionary(p => p.Key, p => p.Value));

        private void Faults(params string[] rules) => _server.SetFaults("[" + string.Join(",", rules) + "]");

        [Fact]
        public void A_429_with_Retry_After_in_seconds_is_retried_after_that_delay()
        {
            Faults(Rule("GET", "/data/core/ups/system/jobs", "status", 429, retryAfter: "1", count: 1));
            var mark = _server.LogPosition();
            var watch = Stopwatch.StartNew();
            var result = _session.Run("Get-ProfileSystemJob -First 1 -Verbose");

            Assert.Empty(result.Errors);
            Assert.Single(result.Output);
            Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(950), watch.Elapsed.ToString());
            Assert.Equal(new[] { 429, 200 }, _server.ApiRequestsSince(mark).Select(r => r.Status));
            Assert.Contains(result.Verbose, v => v.StartsWith("Retrying GET /data/core/ups/system/jobs", StringComparison.Ordinal) && v.Contains("in 1000 ms"));
            Assert.Contains(result.Verbose, v => v.Contains("-> 200") && v.Contains("attempt 2"));
        }

        [Fact]
        public void Retry_After_as_an_HTTP_date_and_the_retryAfterMs_body_are_honoured()
        {
            // An HTTP date has whole seconds, so "now + 3 s" means a wait of 2 to 3 seconds.
            var date = DateTimeOffset.UtcNow.AddSeconds(3).ToString("R");
            Faults(Rule("GET", "/data/core/ups/system/jobs", "status", 429, retryAfter: date, count: 1));
            var byDate = _session.Run("Get-ProfileSystemJob -First 1 -Verbose");
            var dateDelay = byDate.Verbose.Single(v => v.StartsWith("Retrying", StringComparison.Ordinal));

            Faults(Rule("GET", "/data/core/ups/system/jobs", "status", 429, retryAfterMs: 300, count: 1));
            var byBody = _session.Run("Get-ProfileSystemJob -First 1 -Verbose");

            Assert.Single(byDate.Output);
            Assert.Matches(@"in (1[5-9]\d\d|2\d\d\d|3000) ms", dateDelay);
            Assert.Single(byBody.Output);
            Assert.Contains(byBody.Verbose, v => v.StartsWith("Retrying", StringComparison.Ordinal) && v.Contains("in 300 ms"));
        }

        [Fact]
        public void Retries_are_bounded_and_the_error_says_how_many_attempts_were_made()
        {
            Faults(Rule("GET", "/data/core/ups/system/jobs", "status", 503));
            var mark = _server.LogPosition();
            var result = _session.Run("Get-ProfileSystemJob -First 1");

            var error = Assert.Single(result.Errors);
            Assert.Equal("ServerError,ProfileJobs.Commands.GetProfileSystemJobCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ResourceUnavailable, error.CategoryInfo.Category);
            Assert.Contains("after 5 attempts", error.Exception.Message);
            Assert.Equal(5, _server.ApiRequestsSince(mark).Count);
        }

        [Fact]
        public void A_POST_that_got_a_503_is_not_repeated_and_the_job_list_shows_it_was_not_created()
        {
            var dataset = NewDatasetId();
            Faults(Rule("POST", "/data/core/ups/system/jobs", "status", 503, count: 1));
            var mark = _server.LogPosition();
            var result = _session.Run($"New-ProfileDeleteJob -DatasetId {dataset} -Force");

            Assert.Empty(result.Output);
            var error = Assert.Single(result.Errors);
            Assert.Equal("SubmissionFailed,ProfileJobs.Commands.NewProfileDeleteJobCommand", error.FullyQualifiedErrorId);
            Assert.Contains("no job was created", error.Exception.Message);
            Assert.Single(_server.ApiRequestsSince(mark), r => r.Method == "POST");
            Assert.DoesNotContain(_server.Jobs().EnumerateArray(), j => j.GetProperty("datasetId").GetString() == dataset);
        }

        [Theory]
        [InlineData("drop-after")]
        [InlineData("malformed")]
        public void A_POST_whose_answer_was_lost_is_found_in_the_job_list_not_sent_again(string fault)
        {
            var dataset = NewDatasetId();
            Faults(Rule("POST", "/data/core/ups/system/jobs", fault, count: 1));
            var mark = _server.LogPosition();
            var result = _session.Run($"New-ProfileDeleteJob -DatasetId {dataset} -Force");

            Assert.Empty(result.Errors);
            var job = Assert.Single(result.Output);
            Assert.Equal(dataset, job.Properties["DatasetId"].Value);
            Assert.Contains(result.Warnings, w => w.Contains("was not sent again") && w.Contains((string)job.Properties["Id"].Value));
            Assert.Single(_server.ApiRequestsSince(mark), r => r.Method == "POST");
            Assert.Single(_server.Jobs().EnumerateArray(), j => j.GetProperty("datasetId").GetString() == dataset);
        }

        [Fact]
        public void A_429_on_a_POST_is_retried_because_the_platform_did_not_process_it()
        {
            var dataset = NewDatasetId();
            Faults(Rule("POST", "/data/core/ups/system/jobs", "status", 429, retryAfterMs: 50, count: 2));
            var mark = _server.LogPosition();
            var result = _session.Run($"New-ProfileDeleteJob -DatasetId {dataset} -Force");

            Assert.Empty(result.Errors);
            Assert.Single(result.Output);
            Assert.Equal(new[] { 429, 429, 200 }, _server.ApiRequestsSince(mark).Where(r => r.Method == "POST").Select(r => r.Status));
        }

        [Fact]
        public void A_slow_answer_times_out_per_attempt_with_a_clear_error()
        {
            using var session = new PsSession();
            session.Run(_server.ConnectScript("-RequestTimeoutSeconds 1 -MaxRetries 0"));
            Faults(Rule("GET", "/data/core/ups/system/jobs", "slow", delayMs: 5000));
            var watch = Stopwatch.StartNew();
            var result = session.Run("Get-ProfileSystemJob -First 1");

            var error = Assert.Single(result.Errors);
            Assert.Equal("Timeout,ProfileJobs.Commands.GetProfileSystemJobCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.OperationTimeout, error.CategoryInfo.Category);
            Assert.Contains("no answer within 1 s", error.Exception.Message);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), watch.Elapsed.ToString());
        }

        [Fact]
        public void Ctrl_C_stops_a_command_waiting_out_a_backoff_within_a_second()
        {
            Faults(Rule("GET", "/data/core/ups/system/jobs", "status", 429, retryAfter: "30"));
            var (result, stopTook) = _session.RunAndStop("Get-ProfileSystemJob -First 1", TimeSpan.FromMilliseconds(700));

            Assert.IsType<PipelineStoppedException>(result.Terminating);
            Assert.True(stopTook < TimeSpan.FromSeconds(1), $"Stopping took {stopTook.TotalMilliseconds} ms");
        }

        [Fact]
        public void Concurrent_requests_that_meet_an_expired_token_share_one_renewal()
        {
            var context = _session.Run("Get-ExperiencePlatformContext").Output.Single();
            _session.Run("Get-ProfileSystemJob -First 1");
            _server.ExpireTokens();
            var mark = _server.LogPosition();
            var result = _session.Run(
                $"1..6 | ForEach-Object -ThrottleLimit 6 -Parallel {{ Import-Module '{Paths.ModuleManifest}'; Get-ProfileSystemJob -First 1 -Context $using:ctx }}",
                new Dictionary<string, object?> { ["ctx"] = context });

            Assert.Empty(result.Errors);
            Assert.Equal(6, result.Output.Count);
            Assert.Single(_server.RequestsSince(mark), r => r.IsToken);
        }

        [Fact]
        public void The_secret_and_tokens_never_appear_in_any_stream_even_with_Debug_and_failures()
        {
            Faults(Rule("GET", "/data/core/ups/system/jobs", "status", 429, retryAfterMs: 10, count: 1),
                   Rule("POST", "/data/core/hygiene/workorder", "status", 500, count: 1));
            _server.ExpireTokens();
            var result = _session.Run(
                _server.ConnectScript("-Debug -Verbose -PassThru") + "; " +
                "Get-ProfileSystemJob -First 2 -Debug -Verbose; Get-ProfileSystemJob -Id nosuchjob00 -Debug; " +
                "New-HygieneRecordDelete -Namespace email -Value canary@example.com -Force -Debug -Verbose; " +
                "New-HygieneRecordDelete -Namespace email -Value canary2@example.com -DatasetId ALL -Force -Debug -Verbose; " +
                "Get-HygieneQuota -Debug; \"$(Get-ExperiencePlatformContext)\"");

            Assert.NotEmpty(result.Debug);
            Assert.NotEmpty(result.Errors);
            var tokens = _server.RequestsSince(0).Select(r => r.Header("Authorization")).Where(h => h != null).Select(h => h!.Substring("Bearer ".Length)).Distinct().ToList();
            Assert.NotEmpty(tokens);
            var everything = string.Join("\n", result.AllText) + string.Join("\n", result.Errors.Select(e => e.ErrorDetails?.RecommendedAction + e.Exception?.InnerException));
            Assert.DoesNotContain(Emulator.ClientSecret, everything);
            Assert.All(tokens, token => Assert.DoesNotContain(token, everything));
        }

        [Fact]
        public void Soak_every_operation_succeeds_or_errs_and_nothing_is_duplicated_or_lost()
        {
            const int creates = 600;
            const int reads = 1400;
            var datasets = Enumerable.Range(0, creates).Select(_ => NewDatasetId()).ToList();
            var existing = _session.Run("Get-ProfileSystemJob").Output.Select(j => (string)j.Properties["Id"].Value).ToList();
            Faults(
                Rule("*", "/data", "status", 429, retryAfterMs: 5, probability: 0.10),
                Rule("*", "/data", "status", 503, probability: 0.05),
                Rule("POST", "/data", "drop-after", probability: 0.01));

            var watch = Stopwatch.StartNew();
            var random = new Random(20261123);
            var ids = Enumerable.Range(0, reads).Select(_ => existing[random.Next(existing.Count)]).ToList();
            var result = _session.Run(
                "$created = foreach ($d in $datasets) { New-ProfileDeleteJob -DatasetId $d -Force }; " +
                "$read = foreach ($id in $ids) { Get-ProfileSystemJob -Id $id }; " +
                "[pscustomobject]@{ Created = @($created); Read = @($read) }",
                new Dictionary<string, object?> { ["datasets"] = datasets.ToArray(), ["ids"] = ids.ToArray() });
            _server.ClearFaults();
            var faults = _server.RequestsSince(0).Count(r => r.Status is 429 or 503 or 0);
            _output.WriteLine($"soak: {watch.Elapsed.TotalSeconds:0.0} s, {faults} faulted responses, errors: " +
                string.Join(", ", result.Errors.GroupBy(e => e.FullyQualifiedErrorId).Select(g => $"{g.Key} x{g.Count()}")));

            Assert.Null(result.Terminating);
            var summary = result.Output.Single();
            var created = ((object[])summary.Properties["Created"].Value).Select(PSObject.AsPSObject).ToList();
            var read = ((object[])summary.Properties["Read"].Value).Length;
            var createErrors = result.Errors.Where(e => e.FullyQualifiedErrorId.EndsWith("NewProfileDeleteJobCommand", StringComparison.Ordinal)).ToList();
            var readErrors = result.Errors.Count(e => e.FullyQualifiedErrorId.EndsWith("GetProfileSystemJobCommand", StringComparison.Ordinal));

            // Every operation is accounted for: an object or an error, never neither, never both.
            Assert.Equal(creates, created.Count + createErrors.Count);
            Assert.Equal(reads, read + readErrors);
            var createdByDataset = created.ToDictionary(j => (string)j.Properties["DatasetId"].Value);
            var erroredDatasets = createErrors.Select(e => e.TargetObject as string).ToList();
            Assert.DoesNotContain(datasets, d => createdByDataset.ContainsKey(d) == erroredDatasets.Contains(d));

            // The emulator holds exactly one job per dataset reported created, none for one reported not created.
            var stored = _server.Jobs().EnumerateArray().GroupBy(j => j.GetProperty("datasetId").GetString()).ToDictionary(g => g.Key ?? "", g => g.Count());
            Assert.All(createdByDataset.Keys, d => Assert.Equal(1, stored.GetValueOrDefault(d)));
            Assert.All(createErrors.Where(e => e.FullyQualifiedErrorId.StartsWith("SubmissionFailed", StringComparison.Ordinal)),
                e => Assert.Equal(0, stored.GetValueOrDefault((string)e.TargetObject)));
            Assert.All(datasets, d => Assert.True(stored.GetValueOrDefault(d) <= 1, $"dataset {d} has {stored.GetValueOrDefault(d)} jobs"));
            // With these rates most operations go through; the errors are the ones retries could not absorb.
            Assert.True(created.Count > creates * 0.9, $"only {created.Count} of {creates} created");
        }
    }
}
