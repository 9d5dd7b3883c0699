using System;
using System.Diagnostics;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using ProfileJobs.Diagnostics;

namespace ProfileJobs.Http
{
    /// <summary>
    /// Gives every request an <c>x-request-id</c> and reports each exchange to the running command:
    /// one verbose line, and with -Debug the headers and bodies, secrets masked.
    /// </summary>
    internal sealed class TracingHandler : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            RequestMetadata.EnsureRequestId(request);

            // Without -Verbose or -Debug there is nothing to report: the request passes straight on (no async layer).
            var log = OperationScope.Current;
            if (log == null || (!log.IsVerboseEnabled && !log.IsDebugEnabled)) return base.SendAsync(request, cancellationToken);
            return TraceAsync(request, log, cancellationToken);
        }

        private async Task<HttpResponseMessage> TraceAsync(HttpRequestMessage request, IOperationLog log, CancellationToken cancellationToken)
        {
            if (log.IsDebugEnabled)
            {
                log.WriteDebug(await DescribeRequestAsync(request).ConfigureAwait(false));
            }

            var stopwatch = Stopwatch.StartNew();
            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (log.IsVerboseEnabled)
            {
                log.WriteVerbose($"HTTP {request.Method} {RequestMetadata.PathOf(request)} failed after {stopwatch.ElapsedMilliseconds} ms: {ex.GetType().Name} (request id {RequestMetadata.RequestIdOf(request)}, attempt {RequestMetadata.AttemptOf(request)})");
                throw;
            }

            if (log.IsVerboseEnabled)
            {
                log.WriteVerbose($"HTTP {request.Method} {RequestMetadata.PathOf(request)} -> {(int)response.StatusCode} {response.ReasonPhrase} in {stopwatch.ElapsedMilliseconds} ms (request id {RequestMetadata.RequestIdOf(request, response)}, attempt {RequestMetadata.AttemptOf(request)})");
            }
            if (log.IsDebugEnabled)
            {
                log.WriteDebug(await DescribeResponseAsync(response).ConfigureAwait(false));
            }
            return response;
        }

        private static async Task<string> DescribeRequestAsync(HttpRequestMessage request)
        {
            var text = new StringBuilder();
            text.Append("HTTP request ").Append(request.Method).Append(' ').Append(request.RequestUri);
            AppendHeaders(text, request.Headers);
            if (request.Content != null)
            {
                AppendHeaders(text, request.Content.Headers);
                text.AppendLine().Append(Redaction.Body(await request.Content.ReadAsStringAsync().ConfigureAwait(false)));
            }
            return text.ToString();
        }

        private static async Task<string> DescribeResponseAsync(HttpResponseMessage response)
        {
            var text = new StringBuilder();
            text.Append("HTTP response ").Append((int)response.StatusCode).Append(' ').Append(response.ReasonPhrase);
            AppendHeaders(text, response.Headers);
            if (response.Content != null)
            {
                AppendHeaders(text, response.Content.Headers);
                // Buffering here keeps the body readable for the caller afterwards.
                await response.Content.LoadIntoBufferAsync().ConfigureAwait(false);
                text.AppendLine().Append(Redaction.Body(await response.Content.ReadAsStringAsync().ConfigureAwait(false)));
            }
            return text.ToString();
        }

        private static void AppendHeaders(StringBuilder text, System.Net.Http.Headers.HttpHeaders headers)
        {
            foreach (var header in headers)
            {
                var value = Redaction.IsSecretHeader(header.Key) ? Redaction.Mask : string.Join(", ", header.Value);
                text.AppendLine().Append("  ").Append(header.Key).Append(": ").Append(value);
            }
        }
    }
}
