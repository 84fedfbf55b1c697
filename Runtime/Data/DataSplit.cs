using System;

namespace Composer.Data;

/// <summary>A deterministic train/validation split of example indices, chosen by seed and fraction.</summary>
internal static class DataSplit
{
    /// <summary>
    /// Holds out <c>round(count × fraction)</c> examples (at least one when the fraction is positive)
    /// picked at random by <paramref name="seed"/>; both parts keep the original order.
    /// </summary>
    public static (int[] Train, int[] Validation) Indices(int count, double fraction, long seed)
    {
        int held = fraction > 0 ? Math.Max(1, (int)Math.Round(count * fraction)) : 0;
        var order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i;
        new SeededRandom(seed, SeededRandom.Streams.Split).Shuffle<int>(order);
        var validation = order[..Math.Min(held, count)];
        var train = order[Math.Min(held, count)..];
        Array.Sort(validation);
        Array.Sort(train);
        return (train, validation);
    }
}
