using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Threading;
using System.Threading.Tasks;
using System.Text.Json;

namespace ProfileJobs.Benchmarks;

/// <summary>
/// The floor: the fastest client we know how to write for the same requests. One pooled SocketsHttpHandler, the
/// credential headers set once, source-generated System.Text.Json reading straight from the response stream, and no
/// validation, retries, tracing, cancellation plumbing or PowerShell. Every request carries the same headers the
/// module sends (Authorization, x-api-key, x-gw-ims-org-id, x-sandbox-name where the module sends it, x-request-id).
/// </summary>
internal sealed class FloorClient : IDisposable
{
    private const string JobsPath = "data/core/ups/system/jobs";
    private const string PrivacyJobsPath = "data/core/privacy/jobs";
    private const string WorkOrderPath = "data/core/hygiene/workorder";

    private readonly HttpClient _http;

    private FloorClient(HttpClient http) => _http = http;

    /// <summary>Gets a token from the emulator's IMS route and returns a client that sends it.</summary>
    public static async Task<FloorClient> ConnectAsync(Uri baseUri)
    {
        var http = new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(15),
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
        })
        {
            BaseAddress = baseUri,
            Timeout = TimeSpan.FromMinutes(5),
        };
        using var form = new FormUrlEncodedContent(new[]
        {
            new KeyValuePair<string, string>("grant_type", "client_credentials"),
            new KeyValuePair<string, string>("client_id", EmulatorProcess.ClientId),
            new KeyValuePair<string, string>("client_secret", EmulatorProcess.ClientSecret),
            new KeyValuePair<string, string>("scope", "openid,AdobeID,read_organizations"),
        });
        using var response = await http.PostAsync("ims/token/v3", form).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var token = await response.Content.ReadFromJsonAsync(FloorJsonContext.Default.FloorToken).ConfigureAwait(false);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token!.AccessToken);
        http.DefaultRequestHeaders.TryAddWithoutValidation("x-api-key", EmulatorProcess.ClientId);
        http.DefaultRequestHeaders.TryAddWithoutValidation("x-gw-ims-org-id", EmulatorProcess.OrgId);
        return new FloorClient(http);
    }

    /// <summary>Every job, page by page (<c>?start=page&amp;limit=size</c>), each page read from the stream; returns the count.</summary>
    public async Task<long> ListAsync(int pageSize, Action<FloorJob>? onJob = null)
    {
        long count = 0;
        for (var page = 0; ; page++)
        {
            using var request = Request(HttpMethod.Get, string.Format(CultureInfo.InvariantCulture, "{0}?start={1}&limit={2}", JobsPath, page, pageSize), sandbox: true);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            await using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            var parsed = await JsonSerializer.DeserializeAsync(stream, FloorJsonContext.Default.FloorJobPage).ConfigureAwait(false);
            var children = parsed?.Children ?? new List<FloorJob>();
            foreach (var job in children)
            {
                count++;
                onJob?.Invoke(job);
            }

            var info = parsed?.Page;
            if (children.Count < (info?.PageSize ?? pageSize) || info?.Next == null) return count;
            if (info.TotalCount.HasValue && (long)(page + 1) * pageSize >= info.TotalCount.Value) return count;
        }
    }

    /// <summary>One job by id.</summary>
    public async Task<FloorJob> GetAsync(string id)
    {
        using var request = Request(HttpMethod.Get, JobsPath + "/" + Uri.EscapeDataString(id), sandbox: true);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        return (await JsonSerializer.DeserializeAsync(stream, FloorJsonContext.Default.FloorJob).ConfigureAwait(false))!;
    }

    /// <summary>
    /// Record-delete jobs for <paramref name="values"/> (one user per value, as the module makes them), 1,000 users per
    /// request, at most <paramref name="inFlight"/> requests at a time; returns how many jobs were created.
    /// </summary>
    public async Task<long> SubmitRecordDeletesAsync(string @namespace, IReadOnlyList<string> values, int usersPerRequest, int inFlight)
    {
        var requests = (values.Count + usersPerRequest - 1) / usersPerRequest;
        long created = 0;
        async ValueTask SendOne(int index, CancellationToken token)
        {
            var body = new FloorPrivacyRequest { CompanyContexts = { new FloorCompanyContext { Value = EmulatorProcess.OrgId } } };
            var end = Math.Min(values.Count, (index + 1) * usersPerRequest);
            body.Users.Capacity = end - index * usersPerRequest;
            for (var i = index * usersPerRequest; i < end; i++)
            {
                body.Users.Add(new FloorPrivacyUser
                {
                    Key = @namespace + ":" + values[i],
                    Action = new List<string> { "delete" },
                    UserIds = new List<FloorIdentity> { new() { Namespace = @namespace, Value = values[i], Type = "standard" } },
                });
            }

            using var request = Request(HttpMethod.Post, PrivacyJobsPath, sandbox: false);
            request.Content = JsonBody(body, FloorJsonContext.Default.FloorPrivacyRequest);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            await using var stream = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
            var result = await JsonSerializer.DeserializeAsync(stream, FloorJsonContext.Default.FloorPrivacyCreated, token).ConfigureAwait(false);
            Interlocked.Add(ref created, result?.Jobs?.Count ?? 0);
        }

        await ForEachAsync(requests, inFlight, SendOne).ConfigureAwait(false);
        return created;
    }

    /// <summary>Work orders of at most <paramref name="perOrder"/> identities; returns the identity count the API accepted.</summary>
    public async Task<long> SubmitWorkOrdersAsync(string @namespace, string[] values, string datasetId, int perOrder, int inFlight)
    {
        var orders = (values.Length + perOrder - 1) / perOrder;
        long accepted = 0;
        async ValueTask SendOne(int index, CancellationToken token)
        {
            var start = index * perOrder;
            var body = new FloorWorkOrderRequest
            {
                DisplayName = string.Format(CultureInfo.InvariantCulture, "floor record delete ({0} of {1})", index + 1, orders),
                DatasetId = datasetId,
                NamespacesIdentities =
                {
                    new FloorNamespaceIdentities
                    {
                        Namespace = new FloorNamespaceCode { Code = @namespace },
                        Ids = new ArraySegment<string>(values, start, Math.Min(perOrder, values.Length - start)),
                    },
                },
            };
            using var request = Request(HttpMethod.Post, WorkOrderPath, sandbox: true);
            request.Content = JsonBody(body, FloorJsonContext.Default.FloorWorkOrderRequest);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            await using var stream = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
            var order = await JsonSerializer.DeserializeAsync(stream, FloorJsonContext.Default.FloorWorkOrder, token).ConfigureAwait(false);
            Interlocked.Add(ref accepted, order?.OperationCount ?? 0);
        }

        await ForEachAsync(orders, inFlight, SendOne).ConfigureAwait(false);
        return accepted;
    }

    private static async Task ForEachAsync(int count, int inFlight, Func<int, CancellationToken, ValueTask> body)
    {
        if (inFlight <= 1)
        {
            for (var i = 0; i < count; i++) await body(i, CancellationToken.None).ConfigureAwait(false);
            return;
        }

        await Parallel.ForEachAsync(System.Linq.Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = inFlight }, body).ConfigureAwait(false);
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, bool sandbox)
    {
        var request = new HttpRequestMessage(method, path);
        if (sandbox) request.Headers.TryAddWithoutValidation("x-sandbox-name", EmulatorProcess.SandboxName);
        request.Headers.TryAddWithoutValidation("x-request-id", Guid.NewGuid().ToString("D"));
        return request;
    }

    private static ByteArrayContent JsonBody<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, type));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    public void Dispose() => _http.Dispose();
}
