using System;
using System.Collections.Generic;

namespace ProfileJobs
{
    /// <summary>One identity of a customer: a namespace, a value and the namespace's type.</summary>
    public sealed class HygieneIdentity
    {
        public string Namespace { get; set; } = "";
        public string Value { get; set; } = "";

        /// <summary>standard or custom (or another Privacy Service qualifier).</summary>
        public string Type { get; set; } = "";

        /// <summary>The numeric id the platform reports for standard namespaces.</summary>
        public int? NamespaceId { get; set; }

        public override string ToString() => $"{Namespace}:{Value}";
    }

    /// <summary>A record-delete job of the Data Hygiene API (<c>/data/core/privacy/jobs</c>): one per customer.</summary>
    public sealed class HygieneRecordDelete
    {
        public string JobId { get; set; } = "";

        /// <summary>The key the customer was submitted under.</summary>
        public string UserKey { get; set; } = "";

        public IReadOnlyList<HygieneIdentity> Identities { get; set; } = Array.Empty<HygieneIdentity>();

        /// <summary>The identities as text, namespace:value separated by "; ", for Export-Csv (which writes a list's type name, not its items).</summary>
        public string IdentitiesText => FlatText.Join(Identities);

        /// <summary>The id of the submission (POST) that created the job, such as 16318094870430026RX-334.</summary>
        public string? RequestId { get; set; }

        /// <summary>The status as the API reports it (submitted, processing, complete, error); empty until first read.</summary>
        public string Status { get; set; } = "";

        public JobState State => string.IsNullOrEmpty(Status) ? JobState.Pending : HygieneStates.FromPrivacyStatus(Status);

        /// <summary><see cref="State"/> as its name, for ConvertTo-Json (which writes an enum as a number unless -EnumsAsStrings).</summary>
        public string StateText => State.ToString();
        public bool IsFinal => State == JobState.Succeeded || State == JobState.Failed;
        public string? Action { get; set; }
        public string? SubmittedBy { get; set; }
        public DateTimeOffset? CreatedAt { get; set; }
        public DateTimeOffset? UpdatedAt { get; set; }
        public IReadOnlyList<HygieneProductStatus> ProductStatus { get; set; } = Array.Empty<HygieneProductStatus>();

        /// <summary>Each product's status as product: status separated by "; ", for Export-Csv.</summary>
        public string ProductStatusText => FlatText.Join(ProductStatus);

        public override string ToString() => JobId;
    }

    /// <summary>A Data Hygiene work order (<c>/data/core/hygiene/workorder</c>): identities deleted from one dataset or all.</summary>
    public sealed class HygieneWorkOrder
    {
        public string WorkOrderId { get; set; } = "";
        public string? BundleId { get; set; }

        /// <summary>The status as the API reports it (received, validated, submitted, ingested, completed, failed).</summary>
        public string Status { get; set; } = "";

        public JobState State => HygieneStates.FromWorkOrderStatus(Status);

        /// <summary><see cref="State"/> as its name, for ConvertTo-Json.</summary>
        public string StateText => State.ToString();
        public bool IsFinal => State == JobState.Succeeded || State == JobState.Failed;
        public string? DatasetId { get; set; }
        public string? DatasetName { get; set; }
        public string? DisplayName { get; set; }
        public string? Description { get; set; }
        public string? Action { get; set; }

        /// <summary>How many identities the work order deletes (the API's operationCount).</summary>
        public long IdentityCount { get; set; }

        public IReadOnlyList<string> TargetServices { get; set; } = Array.Empty<string>();

        /// <summary>The target services separated by "; ", for Export-Csv.</summary>
        public string TargetServicesText => FlatText.Join(TargetServices);

        public IReadOnlyList<HygieneProductStatus> ProductStatus { get; set; } = Array.Empty<HygieneProductStatus>();

        /// <summary>Each product's status as product: status separated by "; ", for Export-Csv.</summary>
        public string ProductStatusText => FlatText.Join(ProductStatus);
        public string? CreatedBy { get; set; }
        public DateTimeOffset? CreatedAt { get; set; }
        public DateTimeOffset? UpdatedAt { get; set; }
        public string? OrgId { get; set; }
        public string? SandboxName { get; set; }

        /// <summary>The x-request-id of the submission that created the work order.</summary>
        public string? RequestId { get; set; }

        public override string ToString() => WorkOrderId;
    }

    public sealed class HygieneProductStatus
    {
        public string Product { get; set; } = "";
        public string Status { get; set; } = "";
        public string? Message { get; set; }
        public DateTimeOffset? UpdatedAt { get; set; }

        public override string ToString() => $"{Product}: {Status}";
    }

    /// <summary>One of the organization's Data Hygiene quotas.</summary>
    public sealed class HygieneQuota
    {
        public string Name { get; set; } = "";
        public string? Description { get; set; }
        public long Consumed { get; set; }
        public long Quota { get; set; }
        public long Remaining => Math.Max(0, Quota - Consumed);

        public override string ToString() => $"{Name}: {Consumed}/{Quota}";
    }

    /// <summary>The flat text form of a list property: its items' text, separated by "; ".</summary>
    internal static class FlatText
    {
        public static string Join<T>(IEnumerable<T>? items) => items == null ? "" : string.Join("; ", items);
    }

    public static class HygieneStates
    {
        public static JobState FromPrivacyStatus(string? status)
        {
            switch ((status ?? "").Trim().ToLowerInvariant())
            {
                case "submitted": return JobState.Pending;
                case "processing": return JobState.Running;
                case "complete":
                case "completed": return JobState.Succeeded;
                case "error":
                case "failed": return JobState.Failed;
                default: return JobState.Unknown;
            }
        }

        public static JobState FromWorkOrderStatus(string? status)
        {
            switch ((status ?? "").Trim().ToLowerInvariant())
            {
                case "received": return JobState.Pending;
                case "validated":
                case "submitted":
                case "ingested":
                case "in-progress":
                case "processing": return JobState.Running;
                case "completed":
                case "complete": return JobState.Succeeded;
                case "failed":
                case "error": return JobState.Failed;
                default: return JobState.Unknown;
            }
        }
    }
}
