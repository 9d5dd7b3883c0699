using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace ProfileJobs.Emulator.Infrastructure;

/// <summary>Calls back when standard input reaches end of file (the parent process went away or closed the pipe).</summary>
public static class StdinWatcher
{
    public static void Start(Action onClosed)
    {
        var thread = new Thread(() =>
        {
            try
            {
                using Stream stdin = Console.OpenStandardInput();
                byte[] buffer = new byte[4096];
                while (stdin.Read(buffer, 0, buffer.Length) > 0)
                {
                    // discard input
                }
            }
            catch (IOException)
            {
                // treat a broken stdin like EOF
            }
            catch (ObjectDisposedException)
            {
            }

            onClosed();
        })
        {
            IsBackground = true,
            Name = "stdin-watcher",
        };
        thread.Start();
    }
}
