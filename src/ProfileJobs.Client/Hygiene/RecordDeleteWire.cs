using System;
using System.Buffers;
using System.Collections.Generic;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;

namespace ProfileJobs.Hygiene
{
    /// <summary>
    /// The wire form of a record-delete request (<c>POST /data/core/privacy/jobs</c>) and of its answer, written and
    /// read directly: a request of 1,000 customers is written with a <see cref="Utf8JsonWriter"/> into a pooled buffer
    /// (no body objects), and its answer's 1,000 jobs are read with a <see cref="Utf8JsonReader"/> straight into the
    /// <see cref="HygieneRecordDelete"/> objects the command writes (no intermediate objects). Where the answer repeats
    /// what was sent (the customer's key, its identities), the strings sent are reused instead of new copies.
    /// The JSON is exactly what the source-generated serializer wrote and read before: the same property names and
    /// order, the same escaping, and the same tolerance (unknown properties skipped, null where a value may be absent,
    /// numbers also as strings).
    /// </summary>
    internal static class RecordDeleteWire
    {
        private static readonly JsonEncodedText CompanyContexts = JsonEncodedText.Encode("companyContexts");
        private static readonly JsonEncodedText Namespace = JsonEncodedText.Encode("namespace");
        private static readonly JsonEncodedText Value = JsonEncodedText.Encode("value");
        private static readonly JsonEncodedText ImsOrgId = JsonEncodedText.Encode("imsOrgID");
        private static readonly JsonEncodedText Users = JsonEncodedText.Encode("users");
        private static readonly JsonEncodedText Key = JsonEncodedText.Encode("key");
        private static readonly JsonEncodedText Action = JsonEncodedText.Encode("action");
        private static readonly JsonEncodedText Delete = JsonEncodedText.Encode("delete");
        private static readonly JsonEncodedText UserIds = JsonEncodedText.Encode("userIDs");
        private static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");

        /// <summary>The action every customer is sent with, and the string an answer's "delete" maps to.</summary>
        private const string DeleteAction = "delete";

        /// <summary>
        /// The request body for <paramref name="users"/> of the organization <paramref name="orgId"/>, in a buffer
        /// rented from the shared pool: dispose the content's owner (<see cref="PooledBody"/>) once the request is sent.
        /// </summary>
        public static PooledBody WriteRequest(string orgId, IReadOnlyList<RecordDeleteUser> users)
        {
            var buffer = new PooledBufferWriter(EstimateBytes(users));
            try
            {
                using (var writer = new Utf8JsonWriter(buffer))
                {
                    writer.WriteStartObject();
                    writer.WriteStartArray(CompanyContexts);
                    writer.WriteStartObject();
                    writer.WriteString(Namespace, ImsOrgId);
                    writer.WriteString(Value, orgId);
                    writer.WriteEndObject();
                    writer.WriteEndArray();
                    writer.WriteStartArray(Users);
                    for (var u = 0; u < users.Count; u++)
                    {
                        var user = users[u];
                        writer.WriteStartObject();
                        writer.WriteString(Key, user.Key);
                        writer.WriteStartArray(Action);
                        writer.WriteStringValue(Delete);
                        writer.WriteEndArray();
                        writer.WriteStartArray(UserIds);
                        var identities = user.Identities;
                        for (var i = 0; i < identities.Count; i++)
                        {
                            var identity = identities[i];
                            writer.WriteStartObject();
                            writer.WriteString(Namespace, identity.Namespace);
                            writer.WriteString(Value, identity.Value);
                            writer.WriteString(Type, identity.Type);
                            writer.WriteEndObject();
                        }
                        writer.WriteEndArray();
                        writer.WriteEndObject();
                    }
                    writer.WriteEndArray();
                    writer.WriteEndObject();
                }
                return new PooledBody(buffer);
            }
            catch
            {
                buffer.Dispose();
                throw;
            }
        }

