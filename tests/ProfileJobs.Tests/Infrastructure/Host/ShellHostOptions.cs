using System;
using System.Collections.Generic;
using System.IO;

namespace ProfileJobs.Shell
{
    /// <summary>Options for a <see cref="ShellHost"/>.</summary>
    public sealed class ShellHostOptions
    {
        /// <summary>Where normal output, warnings, verbose and debug lines go. Default: <see cref="Console.Out"/>.</summary>
        public TextWriter? Output { get; set; }

        /// <summary>Where error lines go. Default: <see cref="Console.Error"/>.</summary>
        public TextWriter? Error { get; set; }

        /// <summary>Where interactive prompts read from. Default: <see cref="Console.In"/>.</summary>
        public TextReader? Input { get; set; }

        /// <summary>Buffer/window width used by the formatter. 0 (default) = <see cref="DefaultWidth"/>.</summary>
        public int Width { get; set; }

        /// <summary>
        /// Whether prompts may read from <see cref="Input"/> when no scripted answer is queued.
        /// When false, an unanswered prompt throws like <c>pwsh -NonInteractive</c>. Default: false.
        /// </summary>
        public bool Interactive { get; set; }

        /// <summary>Scripted answers for PromptForChoice: the index of the chosen choice, consumed in order.</summary>
        public Queue<int> ChoiceAnswers { get; set; } = new Queue<int>();

        /// <summary>Scripted answers for ReadLine, ReadLineAsSecureString, Prompt fields and PromptForCredential (user name, then password).</summary>
        public Queue<string> ReadLineAnswers { get; set; } = new Queue<string>();

        /// <summary>
        /// The default width: the COLUMNS environment variable if it is a positive number, else the console
        /// width if stdout is a terminal, else 120.
        /// </summary>
        public static int DefaultWidth()
        {
            string? columns = Environment.GetEnvironmentVariable("COLUMNS");
            if (int.TryParse(columns, out int fromEnv) && fromEnv > 0)
            {
                return fromEnv;
            }

            try
            {
                if (!Console.IsOutputRedirected && Console.WindowWidth > 0)
                {
                    return Console.WindowWidth;
                }
            }
            catch (IOException)
            {
            }
            catch (PlatformNotSupportedException)
            {
            }

            return 120;
        }
    }
}
