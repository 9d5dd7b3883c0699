using System;
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
                // One async method for the answer and its body: each costs a cold process its own set of jitted builders.
                byte[] body;
                // Disposing the answer ends a read the stream itself does not cancel (the .NET Framework's).
                using (cancellationToken.Register(response.Dispose))
                {
                    try
                    {
                        using (var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
                        using (var read = new MemoryStream(declared.HasValue ? (int)declared.Value : 0))
                        {
                            var chunk = new byte[ChunkBytes];
                            int count;
                            while ((count = await stream.ReadAsync(chunk, 0, chunk.Length, cancellationToken).ConfigureAwait(false)) > 0)
                            {
                                if (read.Length + count > MaxBodyBytes) throw new ResponseTooLargeException(null);
                                read.Write(chunk, 0, count);
                            }
                            body = read.ToArray();
                        }
                    }
                    catch (Exception ex) when (cancellationToken.IsCancellationRequested && !(ex is OperationCanceledException))
                    {
                        throw new OperationCanceledException(cancellationToken);
                    }
                }
                // Once the registration is gone nothing disposes the answer; a cancellation before that may have.
                cancellationToken.ThrowIfCancellationRequested();

                var buffered = new ByteArrayContent(body);
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
