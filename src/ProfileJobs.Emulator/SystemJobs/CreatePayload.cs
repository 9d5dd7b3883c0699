using System;
using System.Text.Json;

namespace ProfileJobs.Emulator.SystemJobs;

/// <summary>Parsed body of <c>POST /system/jobs</c>: <c>dataSetId</c>/<c>datasetId</c> and/or <c>batchId</c>.</summary>
internal readonly record struct CreatePayload(string? DatasetId, string? BatchId)
{
    public static bool TryParse(ReadOnlyMemory<byte> body, bool allowBatchOnly, out CreatePayload payload, out string error)
    {
        payload = default;
        error = string.Empty;
        if (body.IsEmpty)
        {
            error = "The request body is empty; send {\"datasetId\":\"...\"} or {\"datasetId\":\"...\",\"batchId\":\"...\"}.";
            return false;
        }

        try
        {
            using JsonDocument doc = JsonDocument.Parse(body);
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "The request body must be a JSON object.";
                return false;
            }

            if (!TryString(root, "dataSetId", out string? upper, out error) ||
                !TryString(root, "datasetId", out string? lower, out error) ||
                !TryString(root, "batchId", out string? batchId, out error))
            {
                return false;
            }

            if (upper != null && lower != null && !string.Equals(upper, lower, StringComparison.Ordinal))
            {
                error = "dataSetId and datasetId are both given with different values.";
                return false;
            }

            string? datasetId = upper ?? lower;
            if (datasetId == null && batchId == null)
            {
                error = allowBatchOnly
                    ? "Either dataSetId (dataset delete) or batchId (batch delete) must be specified."
                    : "datasetId is required (add batchId to delete a single batch).";
                return false;
            }

            if (datasetId == null && !allowBatchOnly)
            {
                error = "datasetId is required together with batchId.";
                return false;
            }

            payload = new CreatePayload(datasetId, batchId);
            return true;
        }
        catch (JsonException ex)
        {
            error = "Malformed JSON: " + ex.Message;
            return false;
        }
    }

    private static bool TryString(JsonElement root, string name, out string? value, out string error)
    {
        value = null;
        error = string.Empty;
        if (!root.TryGetProperty(name, out JsonElement e) || e.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (e.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(e.GetString()))
        {
            error = $"{name} must be a non-empty string.";
            return false;
        }

        value = e.GetString()!.Trim();
        return true;
    }
}
