using System.Collections.Generic;
using ProfileJobs.CommandSupport;

namespace ProfileJobs.Completion
{
    /// <summary>
    /// A completer of ids from the last listing made on the connection the command will use: the -Context typed on the
    /// command line (when it is a variable, whose value completion can read), otherwise the session's default. Nothing
    /// is requested from the platform, and nothing is offered when that connection is unknown.
    /// </summary>
    public abstract class ListingCompleter : SafeCompleter
    {
        private protected static IReadOnlyList<ListedItem> ItemsFor(CompletionRequest request, Listed kind)
        {
            var context = TargetContext(request);
            var state = CompletionState.Current;
            return context == null || state == null ? new ListedItem[0] : state.Items(context, kind);
        }

        /// <summary>Reads the client's context type: only here, in a method body, never in a signature or field.</summary>
        private static ExperiencePlatformContext? TargetContext(CompletionRequest request)
        {
            if (request.TryGetBound("Context", out var value)) return value as ExperiencePlatformContext;
            // -Context (Get-Something): completion cannot know which connection without running it.
            if (request.Names("Context")) return null;
            var context = DefaultContextStore.Get();
            return context == null || context.IsDisconnected ? null : context;
        }

        /// <summary>A value of another parameter typed on the command line, when completion knows it.</summary>
        private protected static string? BoundString(CompletionRequest request, string name) =>
            request.TryGetBound(name, out var value) ? value as string : null;
    }
}
