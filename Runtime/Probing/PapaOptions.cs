using System.Collections.Generic;

namespace Composer.Probing;

/// <summary>How to run the PAPA probe (<see cref="PapaProbe"/>).</summary>
public sealed record PapaOptions
{
    /// <summary>MIXERS.md §7a step 5: the fractions of heads made constant, from none (the baseline) to all.</summary>
    public static readonly IReadOnlyList<double> DefaultFractions = [0, 0.25, 0.5, 0.75, 0.875, 0.9375, 1];

    /// <summary>The order of replacement.</summary>
    public HeadOrder Order { get; init; } = HeadOrder.Divergence;

    /// <summary>The fractions to evaluate; the first must be 0, the baseline the drops are relative to.</summary>
    public IReadOnlyList<double> Fractions { get; init; } = DefaultFractions;

    /// <summary>Training batches to average Ā over (null: one pass over the training split).</summary>
    public long? AverageBatches { get; init; }

    /// <summary>Updates of each probe training: a classifier's head per fraction, and the gate.</summary>
    public int ProbeSteps { get; init; } = 200;

    /// <summary>Learning rate of the probe trainings (AdamW, constant).</summary>
    public double ProbeLearningRate { get; init; } = 1e-3;

    /// <summary>Seed of the random order and of every probe training.</summary>
    public long Seed { get; init; } = 1;
}
