using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;

namespace Composer.Bench;

/// <summary>
/// A long-lived /usr/bin/python3 process running a benchmark's PyTorch side. The C# side sends one
/// command per line and reads one result line back, so Composer and PyTorch rounds can alternate in
/// one run under the same environment.
/// </summary>
public sealed class PythonWorker : IDisposable
{
    private readonly Process _process;

    /// <summary>Starts <paramref name="script"/> with one OpenBLAS thread.</summary>
    public PythonWorker(string script, string python = "/usr/bin/python3", params string[] arguments)
        : this(script, blasThreads: 1, python, arguments) { }

    /// <summary>
    /// Starts <paramref name="script"/> with <paramref name="blasThreads"/> OpenBLAS threads: Debian's
    /// PyTorch computes matrix products in OpenBLAS, which reads OPENBLAS_NUM_THREADS once, when the
    /// process starts, so each setting needs its own worker.
    /// </summary>
    public PythonWorker(string script, int blasThreads, string python = "/usr/bin/python3", params string[] arguments)
    {
        if (!File.Exists(python))
            throw new InvalidOperationException($"{python} is missing; install the PyTorch reference with: sudo apt-get install -y python3-torch");
        var start = new ProcessStartInfo(python, ["-u", script, .. arguments])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.Environment["OPENBLAS_NUM_THREADS"] = blasThreads.ToString(CultureInfo.InvariantCulture);
        BlasThreads = blasThreads;
        _process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {python}");
        var ready = _process.StandardOutput.ReadLine();
        if (ready != "ready")
            throw new InvalidOperationException($"the PyTorch side ({script}) did not start: {ready ?? "no output"}");
    }

    /// <summary>The OPENBLAS_NUM_THREADS the worker started with.</summary>
    public int BlasThreads { get; }

    /// <summary>Sends a command and returns the number the worker answers with.</summary>
    public double Ask(string command) => double.Parse(Request(command), CultureInfo.InvariantCulture);

    /// <summary>Sends a command and returns the worker's answer line as it is.</summary>
    public string Request(string command)
    {
        _process.StandardInput.WriteLine(command);
        return _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException($"the PyTorch side exited while running '{command}'");
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.WriteLine("quit");
            if (!_process.WaitForExit(5000)) _process.Kill();
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
