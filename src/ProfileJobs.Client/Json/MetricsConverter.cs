using System;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProfileJobs.Json
{
    /// <summary>
    /// Reads a job's <c>metrics</c>, a JSON-encoded string on Azure and an object elsewhere, straight into
    /// <see cref="JobMetricsBody"/>: no JsonDocument per job, which a JsonElement property would cost on every listing.
    /// </summary>
    internal sealed class MetricsConverter : JsonConverter<JobMetricsBody?>
    {
        public override JobMetricsBody? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            TryRead(ref reader, out var records, out var time) ? new JobMetricsBody { RecordsProcessed = records, TimeTakenInSec = time } : null;

        /// <summary>
        /// Reads the <c>metrics</c> value the reader is on (leaving it on the value's last token): true with its two
        /// numbers for an object or a string holding one, false (no metrics) for anything else. The one reading of
        /// metrics, for this converter and for <see cref="SystemJobs.SystemJobReader"/>.
        /// </summary>
        public static bool TryRead(ref Utf8JsonReader reader, out long? recordsProcessed, out double? timeTakenInSec)
        {
            recordsProcessed = null;
            timeTakenInSec = null;
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    var text = reader.GetString();
                    if (string.IsNullOrWhiteSpace(text)) return false;
                    var inner = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(text));
                    if (!(inner.Read() && inner.TokenType == JsonTokenType.StartObject)) return false;
                    ReadObject(ref inner, out recordsProcessed, out timeTakenInSec);
                    return true;
                case JsonTokenType.StartObject:
                    ReadObject(ref reader, out recordsProcessed, out timeTakenInSec);
                    return true;
                default:
                    reader.Skip();
                    return false;
            }
        }

        public override void Write(Utf8JsonWriter writer, JobMetricsBody? value, JsonSerializerOptions options) =>
            throw new NotSupportedException("Job metrics are only read.");

        private static void ReadObject(ref Utf8JsonReader reader, out long? recordsProcessed, out double? timeTakenInSec)
        {
            recordsProcessed = null;
            timeTakenInSec = null;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                if (reader.TokenType != JsonTokenType.PropertyName) continue;
                var isRecords = reader.ValueTextEquals("recordsProcessed");
                var isTime = !isRecords && reader.ValueTextEquals("timeTakenInSec");
                reader.Read();
                if (isRecords) recordsProcessed = ReadNumber(ref reader) is double records ? (long)records : (long?)null;
                else if (isTime) timeTakenInSec = ReadNumber(ref reader);
                else reader.Skip();
            }
        }

        private static double? ReadNumber(ref Utf8JsonReader reader)
        {
            if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var number)) return number;
            if (reader.TokenType == JsonTokenType.String &&
                double.TryParse(reader.GetString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var parsed)) return parsed;
            reader.Skip();
            return null;
        }
    }
}
