using System;
using System.Collections.Generic;

namespace Composer.Training;

/// <summary>
/// Linear warmup to the peak, then half a cosine down to <see cref="MinimumRate"/> at
/// <see cref="TotalSteps"/>, constant after (nanoGPT's schedule):
/// <c>lr(s) = min + ½(1 + cos(π·(s − warmup)/(total − warmup)))·(peak − min)</c>.
/// </summary>
public sealed class CosineSchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="peak">The rate at the end of warmup.</param>
    /// <param name="warmupSteps">Updates over which the rate rises linearly from peak / warmupSteps to the peak.</param>
    /// <param name="totalSteps">The update at which the decay reaches <paramref name="minimumRate"/>.</param>
    /// <param name="minimumRate">The floor the rate decays to.</param>
    public CosineSchedule(double peak, long warmupSteps, long totalSteps, double minimumRate = 0)
    {
        if (!(peak > 0 && double.IsFinite(peak))) throw new ArgumentOutOfRangeException(nameof(peak), peak, "the peak learning rate must be a positive number");
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        if (totalSteps <= warmupSteps) throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, $"the total number of updates must exceed the warmup ({warmupSteps})");
        if (!(minimumRate >= 0 && minimumRate <= peak)) throw new ArgumentOutOfRangeException(nameof(minimumRate), minimumRate, "the minimum learning rate must be between 0 and the peak");
        Peak = peak;
        WarmupSteps = warmupSteps;
        TotalSteps = totalSteps;
        MinimumRate = minimumRate;
    }

    /// <summary>The rate at the end of warmup.</summary>
    public double Peak { get; }
    /// <summary>Warmup length in updates.</summary>
    public long WarmupSteps { get; }
    /// <summary>The update at which the decay ends.</summary>
    public long TotalSteps { get; }
    /// <summary>The rate after the decay.</summary>
    public double MinimumRate { get; }

    /// <inheritdoc />
    public override double At(long step)
    {
        if (step < WarmupSteps) return Peak * WarmupFraction(step, WarmupSteps);
        if (step >= TotalSteps) return MinimumRate;
        double progress = (double)(step - WarmupSteps) / (TotalSteps - WarmupSteps);
        return MinimumRate + 0.5 * (1 + Math.Cos(Math.PI * progress)) * (Peak - MinimumRate);
    }

    /// <inheritdoc />
    public override IReadOnlyList<KeyValuePair<string, string>> Describe() =>
        [new("schedule", "cosine"), new("lr", Text(Peak)), new("warmup", WarmupSteps.ToString(System.Globalization.CultureInfo.InvariantCulture)),
         new("total", TotalSteps.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("min_lr", Text(MinimumRate))];
}
