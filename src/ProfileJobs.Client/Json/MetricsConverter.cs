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
        public override JobMetricsBody? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    var text = reader.GetString();
                    if (string.IsNullOrWhiteSpace(text)) return null;
                    var inner = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(text));
                    return inner.Read() && inner.TokenType == JsonTokenType.StartObject ? ReadObject(ref inner) : null;
                case JsonTokenType.StartObject:
                    return ReadObject(ref reader);
                default:
                    reader.Skip();
                    return null;
            }
        }

        public override void Write(Utf8JsonWriter writer, JobMetricsBody? value, JsonSerializerOptions options) =>
            throw new NotSupportedException("Job metrics are only read.");

        private static JobMetricsBody ReadObject(ref Utf8JsonReader reader)
        {
            var metrics = new JobMetricsBody();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                if (reader.TokenType != JsonTokenType.PropertyName) continue;
                var isRecords = reader.ValueTextEquals("recordsProcessed");
                var isTime = !isRecords && reader.ValueTextEquals("timeTakenInSec");
                reader.Read();
                if (isRecords) metrics.RecordsProcessed = ReadNumber(ref reader) is double records ? (long)records : (long?)null;
                else if (isTime) metrics.TimeTakenInSec = ReadNumber(ref reader);
                else reader.Skip();
            }
            return metrics;
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
