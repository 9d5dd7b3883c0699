using System.Management.Automation;
using ProfileJobs.CommandSupport;

namespace ProfileJobs.Commands
{
    /// <summary>
    /// <para type="synopsis">Gets the session's default Experience Platform connection.</para>
    /// <para type="description">Returns the context that Connect-ExperiencePlatform set for this session, or nothing when not connected.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "ExperiencePlatformContext", HelpUri = HelpLinks.Authentication)]
    [OutputType(typeof(ExperiencePlatformContext))]
    public sealed class GetExperiencePlatformContextCommand : PSCmdlet
    {
        protected override void EndProcessing()
        {
            var context = DefaultContextStore.Get();
            if (context != null) WriteObject(context);
        }
    }
}
