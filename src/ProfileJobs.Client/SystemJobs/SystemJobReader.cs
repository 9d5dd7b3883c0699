using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using ProfileJobs.Json;

namespace ProfileJobs.SystemJobs
{
    /// <summary>The fields of one job in any generation's shape, as read: a value on the stack, no object per job.</summary>
    internal struct JobFields
    {
        // Azure (Gen A)
        public string? Id;
        public string? JobType;
        public string? DataSetIdAzure;
        public string? DatasetId;
        public string? BatchId;
        public long? CreateEpoch;
        public long? UpdateEpoch;

        // AWS and unified (Gen B, C)
        public string? RequestId;
        public string? RequestType;
        public string? SandboxName;
        public string? SandboxId;
        public string? PropertiesDatasetId;
        public string? PropertiesBatchId;
        public DateTimeOffset? CreatedAt;
        public DateTimeOffset? UpdatedAt;

        // Both
        public string? ImsOrgId;
        public string? Status;
        public bool HasMetrics;
        public long? RecordsProcessed;
        public double? TimeTakenInSec;
    }

    /// <summary>The paging fields of a <c>_page</c> envelope, as read.</summary>
    internal struct PageFields
    {
        public bool Present;
        public int? PageSize;
        public long? TotalCount;

        /// <summary>Undefined when there is no <c>next</c>.</summary>
        public JsonValueKind NextKind;

        /// <summary>A string <c>next</c> as its value, any other as its JSON text.</summary>
        public string? NextText;
    }

    /// <summary>
    /// Reads system-job answers straight from their UTF-8 bytes into <see cref="ProfileSystemJob"/>s: no body objects
    /// per job, timestamps parsed from the bytes, and the strings a listing repeats (statuses, types, the organization,
    /// sandbox and datasets) made once. It reads exactly what the serializer's bodies (<see cref="SystemJobBody"/>,
    /// <see cref="SystemJobPageBody"/>) would: whenever an answer holds anything it does not read as the serializer does
    /// (a field of an unexpected type, a number sent as a string, an escaped property name, a null job, malformed JSON),
    /// it says so and the caller reads that answer with the serializer, so tolerance and errors stay as they were.
    /// One per listing (its strings are not shared across threads); <see cref="Plain"/> caches nothing and may be shared.
    /// </summary>
    internal sealed class SystemJobReader
    {
        /// <summary>Keeps no strings: for single jobs, from any thread.</summary>
        public static readonly SystemJobReader Plain = new SystemJobReader(cache: false);

        private readonly Utf8StringCache? _status;
        private readonly Utf8StringCache? _type;
        private readonly Utf8StringCache? _org;
        private readonly Utf8StringCache? _sandbox;
        private readonly Utf8StringCache? _dataset;

        public SystemJobReader(bool cache = true)
        {
            if (!cache) return;
            _status = new Utf8StringCache(8);
            _type = new Utf8StringCache(4);
            _org = new Utf8StringCache(2);
            _sandbox = new Utf8StringCache(4);
            _dataset = new Utf8StringCache(16);
        }

        /// <summary>
        /// Reads a page: a bare array (AWS) or a <c>_page</c>/<c>children</c> envelope, its jobs mapped with generation
        /// Auto (the caller sets the page's). False when the serializer must read it instead (see the class).
        /// </summary>
        public bool TryReadPage(byte[] body, ExperiencePlatformContext context, List<ProfileSystemJob> jobs, out bool bareArray, out PageFields info, out string? firstItemId)
        {
            bareArray = false;
            info = default;
            firstItemId = null;
            try
            {
                var reader = new Utf8JsonReader(body);
                if (!reader.Read()) return false;
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    bareArray = true;
                    if (!ReadJobs(ref reader, context, jobs, out firstItemId)) return false;
                }
                else if (reader.TokenType == JsonTokenType.StartObject)
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        if (reader.ValueIsEscaped) return false;
                        if (reader.ValueTextEquals("children"))
                        {
                            reader.Read();
                            jobs.Clear();
                            firstItemId = null;
                            if (reader.TokenType == JsonTokenType.Null) continue;
                            if (reader.TokenType != JsonTokenType.StartArray || !ReadJobs(ref reader, context, jobs, out firstItemId)) return false;
                        }
                        else if (reader.ValueTextEquals("_page"))
                        {
                            reader.Read();
                            info = default;
                            if (reader.TokenType == JsonTokenType.Null) continue;
                            if (reader.TokenType != JsonTokenType.StartObject || !ReadPageInfo(ref reader, ref info)) return false;
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
                    return false;
                }
                // Anything after the one value is the serializer's error to report.
                return !reader.Read();
            }
            catch (Exception ex) when (ex is JsonException || ex is InvalidOperationException || ex is FormatException)
            {
                return false;
            }
        }

