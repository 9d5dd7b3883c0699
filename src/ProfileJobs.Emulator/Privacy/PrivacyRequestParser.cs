using System;
using System.Collections.Generic;
using System.Text.Json;

namespace ProfileJobs.Emulator.Privacy;

/// <summary>One validated user of a privacy request.</summary>
internal sealed record PrivacyUserRequest(int Index, string? Key, IReadOnlyList<string> Actions, IReadOnlyList<PrivacyIdentity> UserIds);

/// <summary>A validated <c>POST /data/core/privacy/jobs</c> body.</summary>
internal sealed record PrivacyCreateRequest(IReadOnlyList<PrivacyUserRequest> Users, string? Regulation, IReadOnlyList<string> Products)
{
    public bool IsHygieneBeta => Regulation == null;
}

/// <summary>Collected validation messages; keeps the first <see cref="Max"/> and counts the rest.</summary>
internal sealed class ErrorList
{
    public const int Max = 100;

    public List<string> Messages { get; } = new();

    public int Total { get; private set; }

    public bool Any => Total > 0;

    public void Add(string message)
    {
        Total++;
        if (Messages.Count < Max)
        {
            Messages.Add(message);
        }
    }
}

/// <summary>
/// Validates a privacy job request as aep-api.md 5.5 describes: companyContexts with the caller's org, 1..N users,
/// actions ⊆ {access, delete}, 1..9 userIDs with namespace/value/type; Privacy mode when include and regulation are
/// both present, hygiene-beta record delete when both are absent (delete only).
/// </summary>
internal static class PrivacyRequestParser
{
    public const int MaxIdentitiesPerUser = 9;

    public static PrivacyCreateRequest? Parse(ReadOnlyMemory<byte> body, string orgId, int maxUsers, ErrorList errors)
    {
        if (body.IsEmpty)
        {
            errors.Add("The request body is empty; send {\"companyContexts\":[...],\"users\":[...]}.");
            return null;
        }

        JsonDocument doc;
        try
        {
            // The DOC-HBETA sample body has a trailing comma; accept it so the documented example works verbatim.
            doc = JsonDocument.Parse(body, new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            errors.Add("Malformed JSON: " + ex.Message);
            return null;
        }

        using (doc)
        {
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                errors.Add("The request body must be a JSON object.");
                return null;
            }

            CheckCompanyContexts(root, orgId, errors);
            List<PrivacyUserRequest> users = ParseUsers(root, maxUsers, errors);

            bool hasInclude = Present(root, "include", out JsonElement include);
            bool hasRegulation = Present(root, "regulation", out JsonElement regulationEl);
            string? regulation = null;
            var products = new List<string>();
            if (hasInclude && hasRegulation)
            {
                string? r = regulationEl.ValueKind == JsonValueKind.String ? regulationEl.GetString()?.Trim().ToLowerInvariant() : null;
                if (r == null || !PrivacyCatalog.Regulations.Contains(r))
                {
                    errors.Add($"regulation {Show(regulationEl)} is not a supported regulation (for example gdpr, ccpa, cpra_ca_usa, lgpd_bra).");
                }
                else
                {
                    regulation = r;
                }

                if (include.ValueKind != JsonValueKind.Array || include.GetArrayLength() == 0)
                {
                    errors.Add("include must be a non-empty array of product names (for example [\"profileService\",\"AdobeCloudPlatform\"]).");
                }
                else
                {
                    int i = 0;
                    foreach (JsonElement p in include.EnumerateArray())
                    {
                        string? name = p.ValueKind == JsonValueKind.String ? p.GetString()?.Trim() : null;
                        if (string.IsNullOrEmpty(name))
                        {
                            errors.Add($"include[{i}] must be a non-empty string.");
                        }
                        else if (!products.Contains(name))
                        {
                            products.Add(name);
                        }

                        i++;
                    }
                }
            }
            else if (hasInclude || hasRegulation)
            {
                errors.Add(hasInclude
                    ? "include was given without regulation: send both (Privacy Service job) or neither (Data Hygiene record delete)."
                    : "regulation was given without include: send both (Privacy Service job) or neither (Data Hygiene record delete).");
            }
            else
            {
                products.AddRange(PrivacyCatalog.HygieneProducts);
                foreach (PrivacyUserRequest user in users)
                {
                    foreach (string action in user.Actions)
                    {
                        if (action != "delete")
                        {
                            errors.Add($"{UserLabel(user.Index, user.Key)}: action '{action}' needs include and regulation (Privacy Service job); a record delete without them accepts only 'delete'.");
                        }
                    }
                }
            }

            CheckOptional(root, errors);
            return errors.Any ? null : new PrivacyCreateRequest(users, regulation, products);
        }
    }

