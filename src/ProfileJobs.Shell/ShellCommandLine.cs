using System;
using System.Collections.Generic;

namespace ProfileJobs.Shell
{
    /// <summary>The parsed command line of ProfileJobs.Shell (a pwsh-like subset).</summary>
    public sealed class ShellCommandLine
    {
        /// <summary>The usage text printed by <c>--help</c>.</summary>
        public const string Usage =
@"ProfileJobs.Shell - runs PowerShell scripts in a hosted PowerShell 7.6 engine (a small stand-in for pwsh).

Usage:
  ProfileJobs.Shell [-NoProfile] [-NonInteractive] -File <script.ps1> [script arguments...]
  ProfileJobs.Shell [-NoProfile] [-NonInteractive] -Command <text...>   (-Command - reads the script from stdin)
  ProfileJobs.Shell --help | -? | -Help

  -File, -f         Run a script file. Arguments after it go to the script: -Name value, -Name:value,
                    -Switch, positional values. $PSScriptRoot and $MyInvocation work.
  -Command, -c      Run the rest of the command line as script text.
  -NoProfile, -nop  Accepted (profiles are never loaded).
  -NonInteractive   Prompts fail instead of reading from the console (also the case when stdin is redirected).
  -NoLogo, -ExecutionPolicy <p>  Accepted and ignored.

Exit code: N for 'exit N'; 1 for an uncaught terminating error, a parse error or Ctrl+C; else 0
(non-terminating errors do not change it). 64 for a bad command line.

Module path: $env:PROFILEJOBS_MODULE_ROOT, else the nearest '<ancestor>/out' that holds ProfileJobs/ProfileJobs.psd1,
is put first on PSModulePath, so 'Import-Module ProfileJobs' works by name.
Only the core engine cmdlets exist: no Microsoft.PowerShell.Utility or .Management cmdlets
(no Write-Host, Write-Output, Get-ChildItem, Test-Path, Join-Path, ConvertTo-Json, Format-*, Select-Object, ...).";

        /// <summary>The script file (for -File), as given.</summary>
        public string? File { get; private set; }

        /// <summary>The arguments that follow the script file.</summary>
        public IReadOnlyList<string> FileArguments { get; private set; } = Array.Empty<string>();

        /// <summary>The script text (for -Command).</summary>
        public string? Command { get; private set; }

        /// <summary>True for <c>-Command -</c>: the script is read from stdin.</summary>
        public bool CommandFromStdin { get; private set; }

        /// <summary>-NoProfile was given.</summary>
        public bool NoProfile { get; private set; }

        /// <summary>-NonInteractive was given.</summary>
        public bool NonInteractive { get; private set; }

        /// <summary>--help, -?, -h or -Help was given.</summary>
        public bool ShowHelp { get; private set; }

        /// <summary>A description of what is wrong with the command line, or null.</summary>
        public string? Error { get; private set; }

        /// <summary>Parses the arguments (parameter names are case-insensitive; pwsh's short forms are accepted).</summary>
        public static ShellCommandLine Parse(IReadOnlyList<string> args)
        {
            var result = new ShellCommandLine();
            for (int i = 0; i < args.Count; i++)
            {
                string arg = args[i];
                if (arg == "--help" || arg == "-?" || arg == "/?" || Is(arg, "-h") || Is(arg, "-help") || Is(arg, "--h"))
                {
                    result.ShowHelp = true;
                    return result;
                }

                if (Is(arg, "-noprofile") || Is(arg, "-nop"))
                {
                    result.NoProfile = true;
                }
                else if (Is(arg, "-noninteractive") || Is(arg, "-noni"))
                {
                    result.NonInteractive = true;
                }
                else if (Is(arg, "-nologo") || Is(arg, "-nol"))
                {
                }
                else if (Is(arg, "-executionpolicy") || Is(arg, "-ex") || Is(arg, "-ep"))
                {
                    if (i + 1 >= args.Count)
                    {
                        result.Error = "Missing value for " + arg + ".";
                        return result;
                    }

                    i++;
                }
                else if (Is(arg, "-file") || Is(arg, "-f"))
                {
                    if (i + 1 >= args.Count)
                    {
                        result.Error = "Missing the script path after " + arg + ".";
                        return result;
                    }

                    result.File = args[i + 1];
                    result.FileArguments = Rest(args, i + 2);
                    return result;
                }
                else if (Is(arg, "-command") || Is(arg, "-c"))
                {
                    if (i + 1 >= args.Count)
                    {
                        result.Error = "Missing the command text after " + arg + ".";
                        return result;
                    }

                    if (args[i + 1] == "-" && i + 2 == args.Count)
                    {
                        result.CommandFromStdin = true;
                        result.Command = string.Empty;
                    }
                    else
                    {
                        result.Command = string.Join(" ", Rest(args, i + 1));
                    }

                    return result;
                }
                else if (arg.StartsWith("-", StringComparison.Ordinal) && arg.Length > 1)
                {
                    result.Error = "Unknown parameter " + arg + ". Use --help for usage.";
                    return result;
                }
                else
                {
                    // Like pwsh: the first positional argument is the script file.
                    result.File = arg;
                    result.FileArguments = Rest(args, i + 1);
                    return result;
                }
            }

            return result;
        }

        private static bool Is(string arg, string name) => string.Equals(arg, name, StringComparison.OrdinalIgnoreCase);

        private static string[] Rest(IReadOnlyList<string> args, int start)
        {
            var rest = new string[Math.Max(0, args.Count - start)];
            for (int i = 0; i < rest.Length; i++)
            {
                rest[i] = args[start + i];
            }

            return rest;
        }
    }
}
