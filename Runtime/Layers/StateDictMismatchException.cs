using System;
using System.Collections.Generic;
using System.Linq;

namespace Composer.Layers;

/// <summary>Weights do not fit a module: the message lists every missing, unexpected and mis-shaped tensor.</summary>
public sealed class StateDictMismatchException : Exception
{
    /// <summary>Names the module has but the weights lack.</summary>
    public IReadOnlyList<string> Missing { get; }
    /// <summary>Names the weights have but the module lacks.</summary>
    public IReadOnlyList<string> Unexpected { get; }
    /// <summary>Names present on both sides with different shapes, with both shapes.</summary>
    public IReadOnlyList<string> Misshaped { get; }

    private StateDictMismatchException(List<string> missing, List<string> unexpected, List<string> misshaped)
        : base(Describe(missing, unexpected, misshaped))
    {
        Missing = missing;
        Unexpected = unexpected;
        Misshaped = misshaped;
    }

    /// <summary>Compares expected (module) and actual (loaded) names and shapes; null when they agree.</summary>
    public static StateDictMismatchException? Compare(IEnumerable<(string Name, long[] Shape)> expected, IEnumerable<(string Name, long[] Shape)> actual)
    {
        var want = expected.ToDictionary(p => p.Name, p => p.Shape, StringComparer.Ordinal);
        var have = actual.ToDictionary(p => p.Name, p => p.Shape, StringComparer.Ordinal);
        var missing = want.Keys.Where(k => !have.ContainsKey(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        var unexpected = have.Keys.Where(k => !want.ContainsKey(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        var misshaped = want.Where(kv => have.TryGetValue(kv.Key, out var s) && !s.SequenceEqual(kv.Value))
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => $"{kv.Key}: expected [{string.Join(", ", kv.Value)}], found [{string.Join(", ", have[kv.Key])}]")
            .ToList();
        return missing.Count + unexpected.Count + misshaped.Count == 0 ? null : new StateDictMismatchException(missing, unexpected, misshaped);
    }

    private static string Describe(List<string> missing, List<string> unexpected, List<string> misshaped)
    {
        var parts = new List<string> { "the weights do not match this architecture:" };
        if (missing.Count > 0) parts.Add($"missing {missing.Count}: {string.Join(", ", missing)}");
        if (unexpected.Count > 0) parts.Add($"unexpected {unexpected.Count}: {string.Join(", ", unexpected)}");
        if (misshaped.Count > 0) parts.Add($"mis-shaped {misshaped.Count}: {string.Join("; ", misshaped)}");
        return string.Join(Environment.NewLine + "  ", parts);
    }
}