        /// <summary>Reads one job's object into <paramref name="fields"/>; false when the serializer must read it instead.</summary>
        public bool TryReadJob(byte[] body, out JobFields fields)
        {
            fields = default;
            try
            {
                var reader = new Utf8JsonReader(body);
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject || !ReadJob(ref reader, ref fields)) return false;
                return !reader.Read();
            }
            catch (Exception ex) when (ex is JsonException || ex is InvalidOperationException || ex is FormatException)
            {
                return false;
            }
        }

        private bool ReadJobs(ref Utf8JsonReader reader, ExperiencePlatformContext context, List<ProfileSystemJob> jobs, out string? firstItemId)
        {
            firstItemId = null;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                // A null job is left to the serializer's path, which fails on it as it always did.
                if (reader.TokenType != JsonTokenType.StartObject) return false;
                var fields = default(JobFields);
                if (!ReadJob(ref reader, ref fields)) return false;
                if (jobs.Count == 0) firstItemId = fields.RequestId ?? fields.Id;
                jobs.Add(SystemJobMapper.ToJob(in fields, ApiGeneration.Auto, context));
            }
            return true;
        }

        /// <summary>The reader is on the job's StartObject; it ends on its EndObject. The last of repeated fields wins, as in the serializer.</summary>
        private bool ReadJob(ref Utf8JsonReader reader, ref JobFields f)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueIsEscaped) return false;
                var name = reader.ValueSpan;
                reader.Read();
                bool ok;
                switch (name.Length)
                {
                    case 2 when Is(name, "id"):
                        ok = ReadString(ref reader, null, out f.Id);
                        break;
                    case 6 when Is(name, "status"):
                        ok = ReadString(ref reader, _status, out f.Status);
                        break;
                    case 7 when Is(name, "jobType"):
                        ok = ReadString(ref reader, _type, out f.JobType);
                        break;
                    case 7 when Is(name, "batchId"):
                        ok = ReadString(ref reader, null, out f.BatchId);
                        break;
                    case 7 when Is(name, "sandbox"):
                        ok = ReadSandbox(ref reader, ref f);
                        break;
                    case 7 when Is(name, "metrics"):
                        if (reader.TokenType == JsonTokenType.Null)
                        {
                            f.HasMetrics = false;
                            f.RecordsProcessed = null;
                            f.TimeTakenInSec = null;
                        }
                        else
                        {
                            f.HasMetrics = MetricsConverter.TryRead(ref reader, out f.RecordsProcessed, out f.TimeTakenInSec);
                        }
                        ok = true;
                        break;
                    case 8 when Is(name, "imsOrgId"):
                        ok = ReadString(ref reader, _org, out f.ImsOrgId);
                        break;
                    case 9 when Is(name, "requestId"):
                        ok = ReadString(ref reader, null, out f.RequestId);
                        break;
                    case 9 when Is(name, "datasetId"):
                        ok = ReadString(ref reader, _dataset, out f.DatasetId);
                        break;
                    case 9 when Is(name, "dataSetId"):
                        ok = ReadString(ref reader, _dataset, out f.DataSetIdAzure);
                        break;
                    case 9 when Is(name, "createdAt"):
                        ok = ReadTime(ref reader, out f.CreatedAt);
                        break;
                    case 9 when Is(name, "updatedAt"):
                        ok = ReadTime(ref reader, out f.UpdatedAt);
                        break;
                    case 10 when Is(name, "properties"):
                        ok = ReadProperties(ref reader, ref f);
                        break;
                    case 11 when Is(name, "requestType"):
                        ok = ReadString(ref reader, _type, out f.RequestType);
                        break;
                    case 11 when Is(name, "createEpoch"):
                        ok = ReadLong(ref reader, out f.CreateEpoch);
                        break;
                    case 11 when Is(name, "updateEpoch"):
                        ok = ReadLong(ref reader, out f.UpdateEpoch);
                        break;
                    default:
                        reader.Skip();
                        ok = true;
                        break;
                }
                if (!ok) return false;
            }
            return reader.TokenType == JsonTokenType.EndObject;
        }

        private bool ReadSandbox(ref Utf8JsonReader reader, ref JobFields f) =>
            ReadStringPair(ref reader, "sandboxName", _sandbox, out f.SandboxName, "sandboxId", _sandbox, out f.SandboxId);

        private bool ReadProperties(ref Utf8JsonReader reader, ref JobFields f) =>
            ReadStringPair(ref reader, "datasetId", _dataset, out f.PropertiesDatasetId, "batchId", null, out f.PropertiesBatchId);

        /// <summary>A nested object (or null) of which two string properties are read, the rest skipped.</summary>
        private static bool ReadStringPair(ref Utf8JsonReader reader, string firstName, Utf8StringCache? firstCache, out string? first,
            string secondName, Utf8StringCache? secondCache, out string? second)
        {
            first = null;
            second = null;
            if (reader.TokenType == JsonTokenType.Null) return true;
            if (reader.TokenType != JsonTokenType.StartObject) return false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueIsEscaped) return false;
                var isFirst = reader.ValueTextEquals(firstName);
                var isSecond = !isFirst && reader.ValueTextEquals(secondName);
                reader.Read();
                if (isFirst) { if (!ReadString(ref reader, firstCache, out first)) return false; }
                else if (isSecond) { if (!ReadString(ref reader, secondCache, out second)) return false; }
                else reader.Skip();
            }
            return true;
        }

        /// <summary><c>_page</c>: the fields the serializer's <see cref="PageInfoBody"/> has, of the types it accepts.</summary>
        private static bool ReadPageInfo(ref Utf8JsonReader reader, ref PageFields info)
        {
            info.Present = true;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueIsEscaped) return false;
                var isCount = reader.ValueTextEquals("count");
                var isPageSize = !isCount && reader.ValueTextEquals("pageSize");
                var isTotal = !isCount && !isPageSize && reader.ValueTextEquals("totalCount");
                var isNext = !isCount && !isPageSize && !isTotal && reader.ValueTextEquals("next");
                reader.Read();
                if (isCount || isPageSize)
                {
                    if (!ReadInt(ref reader, out var value)) return false;
                    if (isPageSize) info.PageSize = value;
                }
                else if (isTotal)
                {
                    if (!ReadLong(ref reader, out info.TotalCount)) return false;
                }
                else if (isNext)
                {
                    info.NextKind = KindOf(reader.TokenType);
                    switch (reader.TokenType)
                    {
                        case JsonTokenType.Null:
                            info.NextText = null;
                            break;
                        case JsonTokenType.String:
                            info.NextText = reader.GetString();
                            break;
                        case JsonTokenType.Number:
                        case JsonTokenType.True:
                        case JsonTokenType.False:
                            info.NextText = Encoding.UTF8.GetString(reader.ValueSpan.ToArray());
                            break;
                        default:
                            return false; // an object or array cursor: the serializer's JsonElement keeps its text
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
            return true;
        }

        private static JsonValueKind KindOf(JsonTokenType token)
        {
            switch (token)
            {
                case JsonTokenType.Null: return JsonValueKind.Null;
                case JsonTokenType.String: return JsonValueKind.String;
                case JsonTokenType.Number: return JsonValueKind.Number;
                case JsonTokenType.True: return JsonValueKind.True;
                case JsonTokenType.False: return JsonValueKind.False;
                default: return JsonValueKind.Undefined;
            }
        }

        private static bool Is(ReadOnlySpan<byte> name, string expected)
        {
            for (var i = 0; i < name.Length; i++)
            {
                if (name[i] != expected[i]) return false;
            }
            return true;
        }

        /// <summary>A string or null, as the serializer reads a string property; false for any other token.</summary>
        private static bool ReadString(ref Utf8JsonReader reader, Utf8StringCache? cache, out string? value)
        {
            value = null;
            if (reader.TokenType == JsonTokenType.Null) return true;
            if (reader.TokenType != JsonTokenType.String) return false;
            value = cache != null ? cache.Get(ref reader) : reader.GetString();
            return true;
        }

        /// <summary>A timestamp string: from its bytes when it has the usual form, else as the mapper parses text.</summary>
        private static bool ReadTime(ref Utf8JsonReader reader, out DateTimeOffset? value)
        {
            value = null;
            if (reader.TokenType == JsonTokenType.Null) return true;
            if (reader.TokenType != JsonTokenType.String) return false;
            if (!reader.ValueIsEscaped && !reader.HasValueSequence && IsoTimestamp.TryParseUtf8(reader.ValueSpan, out var parsed))
            {
                value = parsed;
                return true;
            }
            value = IsoTimestamp.Parse(reader.GetString());
            return true;
        }

        /// <summary>An integer number or null; a number as a string (which the serializer also reads) is left to it.</summary>
        private static bool ReadLong(ref Utf8JsonReader reader, out long? value)
        {
            value = null;
            if (reader.TokenType == JsonTokenType.Null) return true;
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var number)) return false;
            value = number;
            return true;
        }

        private static bool ReadInt(ref Utf8JsonReader reader, out int? value)
        {
            value = null;
            if (reader.TokenType == JsonTokenType.Null) return true;
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var number)) return false;
            value = number;
            return true;
        }
    }
}
