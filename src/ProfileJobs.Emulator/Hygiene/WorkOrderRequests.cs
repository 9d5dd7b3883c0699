using System;
using System.Collections.Generic;
using System.Text.Json;

namespace ProfileJobs.Emulator.Hygiene;

/// <summary>A validated <c>POST /workorder</c> body.</summary>
internal sealed record WorkOrderCreate(
    string DisplayName, string? Description, string DatasetId, IReadOnlyList<NamespaceIdentities> Identities, int IdentityCount);

/// <summary>A validated <c>PUT /workorder/{id}</c> body; null members are left unchanged.</summary>
internal sealed record WorkOrderEdit(string? DisplayName, string? Description);

/// <summary>Validation of work-order bodies (aep-api.md 5.4). Each failure yields one message for a 400001 error.</summary>
internal static class WorkOrderRequests
{
    public const int MaxIdentities = 100_000;

    public static WorkOrderCreate? ParseCreate(ReadOnlyMemory<byte> body, out string error)
    {
        error = string.Empty;
        if (!TryRoot(body, out JsonDocument? doc, out error))
        {
            return null;
        }

        using (doc)
        {
            JsonElement root = doc!.RootElement;
            if (!root.TryGetProperty("action", out JsonElement action) || action.ValueKind != JsonValueKind.String)
            {
                error = "action is required: \"delete_identity\" (or \"delete-identity\").";
                return null;
            }

            string a = action.GetString()!;
            if (a != "delete_identity" && a != "delete-identity")
            {
                error = $"action '{a}' is not supported; use \"delete_identity\" (or \"delete-identity\").";
                return null;
            }

            string? displayName = OptionalString(root, "displayName", out error);
            if (error.Length > 0)
            {
                return null;
            }

            if (string.IsNullOrWhiteSpace(displayName))
            {
                error = "displayName is required and must be a non-empty string.";
                return null;
            }

            string? description = OptionalString(root, "description", out error);
            if (error.Length > 0)
            {
                return null;
            }

            if (!root.TryGetProperty("datasetId", out JsonElement ds) || ds.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(ds.GetString()))
            {
                error = "datasetId is required: a dataset id, or \"ALL\" for every dataset.";
                return null;
            }

            string datasetId = ds.GetString()!.Trim();
            if (string.Equals(datasetId, "ALL", StringComparison.OrdinalIgnoreCase))
            {
                datasetId = "ALL";
            }

            if (!root.TryGetProperty("namespacesIdentities", out JsonElement groups) || groups.ValueKind != JsonValueKind.Array || groups.GetArrayLength() == 0)
            {
                error = "namespacesIdentities is required: a non-empty array of {\"namespace\":{\"code\":\"email\"},\"IDs\":[\"...\"]}.";
                return null;
            }

            var result = new List<NamespaceIdentities>();
            int total = 0;
            int g = 0;
            foreach (JsonElement group in groups.EnumerateArray())
            {
                string at = $"namespacesIdentities[{g}]";
                if (group.ValueKind != JsonValueKind.Object)
                {
                    error = $"{at} must be an object with namespace and IDs.";
                    return null;
                }

                if (!group.TryGetProperty("namespace", out JsonElement ns) || ns.ValueKind != JsonValueKind.Object ||
                    !ns.TryGetProperty("code", out JsonElement code) || code.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(code.GetString()))
                {
                    error = $"{at}.namespace.code is required and must be a non-empty string (for example \"email\").";
                    return null;
                }

                if (!group.TryGetProperty("IDs", out JsonElement ids) || ids.ValueKind != JsonValueKind.Array || ids.GetArrayLength() == 0)
                {
                    error = $"{at}.IDs must be a non-empty array of identity values.";
                    return null;
                }

                total += ids.GetArrayLength();
                if (total > MaxIdentities)
                {
                    error = $"namespacesIdentities holds {CountAll(groups)} identities; at most {MaxIdentities} are allowed per work order.";
                    return null;
                }

                var values = new List<string>(ids.GetArrayLength());
                int i = 0;
                foreach (JsonElement id in ids.EnumerateArray())
                {
                    if (id.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(id.GetString()))
                    {
                        error = $"{at}.IDs[{i}] must be a non-empty string.";
                        return null;
                    }

                    values.Add(id.GetString()!);
                    i++;
                }

                result.Add(new NamespaceIdentities(code.GetString()!.Trim(), values));
                g++;
            }

            return new WorkOrderCreate(displayName.Trim(), description, datasetId, result, total);
        }
    }

    public static WorkOrderEdit? ParseEdit(ReadOnlyMemory<byte> body, out string error)
    {
        if (!TryRoot(body, out JsonDocument? doc, out error))
        {
            return null;
        }

        using (doc)
        {
            JsonElement root = doc!.RootElement;
            string? displayName = OptionalString(root, "displayName", out error);
            if (error.Length > 0)
            {
                return null;
            }

            string? name = OptionalString(root, "name", out error);
            if (error.Length > 0)
            {
                return null;
            }

            string? description = OptionalString(root, "description", out error);
            if (error.Length > 0)
            {
                return null;
            }

            string? newName = displayName ?? name;
            if (newName == null && description == null)
            {
                error = "Send displayName (or name) and/or description.";
                return null;
            }

            if (newName != null && string.IsNullOrWhiteSpace(newName))
            {
                error = (displayName != null ? "displayName" : "name") + " must not be empty.";
                return null;
            }

            return new WorkOrderEdit(newName?.Trim(), description);
        }
    }

    private static bool TryRoot(ReadOnlyMemory<byte> body, out JsonDocument? doc, out string error)
    {
        doc = null;
        error = string.Empty;
        if (body.IsEmpty)
        {
            error = "The request body is empty.";
            return false;
        }

        try
        {
            doc = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            error = "Malformed JSON: " + ex.Message;
            return false;
        }

        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            doc.Dispose();
            doc = null;
            error = "The request body must be a JSON object.";
            return false;
        }

        return true;
    }

    private static string? OptionalString(JsonElement root, string name, out string error)
    {
        error = string.Empty;
        if (!root.TryGetProperty(name, out JsonElement e) || e.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (e.ValueKind != JsonValueKind.String)
        {
            error = $"{name} must be a string.";
            return null;
        }

        return e.GetString();
    }

    private static long CountAll(JsonElement groups)
    {
        long n = 0;
        foreach (JsonElement group in groups.EnumerateArray())
        {
            if (group.ValueKind == JsonValueKind.Object && group.TryGetProperty("IDs", out JsonElement ids) && ids.ValueKind == JsonValueKind.Array)
            {
                n += ids.GetArrayLength();
            }
        }

        return n;
    }
}
