using System.IO;
using System.Linq;

namespace Composer.Bench;

/// <summary>Facts about the machine a benchmark prints next to its figures.</summary>
public static class Machine
{
    /// <summary>The 1-, 5- and 15-minute load averages, so a reader can tell a quiet run from a busy one.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
