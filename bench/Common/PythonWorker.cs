using System;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.IO;

namespace Composer.Bench;

/// <summary>
/// A long-lived /usr/bin/python3 process running a benchmark's PyTorch side. The C# side sends one
/// command per line and reads one result line back, so Composer and PyTorch rounds can alternate in
/// one run under the same environment. A benchmark whose PyTorch side cannot start, or would run on
/// Debian's reference BLAS, stops here with one line on standard error and exit code 2.
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
            Stop($"{python} is missing; install the PyTorch reference with: sudo apt-get install -y python3-torch libopenblas0-pthread (bench/run does this)");
        var start = new ProcessStartInfo(python, ["-u", script, .. arguments])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.Environment["OPENBLAS_NUM_THREADS"] = blasThreads.ToString(CultureInfo.InvariantCulture);
        BlasThreads = blasThreads;
        var process = Process.Start(start);
        if (process is null) Stop($"could not start {python}");
        _process = process;
        var ready = _process.StandardOutput.ReadLine();
        if (ready != "ready")
            Stop($"the PyTorch side ({script}) did not start: {ready ?? "no output"}");
        Blas = MappedBlas(_process.Id);
        if (Blas is not null && !Blas.Contains("openblas", StringComparison.OrdinalIgnoreCase))
        {
            Dispose();
            Stop(
                $"the PyTorch side computes its matrix products in {Blas}, Debian's reference BLAS, 5-20x slower than OpenBLAS, " +
                "which would flatter every comparison with it: install OpenBLAS with 'sudo apt-get install libopenblas0-pthread' " +
                "(bench/run does this) or select it with 'sudo update-alternatives --config libblas.so.3-x86_64-linux-gnu'");
        }
    }

    /// <summary>
    /// The BLAS library the worker loaded (Debian's PyTorch links libblas.so.3, which the alternatives
    /// system points at OpenBLAS or at the reference implementation), as mapped in the process; null
    /// when none is mapped or the maps cannot be read (not Linux).
    /// </summary>
    public string? Blas { get; }

    // libblas.so.3 when it is mapped (it is what PyTorch links, and the reference implementation is a file
    // of that name outside OpenBLAS's folder), else OpenBLAS's own library.
    private static string? MappedBlas(int pid)
    {
        string? openBlas = null;
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/maps"))
            {
                int slash = line.IndexOf('/');
                if (slash < 0) continue;
                string path = line[slash..];
                string file = Path.GetFileName(path);
                if (file.StartsWith("libblas.so", StringComparison.Ordinal)) return path;
                if (file.StartsWith("libopenblas", StringComparison.Ordinal)) openBlas ??= path;
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return openBlas;
    }

    [DoesNotReturn]
    private static void Stop(string message)
    {
        Console.Error.WriteLine("error: " + message);
        Environment.Exit(2);
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
