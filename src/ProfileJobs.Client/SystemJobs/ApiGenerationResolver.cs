using System.Threading;
using System.Threading.Tasks;
using ProfileJobs.Json;

namespace ProfileJobs.SystemJobs
{
    /// <summary>
    /// The one place that decides which generation of /system/jobs an instance speaks: the one configured
    /// (-ApiGeneration), else AWS when the connection has a sandbox id (only AWS instances use one), else what a
    /// response's shape showed: a bare array is AWS, <c>_page.totalCount</c> or a numeric <c>next</c> is unified, any
    /// other page is Azure; a single job with <c>id</c> but no <c>requestId</c> is Azure. Until then <c>Auto</c>.
    /// </summary>
    internal sealed class ApiGenerationResolver
    {
        private readonly ApiGeneration _configured;
        private readonly bool _hasSandboxId;
        private int _detected;

        public ApiGenerationResolver(ApiGeneration configured, bool hasSandboxId)
        {
            _configured = configured;
            _hasSandboxId = hasSandboxId;
        }

        public ApiGeneration Current
        {
            get
            {
                if (_configured != ApiGeneration.Auto) return _configured;
                if (_hasSandboxId) return ApiGeneration.Aws;
                return (ApiGeneration)Volatile.Read(ref _detected);
            }
        }

        /// <summary>The generation a list page's shape shows (a bare array; a <c>_page.totalCount</c>; a numeric <c>next</c>); remembered.</summary>
        public ApiGeneration OfPage(bool bareArray, bool hasTotalCount, bool numericNext)
        {
            var shape = bareArray
                ? ApiGeneration.Aws
                : hasTotalCount || numericNext ? ApiGeneration.Unified : ApiGeneration.Azure;
            Remember(shape);
            return shape;
        }

        /// <summary>The generation a single job's shape shows: Azure's, or else the one already known.</summary>
        public ApiGeneration OfJob(SystemJobBody body) => OfJob(body.Id != null, body.RequestId != null);

        /// <summary>The generation a single job's shape shows: Azure's (an <c>id</c> and no <c>requestId</c>), or else the one already known.</summary>
        public ApiGeneration OfJob(bool hasId, bool hasRequestId)
        {
            if (hasId && !hasRequestId)
            {
                Remember(ApiGeneration.Azure);
                return ApiGeneration.Azure;
            }
            return Current;
        }

        /// <summary>The generation to speak, asking <paramref name="probe"/> (a one-job listing) when nothing tells yet.</summary>
        public async Task<ApiGeneration> ResolveAsync(System.Func<CancellationToken, Task> probe, CancellationToken cancellationToken)
        {
            if (Current != ApiGeneration.Auto) return Current;
            await probe(cancellationToken).ConfigureAwait(false);
            return Current == ApiGeneration.Auto ? ApiGeneration.Unified : Current;
        }

        private void Remember(ApiGeneration generation)
        {
            if (generation != ApiGeneration.Auto) Volatile.Write(ref _detected, (int)generation);
        }
    }
}
