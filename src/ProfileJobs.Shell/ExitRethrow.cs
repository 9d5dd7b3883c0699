using System;
using System.Management.Automation.Runspaces;
using System.Reflection;

namespace ProfileJobs.Shell
{
    /// <summary>
    /// Sets the engine flag pwsh's ConsoleHost sets for <c>-File</c>
    /// (<c>Runspace.ExecutionContext.ScriptCommandProcessorShouldRethrowExit</c>, both internal): the next script
    /// command processor then lets <c>exit N</c> escape to the pipeline, which calls <c>SetShouldExit(N)</c>.
    /// </summary>
    internal static class ExitRethrow
    {
        private const BindingFlags Flags = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;

        private static readonly PropertyInfo? ContextProperty =
            typeof(Runspace).GetProperty("ExecutionContext", Flags);

        private static readonly PropertyInfo? FlagProperty =
            ContextProperty?.PropertyType.GetProperty("ScriptCommandProcessorShouldRethrowExit", Flags);

        /// <summary>Sets the flag to <paramref name="value"/>; true when that was possible.</summary>
        public static bool TrySet(Runspace runspace, bool value)
        {
            if (FlagProperty == null || FlagProperty.PropertyType != typeof(bool))
            {
                return false;
            }

            try
            {
                object? context = ContextProperty!.GetValue(runspace);
                if (context == null)
                {
                    return false;
                }

                FlagProperty.SetValue(context, value);
                return true;
            }
            catch (TargetInvocationException)
            {
                return false;
            }
            catch (MemberAccessException)
            {
                return false;
            }
        }
    }
}
