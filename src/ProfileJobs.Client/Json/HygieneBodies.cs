using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace ProfileJobs.Json
{
    internal sealed class PrivacyJobRequestBody
    {
        [JsonPropertyName("companyContexts")] public List<CompanyContextBody> CompanyContexts { get; set; } = new List<CompanyContextBody>();
        [JsonPropertyName("users")] public List<PrivacyUserBody> Users { get; set; } = new List<PrivacyUserBody>();
    }

    internal sealed class CompanyContextBody
    {
        [JsonPropertyName("namespace")] public string Namespace { get; set; } = "imsOrgID";
        [JsonPropertyName("value")] public string Value { get; set; } = "";
    }

    internal sealed class PrivacyUserBody
    {
        [JsonPropertyName("key")] public string? Key { get; set; }
        [JsonPropertyName("action")] public List<string>? Action { get; set; }
        [JsonPropertyName("userIDs")] public List<PrivacyIdentityBody>? UserIds { get; set; }
    }

    internal sealed class PrivacyIdentityBody
    {
        [JsonPropertyName("namespace")] public string? Namespace { get; set; }
        [JsonPropertyName("value")] public string? Value { get; set; }
        [JsonPropertyName("type")] public string? Type { get; set; }

        [JsonPropertyName("namespaceId")]
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public int? NamespaceId { get; set; }
    }

    internal sealed class PrivacyJobCreatedBody
    {
        [JsonPropertyName("requestId")] public string? RequestId { get; set; }
        [JsonPropertyName("totalRecords")] public int? TotalRecords { get; set; }
        [JsonPropertyName("jobs")] public List<PrivacyCreatedJobBody>? Jobs { get; set; }
    }

    internal sealed class PrivacyCreatedJobBody
    {
        [JsonPropertyName("jobId")] public string? JobId { get; set; }
        [JsonPropertyName("customer")] public PrivacyCustomerBody? Customer { get; set; }
    }

    internal sealed class PrivacyCustomerBody
    {
        [JsonPropertyName("user")] public PrivacyUserBody? User { get; set; }
    }

    internal sealed class PrivacyJobBody
    {
        [JsonPropertyName("jobId")] public string? JobId { get; set; }
        [JsonPropertyName("requestId")] public string? RequestId { get; set; }
        [JsonPropertyName("userKey")] public string? UserKey { get; set; }
        [JsonPropertyName("action")] public string? Action { get; set; }
        [JsonPropertyName("status")] public string? Status { get; set; }
        [JsonPropertyName("submittedBy")] public string? SubmittedBy { get; set; }
        [JsonPropertyName("createdDate")] public string? CreatedDate { get; set; }
        [JsonPropertyName("lastModifiedDate")] public string? LastModifiedDate { get; set; }
        [JsonPropertyName("userIds")] public List<PrivacyIdentityBody>? UserIds { get; set; }
        [JsonPropertyName("productResponses")] public List<ProductResponseBody>? ProductResponses { get; set; }
    }

    internal sealed class PrivacyJobListBody
    {
        [JsonPropertyName("totalRecords")] public long? TotalRecords { get; set; }
        [JsonPropertyName("jobDetails")] public List<PrivacyJobBody>? JobDetails { get; set; }
    }

    internal sealed class WorkOrderUpdateBody
    {
        [JsonPropertyName("displayName")]
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public string? DisplayName { get; set; }

        [JsonPropertyName("description")]
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public string? Description { get; set; }
    }

    internal sealed class ProductResponseBody
    {
        [JsonPropertyName("product")] public string? Product { get; set; }
        [JsonPropertyName("processedDate")] public string? ProcessedDate { get; set; }
        [JsonPropertyName("productStatusResponse")] public ProductStatusResponseBody? StatusResponse { get; set; }
    }

    internal sealed class ProductStatusResponseBody
    {
        [JsonPropertyName("status")] public string? Status { get; set; }
        [JsonPropertyName("message")] public string? Message { get; set; }
    }

    internal sealed class WorkOrderRequestBody
    {
        [JsonPropertyName("displayName")] public string DisplayName { get; set; } = "";

        [JsonPropertyName("description")]
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public string? Description { get; set; }

        [JsonPropertyName("action")] public string Action { get; set; } = "delete_identity";
        [JsonPropertyName("datasetId")] public string DatasetId { get; set; } = "";
        [JsonPropertyName("namespacesIdentities")] public List<NamespaceIdentitiesBody> NamespacesIdentities { get; set; } = new List<NamespaceIdentitiesBody>();
    }

    internal sealed class NamespaceIdentitiesBody
    {
        [JsonPropertyName("namespace")] public NamespaceCodeBody Namespace { get; set; } = new NamespaceCodeBody();
        [JsonPropertyName("IDs")] public List<string> Ids { get; set; } = new List<string>();
    }

    internal sealed class NamespaceCodeBody
    {
        [JsonPropertyName("code")] public string Code { get; set; } = "";
    }

    internal sealed class WorkOrderBody
    {
        [JsonPropertyName("workorderId")] public string? WorkOrderId { get; set; }
        [JsonPropertyName("orgId")] public string? OrgId { get; set; }
        [JsonPropertyName("bundleId")] public string? BundleId { get; set; }
        [JsonPropertyName("action")] public string? Action { get; set; }
        [JsonPropertyName("createdAt")] public string? CreatedAt { get; set; }
        [JsonPropertyName("updatedAt")] public string? UpdatedAt { get; set; }
        [JsonPropertyName("operationCount")] public long? OperationCount { get; set; }
        [JsonPropertyName("targetServices")] public List<string>? TargetServices { get; set; }
        [JsonPropertyName("status")] public string? Status { get; set; }
        [JsonPropertyName("createdBy")] public string? CreatedBy { get; set; }
        [JsonPropertyName("datasetId")] public string? DatasetId { get; set; }
        [JsonPropertyName("datasetName")] public string? DatasetName { get; set; }
        [JsonPropertyName("displayName")] public string? DisplayName { get; set; }
        [JsonPropertyName("description")] public string? Description { get; set; }
        [JsonPropertyName("sandboxName")] public string? SandboxName { get; set; }
        [JsonPropertyName("productStatusDetails")] public List<ProductStatusDetailBody>? ProductStatusDetails { get; set; }
    }

    internal sealed class ProductStatusDetailBody
    {
        [JsonPropertyName("productName")] public string? ProductName { get; set; }
        [JsonPropertyName("productStatus")] public string? ProductStatus { get; set; }
        [JsonPropertyName("createdAt")] public string? CreatedAt { get; set; }
    }

    internal sealed class WorkOrderListBody
    {
        [JsonPropertyName("results")] public List<WorkOrderBody>? Results { get; set; }
        [JsonPropertyName("total")] public long? Total { get; set; }
        [JsonPropertyName("count")] public int? Count { get; set; }
        [JsonPropertyName("_links")] public LinksBody? Links { get; set; }
    }

    internal sealed class LinksBody
    {
        [JsonPropertyName("next")] public LinkBody? Next { get; set; }
    }

    internal sealed class LinkBody
    {
        [JsonPropertyName("href")] public string? Href { get; set; }
    }

    internal sealed class QuotaListBody
    {
        [JsonPropertyName("quotas")] public List<QuotaBody>? Quotas { get; set; }
    }

    internal sealed class QuotaBody
    {
        [JsonPropertyName("name")] public string? Name { get; set; }
        [JsonPropertyName("description")] public string? Description { get; set; }
        [JsonPropertyName("consumed")] public long? Consumed { get; set; }
        [JsonPropertyName("quota")] public long? Quota { get; set; }
    }
}
