using System;
using System.IO;

namespace ProfileJobs.Shell
{
    /// <summary>Entry point of ProfileJobs.Shell.</summary>
    public static class Program
    {
        /// <summary>Runs the command line and returns the exit code.</summary>
        public static int Main(string[] args)
        {
            ShellCommandLine commandLine = ShellCommandLine.Parse(args);
            if (commandLine.ShowHelp)
            {
                Console.Out.WriteLine(ShellCommandLine.Usage);
                return 0;
            }

            if (commandLine.Error != null)
            {
                Console.Error.WriteLine(commandLine.Error);
                return 64;
            }

            if (commandLine.File == null && commandLine.Command == null)
            {
                Console.Error.WriteLine("Nothing to run: give -File <script.ps1> or -Command <text> (there is no interactive prompt).");
                Console.Error.WriteLine();
                Console.Error.WriteLine(ShellCommandLine.Usage);
                return 64;
            }

            string? moduleRoot = ModuleLocator.FindModuleRoot();
            if (moduleRoot != null)
            {
                ModuleLocator.PrependToPSModulePath(moduleRoot);
            }

            string? command = commandLine.Command;
            if (commandLine.CommandFromStdin)
            {
                command = Console.In.ReadToEnd();
            }

            var options = new ShellHostOptions
            {
                Interactive = !commandLine.NonInteractive && !Console.IsInputRedirected && !commandLine.CommandFromStdin,
            };
            var host = new ShellHost(options);
            using var runner = new ShellRunner(host);
            if (moduleRoot != null)
            {
                // Opening the runspace puts the user/shared/$PSHOME module folders in front: move ours back to first.
                ModuleLocator.PrependToPSModulePath(moduleRoot);
            }

            int cancelCount = 0;
            ConsoleCancelEventHandler onCancel = (sender, e) =>
            {
                // First Ctrl+C stops the pipeline (like pwsh); a second one lets the process die if stopping hangs.
                if (System.Threading.Interlocked.Increment(ref cancelCount) == 1)
                {
                    e.Cancel = true;
                    runner.Stop();
                }
            };
            Console.CancelKeyPress += onCancel;
            try
            {
                return commandLine.File != null
                    ? runner.RunFile(commandLine.File, commandLine.FileArguments)
                    : runner.RunCommand(command ?? string.Empty);
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
                Console.Out.Flush();
                Console.Error.Flush();
            }
        }
    }
}
