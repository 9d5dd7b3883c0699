using System;
using System.Buffers;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace ProfileJobs.Http
{
    /// <summary>
    /// Reads every answer's body to the end inside the attempt, with the attempt's token, so the per-attempt timeout
    /// (<see cref="RetryHandler"/>) covers a body that arrives slowly, and refuses a body larger than
    /// <see cref="MaxBodyBytes"/> (<see cref="ResponseTooLargeException"/>) instead of buffering it. The handlers above
    /// and <see cref="ApiTransport"/> then read a body already in memory. It sits innermost, next to the socket.
    /// </summary>
    internal sealed class ResponseBufferHandler : DelegatingHandler
    {
        /// <summary>The largest body read (documented in README, "Errors"); a page of 1,000 jobs is about 1 MB.</summary>
        public const int MaxBodyBytes = 16 * 1024 * 1024;

        /// <summary>The first buffer for a body of unknown length; it doubles as the body needs.</summary>
        private const int InitialBufferBytes = 16 * 1024;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.Content == null) return response;
            try
            {
                var declared = response.Content.Headers.ContentLength;
                if (declared > MaxBodyBytes) throw new ResponseTooLargeException(declared);
                var body = await ReadAsync(response, declared, cancellationToken).ConfigureAwait(false);
                var buffered = new BufferedBody(body);
                foreach (var header in response.Content.Headers)
                {
                    if (!string.Equals(header.Key, "Content-Length", StringComparison.OrdinalIgnoreCase)) buffered.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }
                response.Content.Dispose();
                response.Content = buffered;
                return response;
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }

        private static async Task<byte[]> ReadAsync(HttpResponseMessage response, long? declared, CancellationToken cancellationToken)
        {
            byte[] read;
            // Disposing the answer ends a read the stream itself does not cancel (the .NET Framework's).
            using (cancellationToken.Register(response.Dispose))
            {
                try
                {
                    using (var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
                    {
                        read = declared.HasValue
                            ? await ReadDeclaredAsync(stream, (int)declared.Value, cancellationToken).ConfigureAwait(false)
                            : await ReadUndeclaredAsync(stream, cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (Exception ex) when (cancellationToken.IsCancellationRequested && !(ex is OperationCanceledException))
                {
                    throw new OperationCanceledException(cancellationToken);
                }
            }
            // Once the registration is gone nothing disposes the answer; a cancellation before that may have.
            cancellationToken.ThrowIfCancellationRequested();
            return read;
        }

        /// <summary>A body of known length, read straight into an array of that length (the answer's one copy); a shorter one is what arrived.</summary>
        private static async Task<byte[]> ReadDeclaredAsync(Stream stream, int length, CancellationToken cancellationToken)
        {
            var body = new byte[length];
            var filled = 0;
            int count;
            while (filled < length && (count = await stream.ReadAsync(body, filled, length - filled, cancellationToken).ConfigureAwait(false)) > 0)
            {
                filled += count;
            }
            if (filled == length) return body;
            var shorter = new byte[filled];
            Buffer.BlockCopy(body, 0, shorter, 0, filled);
            return shorter;
        }

        /// <summary>A body of unknown length: read through a pooled buffer that grows as it must, then copied once at its length.</summary>
        private static async Task<byte[]> ReadUndeclaredAsync(Stream stream, CancellationToken cancellationToken)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
            try
            {
                var filled = 0;
                int count;
                // Never more than one byte past the cap is asked for, however large the pooled buffer is.
                while ((count = await stream.ReadAsync(buffer, filled, Math.Min(buffer.Length, MaxBodyBytes + 1) - filled, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    filled += count;
                    if (filled > MaxBodyBytes) throw new ResponseTooLargeException(null);
                    if (filled == buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, MaxBodyBytes + 1));
                        Buffer.BlockCopy(buffer, 0, larger, 0, filled);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                }
                var body = new byte[filled];
                Buffer.BlockCopy(buffer, 0, body, 0, filled);
                return body;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>An answer's body as <see cref="ResponseBufferHandler"/> read it; <see cref="ApiTransport"/> takes its bytes without a copy.</summary>
    internal sealed class BufferedBody : ByteArrayContent
    {
        public BufferedBody(byte[] bytes) : base(bytes) => Bytes = bytes;

        public byte[] Bytes { get; }
    }

    /// <summary>An answer whose body is larger than <see cref="ResponseBufferHandler.MaxBodyBytes"/>: not read, not retried.</summary>
    internal sealed class ResponseTooLargeException : Exception
    {
        private const int MaxMegabytes = ResponseBufferHandler.MaxBodyBytes / (1024 * 1024);

        public ResponseTooLargeException(long? declaredBytes)
            : base(declaredBytes.HasValue
                ? string.Format(CultureInfo.InvariantCulture, "its body is declared as {0:N0} bytes, more than the {1} MB a response may have", declaredBytes.Value, MaxMegabytes)
                : string.Format(CultureInfo.InvariantCulture, "its body went past the {0} MB a response may have", MaxMegabytes))
        {
        }
    }
}
