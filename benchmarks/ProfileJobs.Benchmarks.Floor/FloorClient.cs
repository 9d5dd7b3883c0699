using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Threading;
using System.Threading.Tasks;
using System.Text.Json;

namespace ProfileJobs.Benchmarks.Floor;

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
    private readonly FloorCredential _credential;

    private FloorClient(HttpClient http, FloorCredential credential)
    {
        _http = http;
        _credential = credential;
    }

    /// <summary>Gets a token from the emulator's IMS route and returns a client that sends it.</summary>
    public static async Task<FloorClient> ConnectAsync(Uri baseUri, FloorCredential credential)
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
            new KeyValuePair<string, string>("client_id", credential.ClientId),
            new KeyValuePair<string, string>("client_secret", credential.ClientSecret),
            new KeyValuePair<string, string>("scope", "openid,AdobeID,read_organizations"),
        });
        using var response = await http.PostAsync("ims/token/v3", form).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var token = await response.Content.ReadFromJsonAsync(FloorJsonContext.Default.FloorToken).ConfigureAwait(false);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token!.AccessToken);
        http.DefaultRequestHeaders.TryAddWithoutValidation("x-api-key", credential.ClientId);
        http.DefaultRequestHeaders.TryAddWithoutValidation("x-gw-ims-org-id", credential.OrgId);
        return new FloorClient(http, credential);
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
    /// Record-delete jobs for <paramref name="rows"/> (one user per row, keyed as the module keys a row without a key),
    /// <paramref name="usersPerRequest"/> users per request, at most <paramref name="inFlight"/> requests at a time.
    /// Rows are read as they come: a request is sent as soon as it is full. Returns how many jobs were created.
    /// </summary>
    public async Task<long> SubmitRecordDeletesAsync(IEnumerable<Identity> rows, int usersPerRequest, int inFlight)
    {
        long created = 0;
        async Task SendOne(List<Identity> chunk, int index)
        {
            var body = new FloorPrivacyRequest { CompanyContexts = { new FloorCompanyContext { Value = _credential.OrgId } } };
            body.Users.Capacity = chunk.Count;
            foreach (var row in chunk)
            {
                body.Users.Add(new FloorPrivacyUser
                {
                    Key = row.Namespace + ":" + row.Value,
                    Action = new List<string> { "delete" },
                    UserIds = new List<FloorIdentity> { new() { Namespace = row.Namespace, Value = row.Value, Type = "standard" } },
                });
            }

            using var request = Request(HttpMethod.Post, PrivacyJobsPath, sandbox: false);
            request.Content = JsonBody(body, FloorJsonContext.Default.FloorPrivacyRequest);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            await using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            var result = await JsonSerializer.DeserializeAsync(stream, FloorJsonContext.Default.FloorPrivacyCreated).ConfigureAwait(false);
            Interlocked.Add(ref created, result?.Jobs?.Count ?? 0);
        }

        await SendInChunksAsync(rows, usersPerRequest, inFlight, SendOne).ConfigureAwait(false);
        return created;
    }

    /// <summary>
    /// Work orders of at most <paramref name="perOrder"/> identities (grouped by namespace within each order), sent as
    /// soon as each is full, at most <paramref name="inFlight"/> at a time; returns the identity count the API accepted.
    /// </summary>
    public async Task<long> SubmitWorkOrdersAsync(IEnumerable<Identity> rows, string datasetId, int perOrder, int inFlight)
    {
        long accepted = 0;
        async Task SendOne(List<Identity> chunk, int index)
        {
            var body = new FloorWorkOrderRequest
            {
                DisplayName = string.Format(CultureInfo.InvariantCulture, "floor record delete {0}", index + 1),
                DatasetId = datasetId,
            };
            foreach (var group in chunk.GroupBy(row => row.Namespace, StringComparer.Ordinal))
            {
                body.NamespacesIdentities.Add(new FloorNamespaceIdentities
                {
                    Namespace = new FloorNamespaceCode { Code = group.Key },
                    Ids = group.Select(row => row.Value).ToList(),
                });
            }

            using var request = Request(HttpMethod.Post, WorkOrderPath, sandbox: true);
            request.Content = JsonBody(body, FloorJsonContext.Default.FloorWorkOrderRequest);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            await using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            var order = await JsonSerializer.DeserializeAsync(stream, FloorJsonContext.Default.FloorWorkOrder).ConfigureAwait(false);
            Interlocked.Add(ref accepted, order?.OperationCount ?? 0);
        }

        await SendInChunksAsync(rows, perOrder, inFlight, SendOne).ConfigureAwait(false);
        return accepted;
    }

    /// <summary>Cuts <paramref name="rows"/> into chunks and sends each as soon as it is full, at most <paramref name="inFlight"/> at once.</summary>
    private static async Task SendInChunksAsync(IEnumerable<Identity> rows, int size, int inFlight, Func<List<Identity>, int, Task> send)
    {
        using var gate = new SemaphoreSlim(inFlight);
        var running = new List<Task>();
        var index = 0;
        async Task Start(List<Identity> chunk)
        {
            await gate.WaitAsync().ConfigureAwait(false);
            running.RemoveAll(task => task.IsCompletedSuccessfully);
            var failed = running.Find(task => task.IsFaulted);
            if (failed != null) await failed.ConfigureAwait(false);
            var number = index++;
            running.Add(Task.Run(async () =>
            {
                try
                {
                    await send(chunk, number).ConfigureAwait(false);
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        var current = new List<Identity>(size);
        foreach (var row in rows)
        {
            current.Add(row);
            if (current.Count < size) continue;
            await Start(current).ConfigureAwait(false);
            current = new List<Identity>(size);
        }

        if (current.Count > 0) await Start(current).ConfigureAwait(false);
        await Task.WhenAll(running).ConfigureAwait(false);
    }

    private HttpRequestMessage Request(HttpMethod method, string path, bool sandbox)
    {
        var request = new HttpRequestMessage(method, path);
        if (sandbox) request.Headers.TryAddWithoutValidation("x-sandbox-name", _credential.SandboxName);
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

/// <summary>The credential the emulator accepts and the sandbox the module is connected to.</summary>
internal sealed record FloorCredential(string ClientId, string ClientSecret, string OrgId, string SandboxName);

/// <summary>One row of the identity CSV.</summary>
internal readonly record struct Identity(string Namespace, string Value);
