using System;
using System.Collections.Generic;

namespace Composer.Training;

/// <summary>A constant learning rate, reached by a linear warmup from 0 over the first updates.</summary>
public sealed class ConstantSchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="rate">The learning rate after warmup.</param>
    /// <param name="warmupSteps">Updates over which the rate rises linearly from rate / warmupSteps to rate (0: no warmup).</param>
    public ConstantSchedule(double rate, long warmupSteps = 0)
    {
        if (!(rate > 0 && double.IsFinite(rate))) throw new ArgumentOutOfRangeException(nameof(rate), rate, "the learning rate must be a positive number");
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        Rate = rate;
        WarmupSteps = warmupSteps;
    }

    /// <summary>The learning rate after warmup.</summary>
    public double Rate { get; }
    /// <summary>Warmup length in updates.</summary>
    public long WarmupSteps { get; }

    /// <inheritdoc />
    public override double At(long step) => Rate * WarmupFraction(step, WarmupSteps);

    /// <inheritdoc />
    public override IReadOnlyList<KeyValuePair<string, string>> Describe() =>
        [new("schedule", "constant"), new("lr", Text(Rate)), new("warmup", WarmupSteps.ToString(System.Globalization.CultureInfo.InvariantCulture))];
}
