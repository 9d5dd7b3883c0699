using System;
using ProfileJobs.Http;
using Xunit;

namespace ProfileJobs.Client.Tests
{
    /// <summary>What the session may conclude from server timestamps about which jobs existed before a request.</summary>
    public sealed class ServerClockTests
    {
        [Fact]
        public void Knows_nothing_before_a_server_time_was_seen()
        {
            var clock = new ServerClock();

            Assert.Null(clock.Uncertainty);
            Assert.False(clock.SurelyBefore(DateTimeOffset.UnixEpoch, clock.Now));
        }

        [Fact]
        public void A_job_stamped_before_an_earlier_answer_arrived_surely_existed_before_a_later_request_whatever_the_server_clocks_offset()
        {
            var clock = new ServerClock();
            var offset = TimeSpan.FromMinutes(-7); // the server's clock is seven minutes behind
            var sent = clock.Now;
            var stamped = sent + offset + TimeSpan.FromMilliseconds(0.5) + TimeSpan.FromTicks(1234);
            clock.Observe(stamped, TimeSpan.FromMilliseconds(1), sent);

            Assert.True(clock.Uncertainty < TimeSpan.FromMilliseconds(500));
            Assert.True(clock.SurelyBefore(stamped, clock.Now + TimeSpan.FromMilliseconds(2)));
            // Stamped after the request left, by the server's own clock: not before.
            Assert.False(clock.SurelyBefore(clock.Now + offset + TimeSpan.FromSeconds(1), clock.Now));
        }

        [Fact]
        public void A_whole_second_stamp_counts_as_the_whole_second_it_may_have_been_cut_from()
        {
            var clock = new ServerClock();
            var sent = clock.Now;
            var date = new DateTimeOffset(sent.Year, sent.Month, sent.Day, sent.Hour, sent.Minute, sent.Second, TimeSpan.Zero);
            clock.Observe(date, ServerClock.SecondResolution, sent);

            Assert.True(clock.Uncertainty >= TimeSpan.FromSeconds(1));
            // A job stamped in the same second as the request left is not surely before it.
            Assert.False(clock.SurelyBefore(date, sent));
            Assert.True(clock.SurelyBefore(date - TimeSpan.FromSeconds(2), sent));
        }

        [Fact]
        public void A_cached_date_header_a_second_stale_keeps_what_a_created_jobs_timestamp_told()
        {
            var clock = new ServerClock();
            var offset = TimeSpan.FromMinutes(3);
            var sent = clock.Now;
            var created = sent + offset + TimeSpan.FromMilliseconds(1);
            clock.Observe(created, ServerClock.ResolutionOf(created), sent);

            // The next answer's Date header was cached up to 1.9 s before it was sent, then cut to the second.
            var later = clock.Now;
            var stale = later + offset - TimeSpan.FromMilliseconds(1900);
            stale = new DateTimeOffset(stale.Ticks - stale.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
            clock.Observe(stale, ServerClock.DateHeaderResolution, later);

            // The job's timestamp still bounds the clock: a job stamped when it was is surely before a later request.
            Assert.True(clock.Uncertainty < TimeSpan.FromSeconds(1));
            Assert.True(clock.SurelyBefore(created, clock.Now + TimeSpan.FromMilliseconds(5)));
        }

        [Fact]
        public void A_server_clock_stepped_back_replaces_the_old_bounds()
        {
            var clock = new ServerClock();
            var sent = clock.Now;
            clock.Observe(sent + TimeSpan.FromHours(1), TimeSpan.FromMilliseconds(1), sent);
            sent = clock.Now;
            clock.Observe(sent, TimeSpan.FromMilliseconds(1), sent);

            Assert.True(clock.Uncertainty < TimeSpan.FromSeconds(1));
            Assert.False(clock.SurelyBefore(sent + TimeSpan.FromMinutes(30), sent));
        }
    }
}
