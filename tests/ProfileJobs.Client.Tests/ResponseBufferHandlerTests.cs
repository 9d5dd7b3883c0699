using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using ProfileJobs.Http;
using Xunit;

namespace ProfileJobs.Client.Tests
{
    /// <summary>The body is read inside the attempt (so its timeout covers it) and never beyond the size cap.</summary>
    public sealed class ResponseBufferHandlerTests
    {
        private const string Jobs = "https://platform.example.test/data/core/ups/system/jobs";

        /// <summary>A body that yields one byte, then waits on the reader's token for the next, forever.</summary>
        private sealed class StalledStream : Stream
        {
            private bool _sentOne;
            public long BytesRead { get; private set; }
            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

            public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            {
                if (!_sentOne)
                {
                    _sentOne = true;
                    buffer[offset] = (byte)'[';
                    BytesRead++;
                    return 1;
                }
                await Task.Delay(Timeout.Infinite, cancellationToken);
                return 0;
            }
        }

        /// <summary>A body of zeros without end, counting what was read of it.</summary>
        private sealed class EndlessStream : Stream
        {
            public long BytesRead { get; private set; }
            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

            public override int Read(byte[] buffer, int offset, int count)
            {
                Array.Clear(buffer, offset, count);
                BytesRead += count;
                return count;
            }
        }

        private static Task<HttpResponseMessage> Send(HttpContent body, TimeSpan timeout)
        {
            var settings = new RetrySettings { MaxRetries = 0, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromSeconds(1), RequestTimeout = timeout };
            var inner = new FakeHandler((_, _) => new HttpResponseMessage(HttpStatusCode.OK) { Content = body });
            return Chain.Of(inner, new RetryHandler(settings), new ResponseBufferHandler())
                .SendAsync(Chain.Request(HttpMethod.Get, Jobs, ApiOperation.ListSystemJobs), CancellationToken.None);
        }

        [Fact]
        public async Task A_body_that_stops_arriving_ends_the_attempt_at_its_timeout()
        {
            var stalled = new StalledStream();

            var failure = await Assert.ThrowsAsync<TimeoutException>(() => Send(new StreamContent(stalled), TimeSpan.FromMilliseconds(300)));

            Assert.Contains("within 0.3 s", failure.Message);
            Assert.Equal(1, stalled.BytesRead);
        }

        [Fact]
        public async Task A_body_past_the_cap_is_refused_without_reading_on()
        {
            var endless = new EndlessStream();

            await Assert.ThrowsAsync<ResponseTooLargeException>(() => Send(new StreamContent(endless), TimeSpan.FromSeconds(30)));

            Assert.InRange(endless.BytesRead, ResponseBufferHandler.MaxBodyBytes, ResponseBufferHandler.MaxBodyBytes + 1024 * 1024);
        }

        [Fact]
        public async Task A_body_declared_past_the_cap_is_refused_before_reading()
        {
            var endless = new EndlessStream();
            var content = new StreamContent(endless);
            content.Headers.ContentLength = 3_000_000_000;

            var failure = await Assert.ThrowsAsync<ResponseTooLargeException>(() => Send(content, TimeSpan.FromSeconds(30)));

            Assert.Contains("3,000,000,000 bytes", failure.Message);
            Assert.Equal(0, endless.BytesRead);
        }

        [Fact]
        public async Task A_body_within_the_cap_arrives_whole_with_its_content_headers()
        {
            var response = await Send(new StringContent("{\"children\":[]}", System.Text.Encoding.UTF8, "application/json"), TimeSpan.FromSeconds(30));

            Assert.Equal("{\"children\":[]}", await response.Content.ReadAsStringAsync());
            Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
            Assert.Equal(15, response.Content.Headers.ContentLength);
        }

        [Theory]
        [InlineData(15)]
        [InlineData(4)]
        [InlineData(40)]
        [InlineData(0)]
        public async Task A_body_is_read_whole_whatever_length_it_declares(long declared)
        {
            // Read straight into an array of the declared size; a body longer or shorter than declared is still read as it came.
            var content = new StreamContent(new NonSeekableStream(System.Text.Encoding.UTF8.GetBytes("{\"children\":[]}")));
            content.Headers.ContentLength = declared;

            var response = await Send(content, TimeSpan.FromSeconds(30));

            Assert.Equal("{\"children\":[]}", await response.Content.ReadAsStringAsync());
            Assert.Equal(15, Assert.IsType<BufferedContent>(response.Content).Body.Length);
        }

        /// <summary>A body that only reads forward, as a socket's does (so nothing computes its length from it).</summary>
        private sealed class NonSeekableStream : MemoryStream
        {
            public NonSeekableStream(byte[] bytes) : base(bytes) { }
            public override bool CanSeek => false;
        }
    }
}
