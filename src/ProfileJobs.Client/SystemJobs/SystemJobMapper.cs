using System;
using ProfileJobs.Json;

namespace ProfileJobs.SystemJobs
{
    /// <summary>
    /// Turns any generation's job into one <see cref="ProfileSystemJob"/>: the one set of mapping rules, for the fields
    /// <see cref="SystemJobReader"/> reads from an answer's bytes and for the serializer's <see cref="SystemJobBody"/>.
    /// </summary>
    internal static class SystemJobMapper
    {
        public const string DatasetDelete = "TRUNCATE_DATASET";
        public const string BatchDelete = "DELETE_EE_BATCH";

        public static ProfileSystemJob ToJob(SystemJobBody body, ApiGeneration generation, ExperiencePlatformContext context)
        {
            var fields = new JobFields
            {
                Id = body.Id,
                JobType = body.JobType,
                DataSetIdAzure = body.DataSetIdAzure,
                DatasetId = body.DatasetId,
                BatchId = body.BatchId,
                CreateEpoch = body.CreateEpoch,
                UpdateEpoch = body.UpdateEpoch,
                RequestId = body.RequestId,
                RequestType = body.RequestType,
                SandboxName = body.Sandbox?.SandboxName,
                SandboxId = body.Sandbox?.SandboxId,
                PropertiesDatasetId = body.Properties?.DatasetId,
                PropertiesBatchId = body.Properties?.BatchId,
                CreatedAt = IsoTimestamp.Parse(body.CreatedAt),
                UpdatedAt = IsoTimestamp.Parse(body.UpdatedAt),
                ImsOrgId = body.ImsOrgId,
                Status = body.Status,
                HasMetrics = body.Metrics != null,
                RecordsProcessed = body.Metrics?.RecordsProcessed,
                TimeTakenInSec = body.Metrics?.TimeTakenInSec,
            };
            return ToJob(in fields, generation, context);
        }

        public static ProfileSystemJob ToJob(in JobFields body, ApiGeneration generation, ExperiencePlatformContext context)
        {
            var datasetId = body.PropertiesDatasetId ?? body.DatasetId ?? body.DataSetIdAzure;
            var batchId = body.PropertiesBatchId ?? body.BatchId;
            var job = new ProfileSystemJob
            {
                Id = body.RequestId ?? body.Id ?? "",
                Type = TypeOf(body.RequestType, body.JobType, batchId),
                Status = body.Status ?? "",
                DatasetId = datasetId,
                BatchId = batchId,
                CreatedAt = body.CreatedAt ?? FromEpoch(body.CreateEpoch),
                UpdatedAt = body.UpdatedAt ?? FromEpoch(body.UpdateEpoch),
                OrgId = body.ImsOrgId ?? context.OrgId,
                SandboxName = body.SandboxName ?? context.SandboxName,
                SandboxId = body.SandboxId ?? context.SandboxId,
                ApiGeneration = generation,
            };
            if (body.HasMetrics)
            {
                job.RecordsProcessed = body.RecordsProcessed;
                if (body.TimeTakenInSec.HasValue) job.TimeTaken = TimeSpan.FromSeconds(body.TimeTakenInSec.Value);
            }
            return job;
        }

        private static string TypeOf(string? requestType, string? jobType, string? batchId)
        {
            if (!string.IsNullOrEmpty(requestType)) return requestType!;
            if (!string.IsNullOrEmpty(jobType) && !string.Equals(jobType, "DELETE", StringComparison.OrdinalIgnoreCase)) return jobType!;
            return batchId != null ? BatchDelete : DatasetDelete;
        }

        private static DateTimeOffset? FromEpoch(long? epoch)
        {
            if (!epoch.HasValue || epoch.Value <= 0) return null;
            // The docs say seconds; values this large can only be milliseconds.
            return epoch.Value > 100_000_000_000L
                ? DateTimeOffset.FromUnixTimeMilliseconds(epoch.Value)
                : DateTimeOffset.FromUnixTimeSeconds(epoch.Value);
        }
    }
}
