using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net.Http;
using System.Text;

namespace ProfileJobs.Testing
{
    /// <summary>
    /// Starts the AEP emulator as a separate process on a free loopback port and talks to its control API. Compiled
    /// into the test and the benchmark projects (a linked source file: neither may reference the other).
    /// </summary>
    internal sealed class EmulatorLauncher : IDisposable
    {
        private const string ListeningPrefix = "LISTENING ";

        private readonly Process _process;
        private readonly HttpClient _control;
        private readonly StringBuilder _stderr = new StringBuilder();

        public EmulatorLauncher(string emulatorDll, IEnumerable<string> arguments, TimeSpan startTimeout, TimeSpan controlTimeout)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(emulatorDll);
            start.ArgumentList.Add("--urls");
            start.ArgumentList.Add("http://127.0.0.1:0");
            // Closing our end of stdin stops it, so a test run that dies leaves no server behind.
            start.ArgumentList.Add("--exit-on-stdin-close");
            foreach (var argument in arguments) start.ArgumentList.Add(argument);

            _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the emulator.");
            _process.ErrorDataReceived += (_, e) => { lock (_stderr) _stderr.AppendLine(e.Data); };
            _process.BeginErrorReadLine();

            var line = _process.StandardOutput.ReadLineAsync();
            if (!line.Wait(startTimeout) || line.Result == null || !line.Result.StartsWith(ListeningPrefix, StringComparison.Ordinal))
            {
                Stop();
                throw new InvalidOperationException($"The emulator did not start: '{(line.IsCompleted ? line.Result : "(no output)")}' {StandardError}");
            }
            BaseUri = new Uri(line.Result.Substring(ListeningPrefix.Length).Trim().TrimEnd('/') + "/");
            _control = new HttpClient { BaseAddress = BaseUri, Timeout = controlTimeout };
        }

        public Uri BaseUri { get; }

        public Process Process => _process;

        public string StandardError
        {
            get { lock (_stderr) return _stderr.ToString(); }
        }

        public string Get(string path)
        {
            using var response = _control.GetAsync(path).GetAwaiter().GetResult();
            var body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode} {body}");
            return body;
        }

        public void Post(string path, string json)
        {
            using var content = new StringContent(json, Encoding.UTF8, "application/json");
            using var response = _control.PostAsync(path, content).GetAwaiter().GetResult();
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {response.Content.ReadAsStringAsync().GetAwaiter().GetResult()}");
        }

        public void Delete(string path)
        {
            using var response = _control.DeleteAsync(path).GetAwaiter().GetResult();
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"DELETE {path}: {(int)response.StatusCode}");
        }

        public void Dispose()
        {
            _control?.Dispose();
            Stop();
        }

        private void Stop()
        {
            try
            {
                _process.StandardInput.Close();
                if (!_process.WaitForExit(5000)) _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
            catch (System.IO.IOException)
            {
            }
            _process.Dispose();
        }
    }
}
