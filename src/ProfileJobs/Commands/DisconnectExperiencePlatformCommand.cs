using System.Management.Automation;
using ProfileJobs.CommandSupport;
using ProfileJobs.Connection;

namespace ProfileJobs.Commands
{
    /// <summary>
    /// <para type="synopsis">Disconnects from Adobe Experience Platform.</para>
    /// <para type="description">Releases the session's default context (or the one given with -Context): its token and
    /// credential are dropped, no further request is sent or token renewed with it, and commands still running with it
    /// fail their remaining items with ContextDisconnected.</para>
    /// </summary>
    [Cmdlet(VerbsCommunications.Disconnect, "ExperiencePlatform", HelpUri = HelpLinks.Authentication)]
    [OutputType(typeof(void))]
    public sealed class DisconnectExperiencePlatformCommand : PSCmdlet
    {
        /// <summary>The context to release instead of the session's default.</summary>
        [Parameter(ValueFromPipeline = true)]
        public ExperiencePlatformContext? Context { get; set; }

        protected override void ProcessRecord()
        {
            var current = DefaultContextStore.Get();
            var context = Context ?? current;
            if (context == null) return;
            if (ReferenceEquals(context, current)) DefaultContextStore.Set(null);
            PlatformSession.Of(context).Disconnect();
            WriteVerbose($"Disconnected {context}.");
        }
    }
}
