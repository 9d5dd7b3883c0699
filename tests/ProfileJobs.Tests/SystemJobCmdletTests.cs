using System;
using System.Linq;
using System.Management.Automation;
using ProfileJobs.Tests.Infrastructure;
using Xunit;

namespace ProfileJobs.Tests
{
    /// <summary>The system-jobs cmdlets, run through the engine against the emulator in each API generation.</summary>
    public abstract class SystemJobCmdletTests : IDisposable
    {
        protected SystemJobCmdletTests(Emulator server)
        {
            Server = server;
            Session = new PsSession();
            var connect = Session.Run(Server.ConnectScript());
            Assert.Null(connect.Terminating);
        }

        protected Emulator Server { get; }
        protected PsSession Session { get; }

        /// <summary>AWS instances serve one unpaged list of the newest 100 jobs.</summary>
        protected virtual bool ServesOnlyNewest100 => false;

        protected static string NewDatasetId() => Guid.NewGuid().ToString("N").Substring(0, 24);

        public void Dispose() => Session.Dispose();

        [Fact]
        public void Listing_follows_every_page_and_writes_typed_jobs()
        {
            var total = Server.LiveJobCount();
            var expected = ServesOnlyNewest100 ? Math.Min(100, total) : total;
            var expectedRequests = ServesOnlyNewest100 ? 1 : (total + 99) / 100;
            var mark = Server.LogPosition();
            var result = Session.Run("Get-ProfileSystemJob");

            Assert.Empty(result.Errors);
            Assert.Equal(expected, result.Output.Count);
            Assert.All(result.Output, job => Assert.Equal("ProfileJobs.ProfileSystemJob", job.TypeNames[0]));
            Assert.Equal(expected, result.Output.Select(j => (string)j.Properties["Id"].Value).Distinct().Count());
            Assert.All(result.Output, job =>
            {
                Assert.IsType<DateTimeOffset>(job.Properties["CreatedAt"].Value);
                Assert.Contains(job.Properties["State"].Value.ToString(), new[] { "Pending", "Running", "Succeeded", "Failed" });
                Assert.Equal(Emulator.OrgId, job.Properties["OrgId"].Value);
            });
            var lists = Server.ApiRequestsSince(mark).Where(r => r.Method == "GET").ToList();
            Assert.Equal(expectedRequests, lists.Count);
            Assert.All(lists, r => Assert.Equal(200, r.Status));
        }

        [Fact]
        public void First_stops_reading_pages_once_it_has_enough()
        {
            var mark = Server.LogPosition();
            var result = Session.Run("Get-ProfileSystemJob -First 5");

            Assert.Equal(5, result.Output.Count);
            Assert.Single(Server.ApiRequestsSince(mark));
        }

        [Fact]
        public void Skip_and_First_page_through_the_same_sequence()
        {
            var all = Session.Run("Get-ProfileSystemJob").Output.Select(j => (string)j.Properties["Id"].Value).ToList();
            var window = Session.Run("Get-ProfileSystemJob -Skip 95 -First 10").Output.Select(j => (string)j.Properties["Id"].Value).ToList();

            Assert.Equal(all.Skip(95).Take(10), window);
        }

        [Fact]
        public void IncludeTotalCount_writes_the_exact_count_after_the_first_jobs()
        {
            var total = Server.LiveJobCount();
            var result = Session.Run("Get-ProfileSystemJob -First 5 -IncludeTotalCount");

            Assert.Equal(6, result.Output.Count);
            var count = result.Output[5];
            Assert.Equal((ulong)(ServesOnlyNewest100 ? Math.Min(100, total) : total), count.BaseObject);
            Assert.Equal(1.0, count.Properties["Accuracy"].Value);
        }

        [Fact]
        public void Status_filters_by_api_status_or_by_state()
        {
            var succeeded = Session.Run("Get-ProfileSystemJob -Status Succeeded").Output;
            Assert.NotEmpty(succeeded);
            Assert.All(succeeded, j => Assert.Equal("Succeeded", j.Properties["State"].Value.ToString()));

            var raw = (string)succeeded[0].Properties["Status"].Value;
            var byStatus = Session.Run($"Get-ProfileSystemJob -Status {raw.ToLowerInvariant()}").Output;
            Assert.Equal(succeeded.Count, byStatus.Count);
        }

        [Fact]
        public void Jobs_are_read_by_id_from_parameters_and_by_property_name_from_the_pipeline()
        {
            var ids = Session.Run("Get-ProfileSystemJob -First 3").Output.Select(j => (string)j.Properties["Id"].Value).ToList();

            var byParameter = Session.Run($"Get-ProfileSystemJob -Id '{ids[0]}','{ids[1]}'");
            Assert.Equal(ids.Take(2), byParameter.Output.Select(j => (string)j.Properties["Id"].Value));

            var byPipeline = Session.Run("Get-ProfileSystemJob -First 3 | Get-ProfileSystemJob");
            Assert.Equal(ids, byPipeline.Output.Select(j => (string)j.Properties["Id"].Value));
        }

