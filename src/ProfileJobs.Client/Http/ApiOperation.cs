namespace ProfileJobs.Http
{
    /// <summary>
    /// Every call the client makes. Each request carries its operation (<see cref="RequestMetadata"/>), which says
    /// which sandbox header its API takes and what its answers mean (<see cref="Errors.ApiErrorTranslator"/>).
    /// </summary>
    internal enum ApiOperation
    {
        ImsToken,
        ListSystemJobs,
        GetSystemJob,
        CreateSystemJob,
        DeleteSystemJob,
        SubmitRecordDeletes,
        GetRecordDelete,
        ListRecordDeletes,
        SubmitWorkOrder,
        GetWorkOrder,
        ListWorkOrders,
        UpdateWorkOrder,
        GetQuota,
    }

    /// <summary>Which sandbox header an API takes.</summary>
    internal enum SandboxHeader
    {
        /// <summary>Organization-scoped (IMS, record-delete jobs, quotas): no sandbox header.</summary>
        None,

        /// <summary>System jobs: x-sandbox-id on AWS instances, x-sandbox-name elsewhere.</summary>
        SystemJobs,

        /// <summary>Work orders: always x-sandbox-name.</summary>
        Name,
    }

    internal static class ApiOperations
    {
        public static SandboxHeader SandboxHeaderOf(ApiOperation operation)
        {
            switch (operation)
            {
                case ApiOperation.ListSystemJobs:
                case ApiOperation.GetSystemJob:
                case ApiOperation.CreateSystemJob:
                case ApiOperation.DeleteSystemJob:
                    return SandboxHeader.SystemJobs;
                case ApiOperation.SubmitWorkOrder:
                case ApiOperation.GetWorkOrder:
                case ApiOperation.ListWorkOrders:
                case ApiOperation.UpdateWorkOrder:
                    return SandboxHeader.Name;
                default:
                    return SandboxHeader.None;
            }
        }

        /// <summary>Operations the platform may repeat without harm even though they are POSTs (a token request).</summary>
        public static bool IsSafeToRepeat(ApiOperation operation) => operation == ApiOperation.ImsToken;

        /// <summary>What a request of this operation is about, for messages: "work orders", "system jobs".</summary>
        public static string ApiName(ApiOperation operation)
        {
            switch (SandboxHeaderOf(operation))
            {
                case SandboxHeader.SystemJobs: return "System jobs";
                case SandboxHeader.Name: return "Work orders";
                default: return operation == ApiOperation.ImsToken ? "Token requests" : "Record-delete jobs and quotas";
            }
        }
    }
}
