using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace ProfileJobs.Http
{
    /// <summary>
    /// Adds the sandbox header each API takes (<see cref="ApiOperations.SandboxHeaderOf"/>): x-sandbox-id for system
    /// jobs on AWS instances, x-sandbox-name for other system jobs and for work orders, none for the organization-scoped
    /// APIs (record-delete jobs, quotas). A connection without the value an API needs fails here, before anything is sent.
    /// </summary>
    internal sealed class SandboxHeaderHandler : DelegatingHandler
    {
        public const string NameHeader = "x-sandbox-name";
        public const string IdHeader = "x-sandbox-id";

        private readonly string? _name;
        private readonly string? _id;
        private readonly Func<ApiGeneration> _generation;

        public SandboxHeaderHandler(string? name, string? id, Func<ApiGeneration> generation)
        {
            _name = name;
            _id = id;
            _generation = generation;
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Remove(NameHeader);
            request.Headers.Remove(IdHeader);
            var operation = RequestMetadata.OperationOf(request);
            switch (ApiOperations.SandboxHeaderOf(operation))
            {
                case SandboxHeader.SystemJobs when _generation() == ApiGeneration.Aws:
                    request.Headers.TryAddWithoutValidation(IdHeader, _id ?? throw IdRequired());
                    break;
                case SandboxHeader.SystemJobs:
                case SandboxHeader.Name:
                    request.Headers.TryAddWithoutValidation(NameHeader, _name ?? throw NameRequired(operation));
                    break;
            }
            return base.SendAsync(request, cancellationToken);
        }

        private PlatformApiException NameRequired(ApiOperation operation) =>
            new PlatformApiException(PlatformErrorKind.MissingConnectionValue,
                $"{ApiOperations.ApiName(operation)} name the sandbox by its name (x-sandbox-name), and this connection knows only its id {_id}. " +
                $"Connect with both: Connect-ExperiencePlatform -Sandbox <name> -SandboxId {_id} ... Nothing was sent.",
                errorId: ErrorIds.SandboxNameRequired);

        private PlatformApiException IdRequired() =>
            new PlatformApiException(PlatformErrorKind.MissingConnectionValue,
                $"System jobs on AWS instances name the sandbox by its id (x-sandbox-id), and this connection knows only its name '{_name}'. " +
                $"Connect with both: Connect-ExperiencePlatform -Sandbox {_name} -SandboxId <id> ... Nothing was sent.",
                errorId: ErrorIds.SandboxIdRequired);
    }
}