        [Fact]
        public void An_unknown_id_is_an_ObjectNotFound_error_and_the_other_ids_still_come()
        {
            var known = (string)Session.Run("Get-ProfileSystemJob -First 1").Output[0].Properties["Id"].Value;
            var result = Session.Run($"Get-ProfileSystemJob -Id 'doesnotexist0000', '{known}'");

            Assert.Single(result.Output);
            var error = Assert.Single(result.Errors);
            Assert.Equal("JobNotFound,ProfileJobs.Commands.GetProfileSystemJobCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Equal("doesnotexist0000", error.TargetObject);
            Assert.Contains("404", error.Exception.Message);
        }

        [Fact]
        public void WhatIf_describes_the_delete_and_sends_nothing()
        {
            var dataset = NewDatasetId();
            var mark = Server.LogPosition();
            var result = Session.Run($"New-ProfileDeleteJob -DatasetId {dataset} -WhatIf");

            Assert.Empty(result.Output);
            Assert.Contains($"What if: Performing the operation \"Delete all profile data of the dataset\" on target \"dataset {dataset}", result.HostText);
            Assert.DoesNotContain(Server.ApiRequestsSince(mark), r => r.Method == "POST");
        }

        [Fact]
        public void Confirm_answered_No_sends_nothing()
        {
            var dataset = NewDatasetId();
            var mark = Server.LogPosition();
            Session.AnswerNextPrompt(2);
            var result = Session.Run($"New-ProfileDeleteJob -DatasetId {dataset}");

            Assert.Empty(result.Output);
            Assert.Empty(result.Errors);
            var prompt = Assert.Single(Session.Host.Prompts);
            Assert.Contains(dataset, prompt.Message);
            Assert.DoesNotContain(Server.ApiRequestsSince(mark), r => r.Method == "POST");
        }

        [Fact]
        public void Confirm_answered_Yes_creates_the_job()
        {
            var dataset = NewDatasetId();
            Session.AnswerNextPrompt(0);
            var result = Session.Run($"New-ProfileDeleteJob -DatasetId {dataset}");

            var job = Assert.Single(result.Output);
            Assert.Equal(dataset, job.Properties["DatasetId"].Value);
        }

        [Fact]
        public void A_dataset_delete_sends_the_body_of_the_generation_and_returns_the_new_job()
        {
            var dataset = NewDatasetId();
            var mark = Server.LogPosition();
            var result = Session.Run($"New-ProfileDeleteJob -DatasetId {dataset} -Force");

            Assert.Empty(result.Errors);
            var job = Assert.Single(result.Output);
            Assert.Equal("TRUNCATE_DATASET", job.Properties["Type"].Value);
            Assert.Equal("Pending", job.Properties["State"].Value.ToString());
            Assert.Equal(dataset, job.Properties["DatasetId"].Value);
            var post = Assert.Single(Server.ApiRequestsSince(mark), r => r.Method == "POST");
            Assert.Equal(ExpectedDatasetDeleteBody(dataset), post.Body);
            Assert.Equal("application/json", post.Header("Content-Type")?.Split(';')[0]);
        }

        protected virtual string ExpectedDatasetDeleteBody(string dataset) => $"{{\"datasetId\":\"{dataset}\"}}";

        [Fact]
        public void A_batch_delete_sends_dataset_and_batch()
        {
            var dataset = NewDatasetId();
            var mark = Server.LogPosition();
            var result = Session.Run($"New-ProfileDeleteJob -DatasetId {dataset} -BatchId 01BATCH{dataset} -Force");

            Assert.Empty(result.Errors);
            Assert.Equal("DELETE_EE_BATCH", Assert.Single(result.Output).Properties["Type"].Value);
            var post = Assert.Single(Server.ApiRequestsSince(mark), r => r.Method == "POST");
            Assert.Equal($"{{\"datasetId\":\"{dataset}\",\"batchId\":\"01BATCH{dataset}\"}}", post.Body);
        }

        [Fact]
        public void A_batch_of_a_record_dataset_is_refused_with_a_specific_error()
        {
            var dataset = NewDatasetId();
            Server.RegisterDataset(dataset, "record");
            var result = Session.Run($"New-ProfileDeleteJob -DatasetId {dataset} -BatchId B{dataset} -Force");

            Assert.Empty(result.Output);
            var error = Assert.Single(result.Errors);
            Assert.Equal("BatchRequiresTimeSeriesDataset,ProfileJobs.Commands.NewProfileDeleteJobCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Contains("batches can only be deleted from time-series datasets", error.Exception.Message);
        }

        [Fact]
        public void Dataset_ids_bind_from_the_pipeline_by_property_name()
        {
            var first = NewDatasetId();
            var second = NewDatasetId();
            var result = Session.Run($"[pscustomobject]@{{ DatasetId = '{first}' }}, [pscustomobject]@{{ DatasetId = '{second}' }} | New-ProfileDeleteJob -Force");

            Assert.Empty(result.Errors);
            Assert.Equal(new[] { first, second }, result.Output.Select(j => (string)j.Properties["DatasetId"].Value));
        }

        [Fact]
        public void Wait_follows_the_new_job_to_success_with_progress()
        {
            var dataset = NewDatasetId();
            var result = Session.Run($"New-ProfileDeleteJob -DatasetId {dataset} -Force -Wait -PollingInterval 0.2 -Timeout 30");

            Assert.Empty(result.Errors);
            var job = Assert.Single(result.Output);
            Assert.Equal("Succeeded", job.Properties["State"].Value.ToString());
            Assert.Contains(result.Progress, p => p.Activity == "Waiting for 1 profile system job" && p.RecordType == ProgressRecordType.Processing);
            Assert.Contains(result.Progress, p => p.RecordType == ProgressRecordType.Completed);
        }

        [Fact]
        public void A_failed_job_is_written_and_reported_as_an_error()
        {
            var dataset = NewDatasetId();
            Server.RegisterDataset(dataset, "timeseries", fail: true);
            var result = Session.Run($"New-ProfileDeleteJob -DatasetId {dataset} -Force | Wait-ProfileSystemJob -PollingInterval 0.2 -Timeout 30");

            var job = Assert.Single(result.Output);
            Assert.Equal("Failed", job.Properties["State"].Value.ToString());
            var error = Assert.Single(result.Errors);
            Assert.Equal("JobFailed,ProfileJobs.Commands.WaitProfileSystemJobCommand", error.FullyQualifiedErrorId);
            Assert.Same(job.BaseObject, error.TargetObject);
        }

        [Fact]
        public void Wait_times_out_with_an_error_that_keeps_the_job()
        {
            // The oldest running job is a seeded one, whose status never changes, so the outcome cannot race the clock.
            var running = Session.Run("Get-ProfileSystemJob -Status Running").Output
                .OrderBy(j => (DateTimeOffset)j.Properties["CreatedAt"].Value).First();
            var result = Session.Run($"Wait-ProfileSystemJob -Id {running.Properties["Id"].Value} -PollingInterval 0.1 -Timeout 0");

            var job = Assert.Single(result.Output);
            Assert.Equal("Running", job.Properties["State"].Value.ToString());
            var error = Assert.Single(result.Errors);
            Assert.Equal("WaitTimeout,ProfileJobs.Commands.WaitProfileSystemJobCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.OperationTimeout, error.CategoryInfo.Category);
        }

        [Fact]
        public void A_second_delete_of_the_same_dataset_while_the_first_runs_is_a_ResourceExists_error()
        {
            var dataset = NewDatasetId();
            var result = Session.Run($"New-ProfileDeleteJob -DatasetId {dataset} -Force; New-ProfileDeleteJob -DatasetId {dataset} -Force");

            Assert.Single(result.Output);
            var error = Assert.Single(result.Errors);
            Assert.Equal("DeleteRequestExists,ProfileJobs.Commands.NewProfileDeleteJobCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ResourceExists, error.CategoryInfo.Category);
        }

        [Fact]
        public void ErrorAction_Stop_makes_a_failure_catchable_by_its_id()
        {
            var result = Session.Run("try { Get-ProfileSystemJob -Id nosuchjob0000 -ErrorAction Stop; 'not reached' } catch { $_.FullyQualifiedErrorId }");

            Assert.Equal("JobNotFound,ProfileJobs.Commands.GetProfileSystemJobCommand", Assert.Single(result.Output).BaseObject);
        }
    }

    public sealed class UnifiedSystemJobTests : SystemJobCmdletTests, IClassFixture<UnifiedEmulator>
    {
        public UnifiedSystemJobTests(UnifiedEmulator emulator) : base(emulator.Server) { }

        [Fact]
        public void Remove_is_not_supported_and_sends_no_delete()
        {
            var id = (string)Session.Run("Get-ProfileSystemJob -First 1").Output[0].Properties["Id"].Value;
            var mark = Server.LogPosition();
            var result = Session.Run($"Remove-ProfileSystemJob -Id {id} -Force");

            var error = Assert.Single(result.Errors);
            Assert.Equal("RemoveNotSupported,ProfileJobs.Commands.RemoveProfileSystemJobCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
            Assert.Contains("not supported on this instance", error.Exception.Message);
            Assert.DoesNotContain(Server.ApiRequestsSince(mark), r => r.Method == "DELETE");
        }

        [Fact]
        public void Page_size_sets_the_limit_of_each_request()
        {
            var total = Server.LiveJobCount();
            var mark = Server.LogPosition();
            var result = Session.Run("Get-ProfileSystemJob -PageSize 60");

            Assert.Equal(total, result.Output.Count);
            var queries = Server.ApiRequestsSince(mark).Select(r => r.Query).ToList();
            Assert.Equal(Enumerable.Range(0, (total + 59) / 60).Select(page => $"start={page}&limit=60"), queries);
        }
    }

    public sealed class AzureSystemJobTests : SystemJobCmdletTests, IClassFixture<AzureEmulator>
    {
        public AzureSystemJobTests(AzureEmulator emulator) : base(emulator.Server) { }
        protected override string ExpectedDatasetDeleteBody(string dataset) => $"{{\"dataSetId\":\"{dataset}\"}}";

        [Fact]
        public void Metrics_strings_become_records_processed_and_time_taken()
        {
            var done = Session.Run("Get-ProfileSystemJob -Status COMPLETED").Output;
            Assert.NotEmpty(done);
            Assert.All(done, j =>
            {
                Assert.IsType<long>(j.Properties["RecordsProcessed"].Value);
                Assert.IsType<TimeSpan>(j.Properties["TimeTaken"].Value);
            });
        }

        [Fact]
        public void Remove_deletes_piped_jobs_after_confirmation_and_passes_them_through()
        {
            var dataset = NewDatasetId();
            var created = Session.Run($"New-ProfileDeleteJob -DatasetId {dataset} -Force").Output.Single();
            var id = (string)created.Properties["Id"].Value;
            var mark = Server.LogPosition();

            Session.AnswerNextPrompt(0);
            var result = Session.Run($"Get-ProfileSystemJob -Id {id} | Remove-ProfileSystemJob -PassThru");

            Assert.Empty(result.Errors);
            Assert.Equal(id, Assert.Single(result.Output).Properties["Id"].Value);
            var delete = Assert.Single(Server.ApiRequestsSince(mark), r => r.Method == "DELETE");
            Assert.EndsWith("/data/core/ups/system/jobs/" + id, delete.Path);
            Assert.Equal(200, delete.Status);
            Assert.Equal("JobNotFound,ProfileJobs.Commands.GetProfileSystemJobCommand", Session.Run($"Get-ProfileSystemJob -Id {id}").Errors.Single().FullyQualifiedErrorId);
        }

        [Fact]
        public void Remove_WhatIf_sends_no_delete()
        {
            var id = (string)Session.Run("Get-ProfileSystemJob -First 1").Output[0].Properties["Id"].Value;
            var mark = Server.LogPosition();
            var result = Session.Run($"Remove-ProfileSystemJob -Id {id} -WhatIf");

            Assert.Contains($"What if: Performing the operation \"Remove profile system job\" on target \"job {id}", result.HostText);
            Assert.DoesNotContain(Server.ApiRequestsSince(mark), r => r.Method == "DELETE");
        }
    }

    public sealed class AwsSystemJobTests : SystemJobCmdletTests, IClassFixture<AwsEmulator>
    {
        public AwsSystemJobTests(AwsEmulator emulator) : base(emulator.Server) { }
        protected override bool ServesOnlyNewest100 => true;

        [Fact]
        public void Requests_carry_the_sandbox_id_instead_of_the_name()
        {
            var mark = Server.LogPosition();
            Session.Run("Get-ProfileSystemJob -First 1");

            var request = Assert.Single(Server.ApiRequestsSince(mark));
            Assert.Equal(Emulator.SandboxId, request.Header("x-sandbox-id"));
            Assert.Null(request.Header("x-sandbox-name"));
        }

        [Fact]
        public void Remove_is_not_supported_on_aws()
        {
            var id = (string)Session.Run("Get-ProfileSystemJob -First 1").Output[0].Properties["Id"].Value;
            var mark = Server.LogPosition();
            var result = Session.Run($"Remove-ProfileSystemJob -Id {id} -Force");

            Assert.Equal("RemoveNotSupported,ProfileJobs.Commands.RemoveProfileSystemJobCommand", Assert.Single(result.Errors).FullyQualifiedErrorId);
            Assert.DoesNotContain(Server.ApiRequestsSince(mark), r => r.Method == "DELETE");
        }
    }
}
