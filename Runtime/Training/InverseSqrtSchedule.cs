using System;
using System.Collections.Generic;

namespace Composer.Training;

/// <summary>
/// fairseq's <c>inverse_sqrt</c> schedule: a linear warmup from <see cref="InitialRate"/> to the peak over
/// <see cref="WarmupSteps"/> updates, then decay proportional to 1/√step, continuous at the end of warmup:
/// <c>lr(s) = init + s·(peak − init)/warmup</c> for s &lt; warmup, <c>peak·√(warmup/s)</c> after.
/// </summary>
/// <remarks>
/// fairseq evaluates the formula at the number of updates already made, so its first update uses the
/// initial rate (0 by default); Composer evaluates it at the number of the update being made, so the
/// first update already moves the weights. Otherwise the sequences are the same.
/// </remarks>
public sealed class InverseSqrtSchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="peak">The rate at the end of warmup.</param>
    /// <param name="warmupSteps">Warmup length in updates (0: decay from the first update, as peak/√s).</param>
    /// <param name="initialRate">The rate warmup starts from (fairseq's <c>warmup_init_lr</c>).</param>
    public InverseSqrtSchedule(double peak, long warmupSteps, double initialRate = 0)
    {
        if (!(peak > 0 && double.IsFinite(peak))) throw new ArgumentOutOfRangeException(nameof(peak), peak, "the peak learning rate must be a positive number");
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        if (!(initialRate >= 0 && initialRate <= peak)) throw new ArgumentOutOfRangeException(nameof(initialRate), initialRate, "the initial learning rate must be between 0 and the peak");
        Peak = peak;
        WarmupSteps = warmupSteps;
        InitialRate = initialRate;
    }

    /// <summary>The rate at the end of warmup.</summary>
    public double Peak { get; }
    /// <summary>Warmup length in updates.</summary>
    public long WarmupSteps { get; }
    /// <summary>The rate warmup starts from.</summary>
    public double InitialRate { get; }

    /// <inheritdoc />
    public override double At(long step)
    {
        if (step < WarmupSteps) return InitialRate + step * ((Peak - InitialRate) / WarmupSteps);
        // fairseq's decay_factor · step^-0.5 with decay_factor = peak · √warmup.
        return Peak * Math.Sqrt(Math.Max(WarmupSteps, 1)) * Math.Pow(Math.Max(step, 1), -0.5);
    }

    /// <inheritdoc />
    public override IReadOnlyList<KeyValuePair<string, string>> Describe() =>
        [new("schedule", "inverse-sqrt"), new("lr", Text(Peak)), new("warmup", WarmupSteps.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("warmup_init_lr", Text(InitialRate))];
}