        /// <summary>About what the body takes, so the buffer is rented once: the customers' keys and values, plus the fixed parts.</summary>
        private static int EstimateBytes(IReadOnlyList<RecordDeleteUser> users)
        {
            long bytes = 256;
            for (var u = 0; u < users.Count; u++)
            {
                var user = users[u];
                bytes += 48 + user.Key.Length;
                var identities = user.Identities;
                for (var i = 0; i < identities.Count; i++)
                {
                    var identity = identities[i];
                    bytes += 40 + identity.Namespace.Length + identity.Value.Length + identity.Type.Length;
                }
            }
            // Text beyond ASCII takes more bytes (and escapes six); the writer grows the buffer if it must.
            return (int)Math.Min(bytes + bytes / 8, int.MaxValue / 2);
        }

        /// <summary>
        /// The jobs of a create's answer (<c>{"requestId", "totalRecords", "jobs": [{"jobId", "customer": {"user": {"key",
        /// "action", "userIDs"}}}]}</c>), each as the command writes it, with <paramref name="fallbackRequestId"/> where
        /// the body names no request id. <paramref name="sent"/> are the customers of the request, in the order sent:
        /// the answer normally lists them in that order, and where a job repeats what was sent, the sent strings are used.
        /// Throws <see cref="JsonException"/> for a body that is not this JSON, and returns null for a body that is JSON null.
        /// </summary>
        public static List<HygieneRecordDelete>? ReadCreated(ReadOnlySpan<byte> body, IReadOnlyList<RecordDeleteUser> sent, string? fallbackRequestId, out string? requestId)
        {
            try
            {
                return ReadCreatedJobs(body, sent, fallbackRequestId, out requestId);
            }
            catch (InvalidOperationException ex)
            {
                // The reader's own refusal of a string it cannot decode (invalid UTF-8), which the serializer reports as JSON.
                throw new JsonException("The answer holds text that is not valid UTF-8: " + ex.Message, ex);
            }
        }

        private static List<HygieneRecordDelete>? ReadCreatedJobs(ReadOnlySpan<byte> body, IReadOnlyList<RecordDeleteUser> sent, string? fallbackRequestId, out string? requestId)
        {
            requestId = null;
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            if (!reader.Read()) throw new JsonException("The input does not contain any JSON tokens.");
            if (reader.TokenType == JsonTokenType.Null) return null;
            Expect(ref reader, JsonTokenType.StartObject, "the answer");
            List<HygieneRecordDelete>? jobs = null;
            while (Property(ref reader))
            {
                if (reader.ValueTextEquals("requestId"))
                {
                    reader.Read();
                    requestId = NullableString(ref reader, "requestId");
                }
                else if (reader.ValueTextEquals("jobs"))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Null)
                    {
                        jobs = null;
                        continue;
                    }
                    Expect(ref reader, JsonTokenType.StartArray, "jobs");
                    jobs = new List<HygieneRecordDelete>(sent.Count);
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        var position = jobs.Count;
                        jobs.Add(ReadJob(ref reader, position < sent.Count ? sent[position] : null));
                    }
                }
                else if (reader.ValueTextEquals("totalRecords"))
                {
                    reader.Read();
                    NullableInt(ref reader, "totalRecords");
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            if (reader.Read()) throw new JsonException($"The answer goes on after its end ({reader.TokenType}).");
            jobs ??= new List<HygieneRecordDelete>();
            var id = requestId ?? fallbackRequestId;
            foreach (var job in jobs) job.RequestId = id;
            return jobs;
        }

