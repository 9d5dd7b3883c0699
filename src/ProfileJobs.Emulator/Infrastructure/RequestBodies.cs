using System;
using System.IO;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace ProfileJobs.Emulator.Infrastructure;

/// <summary>Reads the whole request body, using the buffer left by the request log when there is one.</summary>
public static class RequestBodies
{
    public static async Task<ReadOnlyMemory<byte>> ReadAllAsync(HttpRequest request)
    {
        if (request.Body is MemoryStream buffered && buffered.TryGetBuffer(out ArraySegment<byte> segment))
        {
            int pos = (int)buffered.Position;
            buffered.Position = buffered.Length;
            return segment.AsMemory(pos);
        }

        using var ms = new MemoryStream();
        await request.Body.CopyToAsync(ms, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return ms.ToArray();
    }
}
