using System;
using System.Linq;
using ProfileJobs.SystemJobs;
using Xunit;

namespace ProfileJobs.Client.Tests
{
    /// <summary>The bounded buffer behind Get-ProfileSystemJob -Newest: which jobs it keeps and when it lets the listing stop.</summary>
    public sealed class NewestJobsTests
    {
        private static readonly DateTimeOffset Start = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

        private static ProfileSystemJob Job(int minute, ApiGeneration generation, string status = "SUCCESS") => new ProfileSystemJob
        {
            Id = "job-" + minute,
            Status = status,
            CreatedAt = Start.AddMinutes(minute),
            ApiGeneration = generation,
        };

        [Fact]
        public void Keeps_the_newest_matching_jobs_newest_first_whatever_the_listing_order()
        {
            var newest = new NewestJobs(3, job => job.Status == "SUCCESS");

            Assert.True(newest.AcceptPage(new[] { 5, 1, 9, 3 }.Select(m => Job(m, ApiGeneration.Unified)).ToList()));
            Assert.True(newest.AcceptPage(new[] { Job(7, ApiGeneration.Unified), Job(12, ApiGeneration.Unified, "ERROR"), Job(8, ApiGeneration.Unified) }));

            Assert.Equal(new[] { "job-9", "job-8", "job-7" }, newest.Jobs.Select(j => j.Id));
            Assert.Equal(7, newest.Listed);
        }

        [Fact]
        public void Reads_on_in_an_oldest_first_listing_even_when_full()
        {
            var newest = new NewestJobs(2, _ => true);

            Assert.True(newest.AcceptPage(Enumerable.Range(0, 5).Select(m => Job(m, ApiGeneration.Unified)).ToList()));
        }

        [Theory]
        [InlineData(ApiGeneration.Azure)]
        [InlineData(ApiGeneration.Aws)]
        public void Stops_a_newest_first_listing_once_full(ApiGeneration generation)
        {
            var newest = new NewestJobs(2, _ => true);

            Assert.False(newest.AcceptPage(new[] { 9, 8, 7 }.Select(m => Job(m, generation)).ToList()));
            Assert.Equal(new[] { "job-9", "job-8" }, newest.Jobs.Select(j => j.Id));
        }

        [Fact]
        public void Reads_on_when_a_newest_first_generation_sent_a_job_out_of_order()
        {
            var newest = new NewestJobs(2, _ => true);

            Assert.True(newest.AcceptPage(new[] { 9, 8, 10 }.Select(m => Job(m, ApiGeneration.Azure)).ToList()));
            Assert.Equal(new[] { "job-10", "job-9" }, newest.Jobs.Select(j => j.Id));
        }
    }
}
