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

        private const int ChunkBytes = 81920;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.Content == null) return response;
            try
            {
                var declared = response.Content.Headers.ContentLength;
                if (declared > MaxBodyBytes) throw new ResponseTooLargeException(declared);
                var buffered = await ReadAsync(response, declared, cancellationToken).ConfigureAwait(false);
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

        private static async Task<BufferedContent> ReadAsync(HttpResponseMessage response, long? declared, CancellationToken cancellationToken)
        {
            BufferedContent read;
            // Disposing the answer ends a read the stream itself does not cancel (the .NET Framework's).
            using (cancellationToken.Register(response.Dispose))
            {
                try
                {
                    using (var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
                    {
                        // A declared length is read straight into one array from the shared pool, given back when
                        // the answer is disposed (a record-delete answer is about 250 KB: a new array each time would
                        // be a large-object allocation, freed only by a full collection); only a body longer than
                        // declared goes on chunk by chunk.
                        if (declared.HasValue)
                        {
                            var length = (int)declared.Value;
                            byte[]? rented = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
                            try
                            {
                                var filled = 0;
                                int got;
                                while (filled < length && (got = await stream.ReadAsync(rented, filled, length - filled, cancellationToken).ConfigureAwait(false)) > 0) filled += got;
                                var probe = new byte[1];
                                if (filled < length || await stream.ReadAsync(probe, 0, 1, cancellationToken).ConfigureAwait(false) == 0)
                                {
                                    read = new BufferedContent(rented, filled, pooled: true);
                                    rented = null;
                                }
                                else
                                {
                                    read = new BufferedContent(await ReadChunksAsync(stream, rented, length, probe, cancellationToken).ConfigureAwait(false));
                                }
                            }
                            finally
                            {
                                if (rented != null) ArrayPool<byte>.Shared.Return(rented);
                            }
                        }
                        else
                        {
                            read = new BufferedContent(await ReadChunksAsync(stream, Array.Empty<byte>(), 0, Array.Empty<byte>(), cancellationToken).ConfigureAwait(false));
                        }
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

        /// <summary>The rest of a body of unknown length (or longer than declared), after what was read already, up to the cap.</summary>
        private static async Task<byte[]> ReadChunksAsync(Stream stream, byte[] head, int headLength, byte[] next, CancellationToken cancellationToken)
        {
            if (headLength + next.Length > MaxBodyBytes) throw new ResponseTooLargeException(null);
            using (var body = new MemoryStream())
            {
                body.Write(head, 0, headLength);
                body.Write(next, 0, next.Length);
                var chunk = new byte[ChunkBytes];
                int count;
                while ((count = await stream.ReadAsync(chunk, 0, chunk.Length, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    if (body.Length + count > MaxBodyBytes) throw new ResponseTooLargeException(null);
                    body.Write(chunk, 0, count);
                }
                return body.ToArray();
            }
        }
    }

    /// <summary>
    /// An answer's body read by <see cref="ResponseBufferHandler"/>. <see cref="Span"/> is the body where it was read
    /// (no copy); <see cref="Body"/> an array of exactly the body (the array read, or one copy of a pooled one). A
    /// pooled array goes back to the pool when the content is disposed, with its answer: read the body before that.
    /// </summary>
    internal sealed class BufferedContent : ByteArrayContent
    {
        private byte[]? _array;
        private readonly int _length;
        private bool _pooled;
        private byte[]? _exact;

        public BufferedContent(byte[] body) : this(body, body.Length, pooled: false)
        {
        }

        public BufferedContent(byte[] array, int length, bool pooled) : base(array, 0, length)
        {
            _array = array;
            _length = length;
            _pooled = pooled;
            if (!pooled) _exact = array;
        }

        public ReadOnlySpan<byte> Span => new ReadOnlySpan<byte>(_array ?? throw new ObjectDisposedException(nameof(BufferedContent)), 0, _length);

        public byte[] Body => _exact ??= Span.ToArray();

        protected override void Dispose(bool disposing)
        {
            if (disposing && _pooled && _array != null)
            {
                _pooled = false;
                var array = _array;
                _array = null;
                ArrayPool<byte>.Shared.Return(array);
            }
            base.Dispose(disposing);
        }
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
