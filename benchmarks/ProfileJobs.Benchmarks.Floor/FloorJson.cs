using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace ProfileJobs.Benchmarks.Floor;

// The floor's models: exactly the fields of the unified (Gen C) contract and the hygiene APIs, read and written by
// source-generated System.Text.Json. Nothing else: this is the least a client can do with the same responses.

internal sealed class FloorToken
{
    [JsonPropertyName("access_token")] public string? AccessToken { get; set; }
    [JsonPropertyName("expires_in")] public long ExpiresIn { get; set; }
}

internal sealed class FloorJobPage
{
    [JsonPropertyName("_page")] public FloorPageInfo? Page { get; set; }
    [JsonPropertyName("children")] public List<FloorJob>? Children { get; set; }
}

internal sealed class FloorPageInfo
{
    [JsonPropertyName("pageSize")] public int? PageSize { get; set; }
    [JsonPropertyName("start")] public string? Start { get; set; }
    [JsonPropertyName("totalCount")] public long? TotalCount { get; set; }
    [JsonPropertyName("next")] public int? Next { get; set; }
}

internal sealed class FloorJob
{
    [JsonPropertyName("requestId")] public string? RequestId { get; set; }
    [JsonPropertyName("requestType")] public string? RequestType { get; set; }
    [JsonPropertyName("imsOrgId")] public string? ImsOrgId { get; set; }
    [JsonPropertyName("sandbox")] public FloorSandbox? Sandbox { get; set; }
    [JsonPropertyName("status")] public string? Status { get; set; }
    [JsonPropertyName("properties")] public FloorJobProperties? Properties { get; set; }
    [JsonPropertyName("createdAt")] public DateTimeOffset? CreatedAt { get; set; }
    [JsonPropertyName("updatedAt")] public DateTimeOffset? UpdatedAt { get; set; }
    [JsonPropertyName("metrics")] public FloorMetrics? Metrics { get; set; }
}

internal sealed class FloorSandbox
{
    [JsonPropertyName("sandboxName")] public string? SandboxName { get; set; }
    [JsonPropertyName("sandboxId")] public string? SandboxId { get; set; }
}

internal sealed class FloorJobProperties
{
    [JsonPropertyName("datasetId")] public string? DatasetId { get; set; }
    [JsonPropertyName("batchId")] public string? BatchId { get; set; }
}

internal sealed class FloorMetrics
{
    [JsonPropertyName("recordsProcessed")] public long? RecordsProcessed { get; set; }
    [JsonPropertyName("timeTakenInSec")] public double? TimeTakenInSec { get; set; }
}

internal sealed class FloorPrivacyRequest
{
    [JsonPropertyName("companyContexts")] public List<FloorCompanyContext> CompanyContexts { get; set; } = new();
    [JsonPropertyName("users")] public List<FloorPrivacyUser> Users { get; set; } = new();
}

internal sealed class FloorCompanyContext
{
    [JsonPropertyName("namespace")] public string Namespace { get; set; } = "imsOrgID";
    [JsonPropertyName("value")] public string Value { get; set; } = "";
}

internal sealed class FloorPrivacyUser
{
    [JsonPropertyName("key")] public string? Key { get; set; }
    [JsonPropertyName("action")] public List<string>? Action { get; set; }
    [JsonPropertyName("userIDs")] public List<FloorIdentity>? UserIds { get; set; }
}

internal sealed class FloorIdentity
{
    [JsonPropertyName("namespace")] public string? Namespace { get; set; }
    [JsonPropertyName("value")] public string? Value { get; set; }
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("namespaceId")] public int? NamespaceId { get; set; }
}

internal sealed class FloorPrivacyCreated
{
    [JsonPropertyName("requestId")] public string? RequestId { get; set; }
    [JsonPropertyName("totalRecords")] public int? TotalRecords { get; set; }
    [JsonPropertyName("jobs")] public List<FloorPrivacyJob>? Jobs { get; set; }
}

internal sealed class FloorPrivacyJob
{
    [JsonPropertyName("jobId")] public string? JobId { get; set; }
    [JsonPropertyName("customer")] public FloorCustomer? Customer { get; set; }
}

internal sealed class FloorCustomer
{
    [JsonPropertyName("user")] public FloorPrivacyUser? User { get; set; }
}

internal sealed class FloorWorkOrderRequest
{
    [JsonPropertyName("displayName")] public string DisplayName { get; set; } = "";
    [JsonPropertyName("action")] public string Action { get; set; } = "delete_identity";
    [JsonPropertyName("datasetId")] public string DatasetId { get; set; } = "";
    [JsonPropertyName("namespacesIdentities")] public List<FloorNamespaceIdentities> NamespacesIdentities { get; set; } = new();
}

internal sealed class FloorNamespaceIdentities
{
    [JsonPropertyName("namespace")] public FloorNamespaceCode Namespace { get; set; } = new();
    [JsonPropertyName("IDs")] public IReadOnlyList<string> Ids { get; set; } = Array.Empty<string>();
}

internal sealed class FloorNamespaceCode
{
    [JsonPropertyName("code")] public string Code { get; set; } = "";
}

internal sealed class FloorWorkOrder
{
    [JsonPropertyName("workorderId")] public string? WorkOrderId { get; set; }
    [JsonPropertyName("orgId")] public string? OrgId { get; set; }
    [JsonPropertyName("bundleId")] public string? BundleId { get; set; }
    [JsonPropertyName("action")] public string? Action { get; set; }
    [JsonPropertyName("createdAt")] public DateTimeOffset? CreatedAt { get; set; }
    [JsonPropertyName("updatedAt")] public DateTimeOffset? UpdatedAt { get; set; }
    [JsonPropertyName("operationCount")] public long? OperationCount { get; set; }
    [JsonPropertyName("targetServices")] public List<string>? TargetServices { get; set; }
    [JsonPropertyName("status")] public string? Status { get; set; }
    [JsonPropertyName("createdBy")] public string? CreatedBy { get; set; }
    [JsonPropertyName("datasetId")] public string? DatasetId { get; set; }
    [JsonPropertyName("datasetName")] public string? DatasetName { get; set; }
    [JsonPropertyName("displayName")] public string? DisplayName { get; set; }
    [JsonPropertyName("description")] public string? Description { get; set; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FloorToken))]
[JsonSerializable(typeof(FloorJobPage))]
[JsonSerializable(typeof(FloorJob))]
[JsonSerializable(typeof(FloorPrivacyRequest))]
[JsonSerializable(typeof(FloorPrivacyCreated))]
[JsonSerializable(typeof(FloorWorkOrderRequest))]
[JsonSerializable(typeof(FloorWorkOrder))]
internal sealed partial class FloorJsonContext : JsonSerializerContext
{
}
