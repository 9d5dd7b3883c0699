using System.Collections.Generic;
using System.Text.Json;
using ProfileJobs.Json;

namespace ProfileJobs.SystemJobs
{
    /// <summary>One page of a system-job listing in any generation's shape, its jobs mapped, and the stop rules of paging.</summary>
    internal sealed class SystemJobPage
    {
        private readonly PageFields _info;

        private SystemJobPage(ApiGeneration generation, List<ProfileSystemJob> jobs, string? firstItemId, PageFields info)
        {
            Generation = generation;
            Jobs = jobs;
            FirstItemId = firstItemId;
            _info = info;
        }

        public ApiGeneration Generation { get; }
        public List<ProfileSystemJob> Jobs { get; }

        /// <summary>The first job's id as the answer gave it (<c>requestId</c>, else <c>id</c>; null if it had neither), for <see cref="Paging.PageGuard"/>.</summary>
        public string? FirstItemId { get; }

        /// <summary>
        /// Reads a page: a bare array (AWS) or a <c>_page</c>/<c>children</c> envelope (Azure, unified), with
        /// <paramref name="reader"/> straight from the bytes, or with the serializer when the reader leaves the answer to it.
        /// </summary>
        public static SystemJobPage Parse(byte[] body, ApiGenerationResolver generations, string? requestId, ExperiencePlatformContext context, SystemJobReader reader)
        {
            var jobs = new List<ProfileSystemJob>();
            if (!reader.TryReadPage(body, context, jobs, out var bareArray, out var info, out var firstItemId))
            {
                return ParseWithSerializer(body, generations, requestId, context);
            }
            var generation = generations.OfPage(bareArray, info.TotalCount != null, info.NextKind == JsonValueKind.Number);
            foreach (var job in jobs) job.ApiGeneration = generation;
            return new SystemJobPage(generation, jobs, firstItemId, info);
        }

        /// <summary>The serializer's reading of a page (<see cref="SystemJobPageBody"/>): what every page was read with before <see cref="SystemJobReader"/>.</summary>
        internal static SystemJobPage ParseWithSerializer(byte[] body, ApiGenerationResolver generations, string? requestId, ExperiencePlatformContext context)
        {
            List<SystemJobBody> bodies;
            PageFields info = default;
            ApiGeneration generation;
            try
            {
                if (JsonReading.FirstToken(body) == '[')
                {
                    generation = generations.OfPage(bareArray: true, hasTotalCount: false, numericNext: false);
                    bodies = JsonSerializer.Deserialize(body, ClientJsonContext.Default.ListSystemJobBody) ?? new List<SystemJobBody>();
                }
                else
                {
                    var page = JsonSerializer.Deserialize(body, ClientJsonContext.Default.SystemJobPageBody)
                               ?? throw new PlatformApiException(PlatformErrorKind.InvalidResponse, "The platform answered the job list with an empty body.", requestId: requestId);
                    if (page.Page != null) info = InfoOf(page.Page);
                    generation = generations.OfPage(bareArray: false, info.TotalCount != null, info.NextKind == JsonValueKind.Number);
                    bodies = page.Children ?? new List<SystemJobBody>();
                }
            }
            catch (JsonException ex)
            {
                throw new PlatformApiException(PlatformErrorKind.InvalidResponse, $"The platform answered the job list with JSON that cannot be read: {ex.Message}", requestId: requestId, inner: ex);
            }
            var firstItemId = bodies.Count > 0 ? bodies[0].RequestId ?? bodies[0].Id : null;
            var jobs = new List<ProfileSystemJob>(bodies.Count);
            foreach (var job in bodies) jobs.Add(SystemJobMapper.ToJob(job, generation, context));
            return new SystemJobPage(generation, jobs, firstItemId, info);
        }

        private static PageFields InfoOf(PageInfoBody page)
        {
            var next = page.Next;
            return new PageFields
            {
                Present = true,
                PageSize = page.PageSize,
                TotalCount = page.TotalCount,
                NextKind = next.ValueKind,
                NextText = next.ValueKind == JsonValueKind.Undefined || next.ValueKind == JsonValueKind.Null ? null
                    : next.ValueKind == JsonValueKind.String ? next.GetString() : next.GetRawText(),
            };
        }

        /// <summary>The cursor the page announces for the next one (its <c>next</c> as JSON text), or null.</summary>
        public string? NextCursor => string.IsNullOrEmpty(_info.NextText) ? null : _info.NextText;

        /// <summary>
        /// The stop rules of each generation (aep-api.md 5.6), by the server's paging fields rather than the size the
        /// client asked for, since a server may cap its pages below it: no <c>next</c>, a <c>totalCount</c> the items
        /// so far reach, or a page shorter than the server's page size (its <c>pageSize</c>, else the size of its
        /// first page) is the last. AWS answers one bare array.
        /// </summary>
        public bool HasNextPage(long listedSoFar, int firstPageSize)
        {
            if (Generation == ApiGeneration.Aws || !_info.Present || Jobs.Count == 0) return false;
            if (NextCursor == null) return false;
            if (_info.TotalCount.HasValue && listedSoFar >= _info.TotalCount.Value) return false;
            return Jobs.Count >= (_info.PageSize ?? firstPageSize);
        }
    }
}
