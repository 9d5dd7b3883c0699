using System;
using System.Globalization;
using System.Text.Json;
using ProfileJobs.Json;

namespace ProfileJobs.SystemJobs
{
    /// <summary>Turns any generation's job body into one <see cref="ProfileSystemJob"/>.</summary>
    internal static class SystemJobMapper
    {
        public const string DatasetDelete = "TRUNCATE_DATASET";
        public const string BatchDelete = "DELETE_EE_BATCH";

        public static ProfileSystemJob ToJob(SystemJobBody body, ApiGeneration generation, ExperiencePlatformContext context)
        {
            var datasetId = body.Properties?.DatasetId ?? body.DatasetId ?? body.DataSetIdAzure;
            var batchId = body.Properties?.BatchId ?? body.BatchId;
            var job = new ProfileSystemJob
            {
                Id = body.RequestId ?? body.Id ?? "",
                Type = TypeOf(body, batchId),
                Status = body.Status ?? "",
                DatasetId = datasetId,
                BatchId = batchId,
                CreatedAt = ParseTime(body.CreatedAt) ?? FromEpoch(body.CreateEpoch),
                UpdatedAt = ParseTime(body.UpdatedAt) ?? FromEpoch(body.UpdateEpoch),
                OrgId = body.ImsOrgId ?? context.OrgId,
                SandboxName = body.Sandbox?.SandboxName ?? context.SandboxName,
                SandboxId = body.Sandbox?.SandboxId ?? context.SandboxId,
                ApiGeneration = generation,
            };
            var metrics = body.Metrics;
            if (metrics != null)
            {
                job.RecordsProcessed = metrics.RecordsProcessed;
                if (metrics.TimeTakenInSec.HasValue) job.TimeTaken = TimeSpan.FromSeconds(metrics.TimeTakenInSec.Value);
            }
            return job;
        }

        private static string TypeOf(SystemJobBody body, string? batchId)
        {
            if (!string.IsNullOrEmpty(body.RequestType)) return body.RequestType!;
            if (!string.IsNullOrEmpty(body.JobType) && !string.Equals(body.JobType, "DELETE", StringComparison.OrdinalIgnoreCase)) return body.JobType!;
            return batchId != null ? BatchDelete : DatasetDelete;
        }

        private static DateTimeOffset? ParseTime(string? text) =>
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
                ? value
                : (DateTimeOffset?)null;

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