    private static void CheckCompanyContexts(JsonElement root, string orgId, ErrorList errors)
    {
        string hint = $"companyContexts must contain {{\"namespace\":\"imsOrgID\",\"value\":\"{orgId}\"}} (the x-gw-ims-org-id org).";
        if (!Present(root, "companyContexts", out JsonElement contexts) || contexts.ValueKind != JsonValueKind.Array || contexts.GetArrayLength() == 0)
        {
            errors.Add("companyContexts is required: " + hint);
            return;
        }

        bool found = false;
        string? otherOrg = null;
        int i = 0;
        foreach (JsonElement c in contexts.EnumerateArray())
        {
            if (c.ValueKind != JsonValueKind.Object ||
                !c.TryGetProperty("namespace", out JsonElement ns) || ns.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(ns.GetString()) ||
                !c.TryGetProperty("value", out JsonElement value) || value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
            {
                errors.Add($"companyContexts[{i}] must be an object with non-empty string namespace and value.");
                i++;
                continue;
            }

            string n = ns.GetString()!.Trim();
            if (n == "imsOrgID" || n == "imsOrgId")
            {
                if (string.Equals(value.GetString()!.Trim(), orgId, StringComparison.Ordinal))
                {
                    found = true;
                }
                else
                {
                    otherOrg = value.GetString();
                }
            }

            i++;
        }

        if (!found)
        {
            errors.Add(otherOrg != null
                ? $"companyContexts names org '{otherOrg}', which is not the x-gw-ims-org-id org '{orgId}'."
                : "companyContexts has no imsOrgID entry: " + hint);
        }
    }

    private static List<PrivacyUserRequest> ParseUsers(JsonElement root, int maxUsers, ErrorList errors)
    {
        var users = new List<PrivacyUserRequest>();
        if (!Present(root, "users", out JsonElement arr) || arr.ValueKind != JsonValueKind.Array)
        {
            errors.Add("users is required: an array of 1 to " + maxUsers + " users.");
            return users;
        }

        int count = arr.GetArrayLength();
        if (count == 0)
        {
            errors.Add("users is empty; send at least one user.");
            return users;
        }

        if (count > maxUsers)
        {
            errors.Add($"users has {count} entries; at most {maxUsers} are allowed per request.");
        }

        int index = 0;
        foreach (JsonElement u in arr.EnumerateArray())
        {
            PrivacyUserRequest? user = ParseUser(u, index, errors);
            if (user != null)
            {
                users.Add(user);
            }

            index++;
        }

        return users;
    }

    private static PrivacyUserRequest? ParseUser(JsonElement u, int index, ErrorList errors)
    {
        if (u.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"users[{index}] must be a JSON object.");
            return null;
        }

        int before = errors.Total;
        string? key = null;
        if (Present(u, "key", out JsonElement k))
        {
            if (k.ValueKind != JsonValueKind.String)
            {
                errors.Add($"users[{index}]: key must be a string.");
            }
            else
            {
                key = k.GetString();
            }
        }

        string label = UserLabel(index, key);
        var actions = new List<string>();
        if (!Present(u, "action", out JsonElement a) || a.ValueKind != JsonValueKind.Array || a.GetArrayLength() == 0)
        {
            errors.Add($"{label}: action must be a non-empty array of \"access\" and/or \"delete\".");
        }
        else
        {
            foreach (JsonElement item in a.EnumerateArray())
            {
                string? value = item.ValueKind == JsonValueKind.String ? item.GetString()?.Trim().ToLowerInvariant() : null;
                if (value != "access" && value != "delete")
                {
                    errors.Add($"{label}: action {Show(item)} is not one of access, delete.");
                }
                else if (actions.Contains(value))
                {
                    errors.Add($"{label}: action '{value}' is listed twice.");
                }
                else
                {
                    actions.Add(value);
                }
            }
        }

        var ids = new List<PrivacyIdentity>();
        if (!Present(u, "userIDs", out JsonElement idArr) || idArr.ValueKind != JsonValueKind.Array || idArr.GetArrayLength() == 0)
        {
            errors.Add($"{label}: userIDs must be a non-empty array (1 to {MaxIdentitiesPerUser} identities).");
        }
        else
        {
            int n = idArr.GetArrayLength();
            if (n > MaxIdentitiesPerUser)
            {
                errors.Add($"{label}: userIDs has {n} identities; at most {MaxIdentitiesPerUser} are allowed.");
            }

            int i = 0;
            foreach (JsonElement id in idArr.EnumerateArray())
            {
                PrivacyIdentity? identity = ParseIdentity(id, $"{label}: userIDs[{i}]", errors);
                if (identity != null)
                {
                    ids.Add(identity);
                }

                i++;
            }
        }

        return errors.Total == before ? new PrivacyUserRequest(index, key, actions, ids) : null;
    }

