using System;
using System.IO;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using ProfileJobs.Emulator.Infrastructure;

namespace ProfileJobs.Emulator;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        ParseResult parsed = OptionsParser.Parse(args);
        if (parsed.ShowHelp)
        {
            Console.Out.WriteLine(OptionsParser.Usage);
            return 0;
        }

        if (parsed.Error != null || parsed.Options == null)
        {
            Console.Error.WriteLine($"ProfileJobs.Emulator: {parsed.Error}. Use --help for usage.");
            return 2;
        }

        WebApplication app;
        try
        {
            app = await EmulatorHost.StartAsync(parsed.Options).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"ProfileJobs.Emulator: failed to start: {ex.Message}");
            return 1;
        }

        await using (app.ConfigureAwait(false))
        {
            TextWriter stdout = Console.Out;
            stdout.WriteLine("LISTENING " + EmulatorHost.GetBaseUrl(app));
            stdout.Flush();

            // Nothing else may reach stdout: a parent reads exactly one line from it.
            Console.SetOut(Console.Error);

            if (parsed.Options.ExitOnStdinClose)
            {
                StdinWatcher.Start(() => app.Lifetime.StopApplication());
            }

            await app.WaitForShutdownAsync().ConfigureAwait(false);
        }

        return 0;
    }
}
