using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading;

namespace Composer.Samples.Tests;

/// <summary>
/// A process started by a test whose output is read while it runs (a test waits for a line, then acts
/// on the job), killed with everything it started if the test leaves it running.
/// </summary>
internal sealed class LaunchedProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly StringBuilder _error = new();

    public LaunchedProcess(string program, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(program, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.Add(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_error) _error.AppendLine(e.Data); };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Standard output so far.</summary>
    public string Output { get { lock (_output) return string.Join('\n', _output); } }

    /// <summary>Standard error so far.</summary>
    public string Error { get { lock (_error) return _error.ToString(); } }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The first output line <paramref name="match"/> accepts, waiting up to <paramref name="timeout"/>; throws if it never comes or the process ends first.</summary>
    public string WaitForLine(Func<string, bool> match, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            lock (_output)
            {
                if (_output.FirstOrDefault(match) is { } line) return line;
            }
            if (_process.HasExited) throw new InvalidOperationException($"the process ended (exit {_process.ExitCode}) before the awaited line\n{Output}\n{Error}");
            if (watch.Elapsed > timeout) throw new TimeoutException($"the awaited line did not come within {timeout}\n{Output}\n{Error}");
            Thread.Sleep(50);
        }
    }

    /// <summary>Waits for the end, up to <paramref name="timeout"/>; false when the process is still running then.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout)) return false;
        _process.WaitForExit();   // and for the output to be read to its end
        return true;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            try { _process.Kill(entireProcessTree: true); }
            catch (InvalidOperationException) { }
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
    }
}
