using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Tasks;
using ProfileJobs.Benchmarks.Floor;

namespace ProfileJobs.Benchmarks.EmptyModule
{
    /// <summary>
    /// The cold floor of Import + Connect + list: what any client in a fresh pwsh pays for the same HTTP work, done
    /// with a bare HttpClient and the floor program's source-generated System.Text.Json models (FloorJson.cs, linked):
    /// an IMS token, then every job page by page (<c>?start=page&amp;limit=size</c>) with the module's headers. Reads
    /// the credential from the AEP_* variables that <c>Connect-ExperiencePlatform -FromEnvironment</c> reads, and
    /// writes the number of jobs listed. Run after <c>Import-Module ProfileJobsBench</c>, it holds the engine's first
    /// module import and the process's first HTTP request, which the module does not control.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Measure, "BenchColdFloor")]
    [OutputType(typeof(long))]
    public sealed class MeasureBenchColdFloorCommand : Cmdlet
    {
        /// <summary>Jobs per page.</summary>
        [Parameter]
        public int PageSize { get; set; } = 100;

        /// <inheritdoc/>
        protected override void EndProcessing() => WriteObject(ListAsync().GetAwaiter().GetResult());

        private static string Variable(string name) =>
            Environment.GetEnvironmentVariable(name) ?? throw new PSArgumentException(name + " is not set.");

        private async Task<long> ListAsync()
        {
            var ims = new Uri(Variable("AEP_IMS_URI").TrimEnd('/') + "/");
            var platform = new Uri(Variable("AEP_PLATFORM_URI").TrimEnd('/') + "/");
            var clientId = Variable("AEP_CLIENT_ID");
            using var http = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None, UseCookies = false });
            using (var form = new FormUrlEncodedContent(new[]
            {
                new KeyValuePair<string, string>("grant_type", "client_credentials"),
                new KeyValuePair<string, string>("client_id", clientId),
                new KeyValuePair<string, string>("client_secret", Variable("AEP_CLIENT_SECRET")),
                new KeyValuePair<string, string>("scope", "openid,AdobeID,read_organizations"),
            }))
            using (var response = await http.PostAsync(new Uri(ims, "ims/token/v3"), form).ConfigureAwait(false))
            {
                response.EnsureSuccessStatusCode();
                using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                var token = await JsonSerializer.DeserializeAsync(stream, FloorJsonContext.Default.FloorToken).ConfigureAwait(false);
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token!.AccessToken);
            }
            http.DefaultRequestHeaders.TryAddWithoutValidation("x-api-key", clientId);
            http.DefaultRequestHeaders.TryAddWithoutValidation("x-gw-ims-org-id", Variable("AEP_ORG_ID"));
            var sandbox = Variable("AEP_SANDBOX_NAME");

            long count = 0;
            for (var page = 0; ; page++)
            {
                var path = string.Format(CultureInfo.InvariantCulture, "data/core/ups/system/jobs?start={0}&limit={1}", page, PageSize);
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(platform, path));
                request.Headers.TryAddWithoutValidation("x-sandbox-name", sandbox);
                request.Headers.TryAddWithoutValidation("x-request-id", Guid.NewGuid().ToString("D"));
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
                using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                var parsed = await JsonSerializer.DeserializeAsync(stream, FloorJsonContext.Default.FloorJobPage).ConfigureAwait(false);
                var children = parsed?.Children ?? new List<FloorJob>();
                count += children.Count;
                var info = parsed?.Page;
                if (children.Count < (info?.PageSize ?? PageSize) || info?.Next == null) return count;
                if (info.TotalCount.HasValue && (long)(page + 1) * PageSize >= info.TotalCount.Value) return count;
            }
        }
    }
}
