using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace ProfileJobs.Json
{
    /// <summary>Source-generated (de)serialization of every body the client reads or writes.</summary>
    [JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString)]
    [JsonSerializable(typeof(ImsTokenBody))]
    [JsonSerializable(typeof(ImsErrorBody))]
    [JsonSerializable(typeof(ErrorBody))]
    [JsonSerializable(typeof(SystemJobBody))]
    [JsonSerializable(typeof(List<SystemJobBody>), TypeInfoPropertyName = "ListSystemJobBody")]
    [JsonSerializable(typeof(SystemJobPageBody))]
    [JsonSerializable(typeof(JobMetricsBody))]
    [JsonSerializable(typeof(CreateDatasetDeleteAzureBody))]
    [JsonSerializable(typeof(CreateJobBody))]
    [JsonSerializable(typeof(PrivacyJobRequestBody))]
    [JsonSerializable(typeof(PrivacyJobCreatedBody))]
    [JsonSerializable(typeof(PrivacyJobBody))]
    [JsonSerializable(typeof(PrivacyJobListBody))]
    [JsonSerializable(typeof(WorkOrderUpdateBody))]
    [JsonSerializable(typeof(WorkOrderRequestBody))]
    [JsonSerializable(typeof(WorkOrderBody))]
    [JsonSerializable(typeof(WorkOrderListBody))]
    [JsonSerializable(typeof(QuotaListBody))]
    internal sealed partial class ClientJsonContext : JsonSerializerContext
    {
    }
}
