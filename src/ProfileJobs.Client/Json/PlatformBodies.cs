using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProfileJobs.Json
{
    // The bodies of IMS, platform errors and profile system jobs, as they are on the wire (hygiene ones: HygieneBodies.cs).
    internal sealed class ImsTokenBody
    {
        [JsonPropertyName("access_token")] public string? AccessToken { get; set; }
        [JsonPropertyName("token_type")] public string? TokenType { get; set; }
        [JsonPropertyName("expires_in")] public long ExpiresIn { get; set; }
    }

    internal sealed class ImsErrorBody
    {
        [JsonPropertyName("error")] public string? Error { get; set; }
        [JsonPropertyName("error_description")] public string? ErrorDescription { get; set; }
    }

    /// <summary>
    /// Every error shape the platform uses, read at once: gateway <c>{error_code,message}</c>, RFC 7807 problems,
    /// Profile's Azure <c>{requestId, errors:{"400":[...]}}</c> and its 429 <c>{message, retryAfterMs}</c>.
    /// </summary>
    internal sealed class ErrorBody
    {
        [JsonPropertyName("error_code")] public string? GatewayCode { get; set; }
        [JsonPropertyName("message")] public string? Message { get; set; }
        [JsonPropertyName("type")] public string? Type { get; set; }
        [JsonPropertyName("title")] public string? Title { get; set; }
        [JsonPropertyName("detail")] public string? Detail { get; set; }
        [JsonPropertyName("requestId")] public string? RequestId { get; set; }
        /// <summary>Profile (Azure): an object of arrays keyed by status; Privacy Service: an array.</summary>
        [JsonPropertyName("errors")] public JsonElement Errors { get; set; }
        [JsonPropertyName("retryAfterMs")] public JsonElement RetryAfterMs { get; set; }
    }

    internal sealed class ErrorItem
    {
        [JsonPropertyName("code")] public string? Code { get; set; }
        [JsonPropertyName("message")] public string? Message { get; set; }
    }

    /// <summary>A system job in any of the three generations' shapes.</summary>
    internal sealed class SystemJobBody
    {
        // Azure (Gen A)
        [JsonPropertyName("id")] public string? Id { get; set; }
        [JsonPropertyName("jobType")] public string? JobType { get; set; }
        [JsonPropertyName("dataSetId")] public string? DataSetIdAzure { get; set; }
        [JsonPropertyName("datasetId")] public string? DatasetId { get; set; }
        [JsonPropertyName("batchId")] public string? BatchId { get; set; }
        [JsonPropertyName("createEpoch")] public long? CreateEpoch { get; set; }
        [JsonPropertyName("updateEpoch")] public long? UpdateEpoch { get; set; }

        // AWS and unified (Gen B, C)
        [JsonPropertyName("requestId")] public string? RequestId { get; set; }
        [JsonPropertyName("requestType")] public string? RequestType { get; set; }
        [JsonPropertyName("sandbox")] public SandboxBody? Sandbox { get; set; }
        [JsonPropertyName("properties")] public JobPropertiesBody? Properties { get; set; }
        [JsonPropertyName("createdAt")] public string? CreatedAt { get; set; }
        [JsonPropertyName("updatedAt")] public string? UpdatedAt { get; set; }

        // Both
        [JsonPropertyName("imsOrgId")] public string? ImsOrgId { get; set; }
        [JsonPropertyName("status")] public string? Status { get; set; }

        /// <summary>A JSON-encoded string on Azure, an object where other generations report it.</summary>
        [JsonPropertyName("metrics")]
        [JsonConverter(typeof(MetricsConverter))]
        public JobMetricsBody? Metrics { get; set; }
    }

    internal sealed class SandboxBody
    {
        [JsonPropertyName("sandboxName")] public string? SandboxName { get; set; }
        [JsonPropertyName("sandboxId")] public string? SandboxId { get; set; }
    }

    internal sealed class JobPropertiesBody
    {
        [JsonPropertyName("datasetId")] public string? DatasetId { get; set; }
        [JsonPropertyName("batchId")] public string? BatchId { get; set; }
    }

    internal sealed class JobMetricsBody
    {
        [JsonPropertyName("recordsProcessed")] public long? RecordsProcessed { get; set; }
        [JsonPropertyName("timeTakenInSec")] public double? TimeTakenInSec { get; set; }
    }

    /// <summary>The Azure and unified list envelope.</summary>
    internal sealed class SystemJobPageBody
    {
        [JsonPropertyName("_page")] public PageInfoBody? Page { get; set; }
        [JsonPropertyName("children")] public List<SystemJobBody>? Children { get; set; }
    }

    internal sealed class PageInfoBody
    {
        [JsonPropertyName("count")] public int? Count { get; set; }
        [JsonPropertyName("pageSize")] public int? PageSize { get; set; }
        [JsonPropertyName("totalCount")] public long? TotalCount { get; set; }

        /// <summary>An opaque string on Azure, the next page number on unified instances.</summary>
        [JsonPropertyName("next")] public JsonElement Next { get; set; }
    }

    internal sealed class CreateDatasetDeleteAzureBody
    {
        [JsonPropertyName("dataSetId")] public string? DataSetId { get; set; }
    }

    internal sealed class CreateJobBody
    {
        [JsonPropertyName("datasetId")] public string? DatasetId { get; set; }
        [JsonPropertyName("batchId")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? BatchId { get; set; }
    }
}
