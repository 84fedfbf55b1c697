using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Xunit;

namespace Composer.Samples.Tests;

/// <summary>
/// A fact that starts data-parallel jobs with MPICH's launcher (<c>mpiexec.mpich</c>) and needs its
/// library (<c>libmpich.so.12</c>); skipped with the reason when MPICH is not installed
/// (<c>scripts/install-prerequisites.sh</c> installs it), so the suite still passes without it.
/// </summary>
public sealed class MpichFactAttribute : FactAttribute
{
    /// <summary>MPICH's launcher under Debian's name, which stays MPICH's when Open MPI owns <c>mpirun</c>.</summary>
    internal const string Launcher = "mpiexec.mpich";

    private static readonly Lazy<string?> Missing = new(Probe);

    /// <summary>Marks the test skipped when MPICH is unavailable.</summary>
    public MpichFactAttribute()
    {
        if (Missing.Value is { } reason) Skip = reason;
    }

    private static string? Probe()
    {
        bool launcher = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(folder => File.Exists(Path.Combine(folder, Launcher)));
        if (!launcher) return $"{Launcher} is not on PATH; install MPICH (sudo apt-get install mpich) to run the data-parallel tests";
        if (!NativeLibrary.TryLoad("libmpich.so.12", out var library)) return "libmpich.so.12 cannot be loaded; install MPICH (sudo apt-get install mpich)";
        NativeLibrary.Free(library);
        return null;
    }
}