        /// <summary>One job; <paramref name="sent"/> is the customer sent at its position, whose strings it reuses where they match.</summary>
        private static HygieneRecordDelete ReadJob(ref Utf8JsonReader reader, RecordDeleteUser? sent)
        {
            var job = new HygieneRecordDelete();
            if (reader.TokenType == JsonTokenType.Null) return job;
            Expect(ref reader, JsonTokenType.StartObject, "a job");
            while (Property(ref reader))
            {
                if (reader.ValueTextEquals("jobId"))
                {
                    reader.Read();
                    job.JobId = NullableString(ref reader, "jobId") ?? "";
                }
                else if (reader.ValueTextEquals("customer"))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Null)
                    {
                        ClearCustomer(job);
                        continue;
                    }
                    Expect(ref reader, JsonTokenType.StartObject, "customer");
                    ClearCustomer(job);
                    while (Property(ref reader))
                    {
                        if (reader.ValueTextEquals("user"))
                        {
                            reader.Read();
                            ClearCustomer(job);
                            ReadUser(ref reader, job, sent);
                        }
                        else
                        {
                            reader.Read();
                            reader.Skip();
                        }
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            return job;
        }

        private static void ClearCustomer(HygieneRecordDelete job)
        {
            job.UserKey = "";
            job.Action = null;
            job.Identities = Array.Empty<HygieneIdentity>();
        }

        private static void ReadUser(ref Utf8JsonReader reader, HygieneRecordDelete job, RecordDeleteUser? sent)
        {
            if (reader.TokenType == JsonTokenType.Null) return;
            Expect(ref reader, JsonTokenType.StartObject, "user");
            while (Property(ref reader))
            {
                if (reader.ValueTextEquals("key"))
                {
                    reader.Read();
                    job.UserKey = (sent != null && reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(sent.Key) ? sent.Key : NullableString(ref reader, "key")) ?? "";
                }
                else if (reader.ValueTextEquals("action"))
                {
                    reader.Read();
                    job.Action = FirstAction(ref reader);
                }
                else if (reader.ValueTextEquals("userIDs"))
                {
                    reader.Read();
                    job.Identities = Identities(ref reader, sent);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }

        /// <summary>The first action of the list (null for none), as the API lists one per job.</summary>
        private static string? FirstAction(ref Utf8JsonReader reader)
        {
            if (reader.TokenType == JsonTokenType.Null) return null;
            Expect(ref reader, JsonTokenType.StartArray, "action");
            string? first = null;
            var any = false;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                string? action;
                if (reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(DeleteAction)) action = DeleteAction;
                else action = NullableString(ref reader, "action");
                if (!any) first = action;
                any = true;
            }
            return first;
        }

        private static IReadOnlyList<HygieneIdentity> Identities(ref Utf8JsonReader reader, RecordDeleteUser? sent)
        {
            if (reader.TokenType == JsonTokenType.Null) return Array.Empty<HygieneIdentity>();
            Expect(ref reader, JsonTokenType.StartArray, "userIDs");
            var sentIdentities = sent?.Identities;
            HygieneIdentity? only = null;
            List<HygieneIdentity>? several = null;
            var count = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var identity = ReadIdentity(ref reader, sentIdentities != null && count < sentIdentities.Count ? sentIdentities[count] : null);
                if (count == 0) only = identity;
                else (several ??= new List<HygieneIdentity>(4) { only! }).Add(identity);
                count++;
            }
            if (count == 0) return Array.Empty<HygieneIdentity>();
            return several != null ? several.ToArray() : new[] { only! };
        }

        private static HygieneIdentity ReadIdentity(ref Utf8JsonReader reader, HygieneIdentity? sent)
        {
            var identity = new HygieneIdentity();
            if (reader.TokenType == JsonTokenType.Null) return identity;
            Expect(ref reader, JsonTokenType.StartObject, "an identity");
            while (Property(ref reader))
            {
                if (reader.ValueTextEquals("namespace"))
                {
                    reader.Read();
                    identity.Namespace = Reused(ref reader, sent?.Namespace, "namespace") ?? "";
                }
                else if (reader.ValueTextEquals("value"))
                {
                    reader.Read();
                    identity.Value = Reused(ref reader, sent?.Value, "value") ?? "";
                }
                else if (reader.ValueTextEquals("type"))
                {
                    reader.Read();
                    identity.Type = Reused(ref reader, sent?.Type, "type") ?? "";
                }
                else if (reader.ValueTextEquals("namespaceId"))
                {
                    reader.Read();
                    identity.NamespaceId = NullableInt(ref reader, "namespaceId");
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            return identity;
        }

        /// <summary>The string at the reader; <paramref name="sent"/> itself when it is the same text.</summary>
        private static string? Reused(ref Utf8JsonReader reader, string? sent, string what) =>
            sent != null && reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(sent) ? sent : NullableString(ref reader, what);

        /// <summary>Moves to the next property name of the object being read; false at its end.</summary>
        private static bool Property(ref Utf8JsonReader reader)
        {
            if (!reader.Read()) throw new JsonException("The JSON ends inside an object.");
            if (reader.TokenType == JsonTokenType.EndObject) return false;
            if (reader.TokenType != JsonTokenType.PropertyName) throw new JsonException($"Expected a property name, found {reader.TokenType}.");
            return true;
        }

        private static void Expect(ref Utf8JsonReader reader, JsonTokenType expected, string what)
        {
            if (reader.TokenType != expected) throw new JsonException($"The JSON value of {what} could not be read: expected {expected}, found {reader.TokenType}.");
        }

        private static string? NullableString(ref Utf8JsonReader reader, string what)
        {
            if (reader.TokenType == JsonTokenType.Null) return null;
            if (reader.TokenType != JsonTokenType.String) throw new JsonException($"The JSON value of {what} could not be read as a string (found {reader.TokenType}).");
            return reader.GetString();
        }

        /// <summary>A number, or a number in a string (as the serializer's AllowReadingFromString read it), or null.</summary>
        private static int? NullableInt(ref Utf8JsonReader reader, string what)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.Null:
                    return null;
                case JsonTokenType.Number when reader.TryGetInt32(out var number):
                    return number;
                case JsonTokenType.String when int.TryParse(reader.GetString(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var parsed):
                    return parsed;
                default:
                    throw new JsonException($"The JSON value of {what} could not be read as a 32-bit number.");
            }
        }
    }

    /// <summary>A request body in a pooled buffer: the content to send, and the buffer to return once it is sent.</summary>
    internal sealed class PooledBody : IDisposable
    {
        private PooledBufferWriter? _buffer;

        internal PooledBody(PooledBufferWriter buffer)
        {
            _buffer = buffer;
            Content = new ByteArrayContent(buffer.Array, 0, buffer.WrittenCount);
            Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        public HttpContent Content { get; }

        /// <summary>Returns the buffer; the content must not be read after this (the request is sent and disposed).</summary>
        public void Dispose()
        {
            _buffer?.Dispose();
            _buffer = null;
        }
    }

    /// <summary>An <see cref="IBufferWriter{T}"/> over arrays rented from <see cref="ArrayPool{T}.Shared"/>, growing by renting a larger one.</summary>
    internal sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
    {
        private byte[] _array;

        public PooledBufferWriter(int initialCapacity) => _array = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 256));

        /// <summary>The rented array; its first <see cref="WrittenCount"/> bytes are what was written.</summary>
        public byte[] Array => _array;

        public int WrittenCount { get; private set; }

        public void Advance(int count)
        {
            if (count < 0 || WrittenCount + count > _array.Length) throw new ArgumentOutOfRangeException(nameof(count));
            WrittenCount += count;
        }

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            Ensure(sizeHint);
            return _array.AsMemory(WrittenCount);
        }

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            Ensure(sizeHint);
            return _array.AsSpan(WrittenCount);
        }

        private void Ensure(int sizeHint)
        {
            var needed = WrittenCount + Math.Max(sizeHint, 1);
            if (needed <= _array.Length) return;
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _array.Length * 2));
            Buffer.BlockCopy(_array, 0, larger, 0, WrittenCount);
            ArrayPool<byte>.Shared.Return(_array);
            _array = larger;
        }

        public void Dispose()
        {
            var array = _array;
            _array = System.Array.Empty<byte>();
            WrittenCount = 0;
            if (array.Length > 0) ArrayPool<byte>.Shared.Return(array);
        }
    }
}
