using System;
using System.Diagnostics;
using System.IO;
using Xunit;

namespace Composer.Samples.Tests;

/// <summary>
/// A fact that needs the reference Python (<c>/usr/bin/python3</c> with torch and numpy); skipped with
/// the reason when they are missing, so the suite still passes without PyTorch.
/// </summary>
public sealed class PythonWithTorchFactAttribute : FactAttribute
{
    internal const string Python = "/usr/bin/python3";

    private static readonly Lazy<string?> Missing = new(Probe);

    /// <summary>Marks the test skipped when the reference Python is unavailable.</summary>
    public PythonWithTorchFactAttribute()
    {
        if (Missing.Value is { } reason) Skip = reason;
    }

    private static string? Probe()
    {
        if (!File.Exists(Python)) return $"{Python} is not installed; this test runs tests/reference/check_models.py with PyTorch";
        try
        {
            using var p = Process.Start(new ProcessStartInfo(Python, ["-c", "import torch, numpy"]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            if (!p.WaitForExit(120_000)) { p.Kill(); return $"{Python} -c 'import torch, numpy' did not finish within two minutes"; }
            return p.ExitCode == 0 ? null : $"{Python} has no torch or numpy (sudo apt-get install python3-torch python3-numpy)";
        }
        catch (Exception e)
        {
            return $"{Python} could not be started ({e.Message})";
        }
    }
}
