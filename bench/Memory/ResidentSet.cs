using System;
using System.IO;
using System.Linq;

namespace Composer.Bench.Memory;

/// <summary>
/// This process's resident set as the Linux kernel counts it (/proc/self/status), and its high-water mark,
/// which the kernel resets to the current resident set on request (/proc/self/clear_refs, Linux 4.0 on).
/// </summary>
internal static class ResidentSet
{
    private const string Status = "/proc/self/status";

    /// <summary>Bytes resident now (VmRSS).</summary>
    public static long Current() => Read("VmRSS");

    /// <summary>The most bytes resident since the process started or <see cref="ResetPeak"/> was last called (VmHWM).</summary>
    public static long Peak() => Read("VmHWM");

    /// <summary>Sets the high-water mark to the current resident set.</summary>
    /// <exception cref="PlatformNotSupportedException">The kernel offers no such reset.</exception>
    public static void ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PlatformNotSupportedException("this benchmark needs Linux's /proc/self/clear_refs (Linux 4.0 or later) to reset the peak resident set before the training steps", e);
        }
        long peak = Peak(), now = Current();
        // The reset is to the resident set at that moment; anything far above it means it did not happen.
        if (peak > now + (64L << 20))
            throw new PlatformNotSupportedException($"writing 5 to /proc/self/clear_refs left the peak resident set at {peak} bytes, above the current {now}; this kernel does not reset it");
    }

    private static long Read(string field)
    {
        if (!File.Exists(Status)) throw new PlatformNotSupportedException($"this benchmark reads {Status}, which only Linux has");
        var line = File.ReadLines(Status).FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal))
            ?? throw new PlatformNotSupportedException($"{Status} has no {field} line");
        // "VmRSS:	  123456 kB"
        var parts = line[(field.Length + 1)..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        return long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}
