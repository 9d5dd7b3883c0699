using System.Management.Automation;

namespace ProfileJobs.CommandSupport
{
    /// <summary>A command that works on a connection: the one given with -Context, or the session's default.</summary>
    public abstract class ConnectedCmdlet : PlatformCmdlet
    {
        /// <summary>The connection to use instead of the session's default (the one Connect-ExperiencePlatform set).</summary>
        [Parameter]
        public ExperiencePlatformContext? Context { get; set; }

        protected ExperiencePlatformContext ResolveContext()
        {
            var context = Context ?? DefaultContextStore.Get();
            if (context == null) ThrowTerminatingError(PlatformErrors.NotConnected());
            if (context!.IsDisconnected) ThrowTerminatingError(PlatformErrors.Disconnected(context));
            return context;
        }
    }
}
