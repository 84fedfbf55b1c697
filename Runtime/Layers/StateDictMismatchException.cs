using System;
using System.Collections.Generic;
using System.Linq;

namespace Composer.Layers;

/// <summary>Weights do not fit a module: the message lists every missing, unexpected, mis-shaped and mis-typed tensor.</summary>
public sealed class StateDictMismatchException : Exception
{
    private StateDictMismatchException(List<string> missing, List<string> unexpected, List<string> misshaped, List<string> mistyped)
        : base(Describe(missing, unexpected, misshaped, mistyped))
    {
        Missing = missing;
        Unexpected = unexpected;
        Misshaped = misshaped;
        Mistyped = mistyped;
    }

    /// <summary>Names the module has but the weights lack.</summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>Names the weights have but the module lacks.</summary>
    public IReadOnlyList<string> Unexpected { get; }

    /// <summary>Names present on both sides with different shapes, with both shapes.</summary>
    public IReadOnlyList<string> Misshaped { get; }

    /// <summary>Names present on both sides with the same shape but different element types, with both types.</summary>
    public IReadOnlyList<string> Mistyped { get; }

    /// <summary>Compares expected (module) and actual (loaded) names, shapes and dtypes; null when they agree.</summary>
    public static StateDictMismatchException? Compare(IEnumerable<(string Name, long[] Shape, string DType)> expected, IEnumerable<(string Name, long[] Shape, string DType)> actual)
    {
        var want = expected.ToDictionary(p => p.Name, p => (p.Shape, p.DType), StringComparer.Ordinal);
        var have = actual.ToDictionary(p => p.Name, p => (p.Shape, p.DType), StringComparer.Ordinal);
        var missing = want.Keys.Where(k => !have.ContainsKey(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        var unexpected = have.Keys.Where(k => !want.ContainsKey(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        var both = want.Where(kv => have.ContainsKey(kv.Key)).OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        var misshaped = both.Where(kv => !have[kv.Key].Shape.SequenceEqual(kv.Value.Shape))
            .Select(kv => $"{kv.Key}: expected [{string.Join(", ", kv.Value.Shape)}], found [{string.Join(", ", have[kv.Key].Shape)}]")
            .ToList();
        var mistyped = both.Where(kv => have[kv.Key].Shape.SequenceEqual(kv.Value.Shape) && have[kv.Key].DType != kv.Value.DType)
            .Select(kv => $"{kv.Key}: expected {kv.Value.DType}, found {have[kv.Key].DType}")
            .ToList();
        return missing.Count + unexpected.Count + misshaped.Count + mistyped.Count == 0
            ? null
            : new StateDictMismatchException(missing, unexpected, misshaped, mistyped);
    }

    private static string Describe(List<string> missing, List<string> unexpected, List<string> misshaped, List<string> mistyped)
    {
        var parts = new List<string> { "the weights do not match this architecture:" };
        if (missing.Count > 0) parts.Add($"missing {missing.Count}: {string.Join(", ", missing)}");
        if (unexpected.Count > 0) parts.Add($"unexpected {unexpected.Count}: {string.Join(", ", unexpected)}");
        if (misshaped.Count > 0) parts.Add($"mis-shaped {misshaped.Count}: {string.Join("; ", misshaped)}");
        if (mistyped.Count > 0) parts.Add($"mis-typed {mistyped.Count}: {string.Join("; ", mistyped)}");
        return string.Join(Environment.NewLine + "  ", parts);
    }
}
