using System.Collections.Generic;
using System.Text.Json;
using ProfileJobs.Json;

namespace ProfileJobs.SystemJobs
{
    /// <summary>One page of a system-job listing in any generation's shape, and the stop rules of paging.</summary>
    internal sealed class SystemJobPage
    {
        private SystemJobPage(ApiGeneration generation, List<SystemJobBody> jobs, PageInfoBody? info)
        {
            Generation = generation;
            Jobs = jobs;
            Info = info;
        }

        public ApiGeneration Generation { get; }
        public List<SystemJobBody> Jobs { get; }
        private PageInfoBody? Info { get; }

        /// <summary>Reads a page: a bare array (AWS) or a <c>_page</c>/<c>children</c> envelope (Azure, unified).</summary>
        public static SystemJobPage Parse(byte[] body, ApiGenerationResolver generations, string? requestId)
        {
            try
            {
                if (JsonReading.FirstToken(body) == '[')
                {
                    return new SystemJobPage(generations.OfPage(bareArray: true, null),
                        JsonSerializer.Deserialize(body, ClientJsonContext.Default.ListSystemJobBody) ?? new List<SystemJobBody>(), null);
                }
                var page = JsonSerializer.Deserialize(body, ClientJsonContext.Default.SystemJobPageBody)
                           ?? throw new PlatformApiException(PlatformErrorKind.InvalidResponse, "The platform answered the job list with an empty body.", requestId: requestId);
                return new SystemJobPage(generations.OfPage(bareArray: false, page.Page), page.Children ?? new List<SystemJobBody>(), page.Page);
            }
            catch (JsonException ex)
            {
                throw new PlatformApiException(PlatformErrorKind.InvalidResponse, $"The platform answered the job list with JSON that cannot be read: {ex.Message}", requestId: requestId, inner: ex);
            }
        }

        /// <summary>The cursor the page announces for the next one (its <c>next</c> as JSON text), or null.</summary>
        public string? NextCursor
        {
            get
            {
                if (Info == null) return null;
                var next = Info.Next;
                if (next.ValueKind == JsonValueKind.Undefined || next.ValueKind == JsonValueKind.Null) return null;
                if (next.ValueKind == JsonValueKind.String && string.IsNullOrEmpty(next.GetString())) return null;
                return next.ValueKind == JsonValueKind.String ? next.GetString() : next.GetRawText();
            }
        }

        /// <summary>
        /// The stop rules of each generation (aep-api.md 5.6), by the server's paging fields rather than the size the
        /// client asked for, since a server may cap its pages below it: no <c>next</c>, a <c>totalCount</c> the items
        /// so far reach, or a page shorter than the server's page size (its <c>pageSize</c>, else the size of its
        /// first page) is the last. AWS answers one bare array.
        /// </summary>
        public bool HasNextPage(long listedSoFar, int firstPageSize)
        {
            if (Generation == ApiGeneration.Aws || Info == null || Jobs.Count == 0) return false;
            if (NextCursor == null) return false;
            if (Info.TotalCount.HasValue && listedSoFar >= Info.TotalCount.Value) return false;
            return Jobs.Count >= (Info.PageSize ?? firstPageSize);
        }
    }
}
