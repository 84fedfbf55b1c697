using System;
using System.Collections.Generic;
using System.Linq;

namespace Composer.Checkpoints;

/// <summary>
/// A checkpoint belongs to a different architecture than the model it is loaded into. Nothing was
/// loaded. The message names both models and lists the settings that differ and every missing,
/// unexpected, mis-shaped and mis-typed tensor.
/// </summary>
public sealed class CheckpointMismatchException : Exception
{
    /// <summary>Tensors the model has but the checkpoint lacks.</summary>
    public IReadOnlyList<string> Missing { get; }
    /// <summary>Tensors the checkpoint has but the model lacks.</summary>
    public IReadOnlyList<string> Unexpected { get; }
    /// <summary>Tensors on both sides with different shapes, each with both shapes.</summary>
    public IReadOnlyList<string> Misshaped { get; }
    /// <summary>Tensors on both sides with the same shape but different element types, each with both types.</summary>
    public IReadOnlyList<string> Mistyped { get; }
    /// <summary>Declaration settings that differ, as "name: checkpoint → model".</summary>
    public IReadOnlyList<string> SettingDifferences { get; }

    internal CheckpointMismatchException(string message, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> misshaped, IReadOnlyList<string> mistyped, IReadOnlyList<string> settingDifferences)
        : base(message)
    {
        Mistyped = mistyped;
        Missing = missing;
        Unexpected = unexpected;
        Misshaped = misshaped;
        SettingDifferences = settingDifferences;
    }

    internal static string Describe(string checkpoint, string header, IReadOnlyList<string> settings, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> misshaped, IReadOnlyList<string> mistyped)
    {
        var lines = new List<string> { $"the checkpoint '{checkpoint}' does not fit this model, so nothing was loaded: {header}" };
        if (settings.Count > 0) lines.Add($"settings that differ (checkpoint → model): {string.Join("; ", settings)}");
        if (missing.Count > 0) lines.Add($"missing {missing.Count}: {string.Join(", ", missing)}");
        if (unexpected.Count > 0) lines.Add($"unexpected {unexpected.Count}: {string.Join(", ", unexpected)}");
        if (misshaped.Count > 0) lines.Add($"mis-shaped {misshaped.Count}: {string.Join("; ", misshaped)}");
        if (mistyped.Count > 0) lines.Add($"mis-typed {mistyped.Count}: {string.Join("; ", mistyped)}");
        if (missing.Count + unexpected.Count + misshaped.Count + mistyped.Count == 0)
            lines.Add("the tensors match, but the architecture fingerprints differ (a setting that changes the computation, not the shapes)");
        return string.Join(Environment.NewLine + "  ", lines);
    }

    internal static List<string> SettingsDiff(IReadOnlyDictionary<string, string> checkpoint, IEnumerable<KeyValuePair<string, string>> model)
    {
        var mine = model.ToList();
        var result = new List<string>();
        foreach (var (key, value) in mine)
        {
            if (!checkpoint.TryGetValue(key, out var saved)) result.Add($"{key}: (absent) → {value}");
            else if (saved != value) result.Add($"{key}: {saved} → {value}");
        }
        foreach (var (key, saved) in checkpoint)
            if (!mine.Any(kv => kv.Key == key)) result.Add($"{key}: {saved} → (absent)");
        return result;
    }
}