    private static PrivacyIdentity? ParseIdentity(JsonElement id, string at, ErrorList errors)
    {
        if (id.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{at} must be an object with namespace, value and type.");
            return null;
        }

        int before = errors.Total;
        string? ns = NonEmptyString(id, "namespace");
        if (ns == null)
        {
            errors.Add($"{at}.namespace must be a non-empty string.");
        }

        string? value = NonEmptyString(id, "value");
        if (value == null)
        {
            errors.Add($"{at}.value must be a non-empty string.");
        }

        string? type = null;
        if (!Present(id, "type", out JsonElement t))
        {
            errors.Add($"{at}.type is required: one of {PrivacyCatalog.IdentityTypeList}.");
        }
        else if (t.ValueKind != JsonValueKind.String || !PrivacyCatalog.IdentityTypes.TryGetValue(t.GetString()!.Trim(), out type))
        {
            errors.Add($"{at}.type {Show(t)} is not one of {PrivacyCatalog.IdentityTypeList}.");
        }

        bool deletedClientSide = false;
        if (Present(id, "isDeletedClientSide", out JsonElement d))
        {
            if (d.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                errors.Add($"{at}.isDeletedClientSide must be a boolean.");
            }
            else
            {
                deletedClientSide = d.GetBoolean();
            }
        }

        if (errors.Total != before)
        {
            return null;
        }

        return new PrivacyIdentity(ns!, value!, type!, PrivacyCatalog.NamespaceIdFor(type!, ns!), deletedClientSide);
    }

    private static void CheckOptional(JsonElement root, ErrorList errors)
    {
        if (Present(root, "priority", out JsonElement p))
        {
            string? v = p.ValueKind == JsonValueKind.String ? p.GetString() : null;
            if (v != "normal" && v != "low")
            {
                errors.Add($"priority {Show(p)} must be \"normal\" or \"low\".");
            }
        }

        foreach (string name in new[] { "expandIds", "expandIDs" })
        {
            if (Present(root, name, out JsonElement e) && e.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                errors.Add($"{name} must be a boolean.");
            }
        }
    }

    internal static string UserLabel(int index, string? key) =>
        key == null ? $"users[{index}]" : $"users[{index}] (key '{key}')";

    private static string? NonEmptyString(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString())
            ? v.GetString()
            : null;

    private static bool Present(JsonElement e, string name, out JsonElement value) =>
        e.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    private static string Show(JsonElement e)
    {
        string raw = e.ValueKind == JsonValueKind.String ? "'" + e.GetString() + "'" : e.GetRawText();
        return raw.Length > 60 ? raw.Substring(0, 57) + "..." : raw;
    }
}
