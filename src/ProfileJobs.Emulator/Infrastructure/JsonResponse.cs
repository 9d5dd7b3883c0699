using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace ProfileJobs.Emulator.Infrastructure;

/// <summary>
/// Writes JSON responses with an explicit Content-Length from pooled buffers, without reflection-based serialisation.
/// </summary>
public static class JsonResponse
{
    public const string Json = "application/json";
    public const string ProblemJson = "application/problem+json";

    private const int MaxPooledBytes = 1 << 20;
    private const int MaxPooled = 64;

    /// <summary>Relaxed escaping: emit quotes as \" and apostrophes literally, like the Adobe samples.</summary>
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private static readonly ConcurrentBag<Lease> Pool = new();

    /// <summary>Renders with <paramref name="write"/> and sends the bytes as the whole response body.</summary>
    public static async Task WriteAsync<TState>(
        HttpContext ctx, int status, string contentType, TState state, Action<Utf8JsonWriter, TState> write)
    {
        Lease lease = Rent();
        try
        {
            write(lease.Writer, state);
            lease.Writer.Flush();
            HttpResponse response = ctx.Response;
            response.StatusCode = status;
            response.ContentType = contentType;
            response.ContentLength = lease.Buffer.WrittenCount;
            await response.Body.WriteAsync(lease.Buffer.WrittenMemory, ctx.RequestAborted).ConfigureAwait(false);
        }
        finally
        {
            Return(lease);
        }
    }

    /// <summary>Sends a pre-encoded body (for constant responses).</summary>
    public static Task WriteBytesAsync(HttpContext ctx, int status, string contentType, ReadOnlyMemory<byte> body)
    {
        HttpResponse response = ctx.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, ctx.RequestAborted).AsTask();
    }

    /// <summary>Renders to a byte array (used for constant bodies computed once).</summary>
    public static byte[] Render<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        Lease lease = Rent();
        try
        {
            write(lease.Writer, state);
            lease.Writer.Flush();
            return lease.Buffer.WrittenSpan.ToArray();
        }
        finally
        {
            Return(lease);
        }
    }

    /// <summary>Empty 200/204-style response with Content-Length 0.</summary>
    public static Task WriteEmptyAsync(HttpContext ctx, int status)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentLength = 0;
        return Task.CompletedTask;
    }

    private static Lease Rent()
    {
        if (Pool.TryTake(out Lease? lease))
        {
            return lease;
        }

        return new Lease();
    }

    private static void Return(Lease lease)
    {
        if (lease.Buffer.Capacity > MaxPooledBytes || Pool.Count >= MaxPooled)
        {
            lease.Writer.Dispose();
            return;
        }

        lease.Buffer.ResetWrittenCount();
        lease.Writer.Reset(lease.Buffer);
        Pool.Add(lease);
    }

    private sealed class Lease
    {
        public Lease()
        {
            Buffer = new ArrayBufferWriter<byte>(4096);
            Writer = new Utf8JsonWriter(Buffer, WriterOptions);
        }

        public ArrayBufferWriter<byte> Buffer { get; }

        public Utf8JsonWriter Writer { get; }
    }
}
