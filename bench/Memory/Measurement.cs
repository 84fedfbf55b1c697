using System;
using System.Globalization;
using System.Linq;

namespace Composer.Bench.Memory;

/// <summary>
/// What a child process measured for one configuration: its parameter count, its resident set just before
/// the training steps and the high-water mark over them (bytes), the first and last step's loss, and the
/// seconds per step. Passed from child to parent as one line of text.
/// </summary>
internal sealed record Measurement(long Parameters, long RssBefore, long PeakRss, double FirstLoss, double LastLoss, double SecondsPerStep)
{
    private const string Prefix = "MEASURED";

    /// <summary>The one line the child prints.</summary>
    public static string Format(Measurement m) => string.Join(" ", new[]
    {
        Prefix, m.Parameters.ToString(CultureInfo.InvariantCulture), m.RssBefore.ToString(CultureInfo.InvariantCulture),
        m.PeakRss.ToString(CultureInfo.InvariantCulture), m.FirstLoss.ToString("R", CultureInfo.InvariantCulture),
        m.LastLoss.ToString("R", CultureInfo.InvariantCulture), m.SecondsPerStep.ToString("R", CultureInfo.InvariantCulture),
    });

    /// <summary>Reads a line <see cref="Format"/> wrote.</summary>
    /// <exception cref="FormatException">The line is not one.</exception>
    public static Measurement Parse(string line)
    {
        var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f.Length != 7 || f[0] != Prefix)
            throw new FormatException($"the measuring process printed \"{line}\" where a line \"{Prefix} parameters rss-before peak-rss first-loss last-loss seconds\" was expected");
        long L(int i) => long.Parse(f[i], CultureInfo.InvariantCulture);
        double D(int i) => double.Parse(f[i], CultureInfo.InvariantCulture);
        return new Measurement(L(1), L(2), L(3), D(4), D(5), D(6));
    }
}
