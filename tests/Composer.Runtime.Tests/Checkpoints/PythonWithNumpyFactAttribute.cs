using System;
using System.Diagnostics;
using System.IO;
using Xunit;

namespace Composer.Tests.Checkpoints;

/// <summary>
/// A fact that needs the reference Python (<c>/usr/bin/python3</c> with numpy); skipped with the
/// reason when that interpreter or numpy is missing, so the suite still passes on machines without it.
/// </summary>
public sealed class PythonWithNumpyFactAttribute : FactAttribute
{
    internal const string Python = "/usr/bin/python3";

    private static readonly Lazy<string?> Missing = new(Probe);

    /// <summary>Marks the test skipped when the reference Python is unavailable.</summary>
    public PythonWithNumpyFactAttribute()
    {
        if (Missing.Value is { } reason) Skip = reason;
    }

    private static string? Probe()
    {
        if (!File.Exists(Python)) return $"{Python} is not installed; this interop test runs tests/reference/safetensors_numpy.py with it";
        try
        {
            using var p = Process.Start(new ProcessStartInfo(Python, ["-c", "import numpy"]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            if (!p.WaitForExit(60_000)) { p.Kill(); return $"{Python} -c 'import numpy' did not finish within a minute"; }
            return p.ExitCode == 0 ? null : $"{Python} has no numpy; this interop test runs tests/reference/safetensors_numpy.py, which needs it";
        }
        catch (Exception e)
        {
            return $"{Python} could not be started ({e.Message})";
        }
    }
}
