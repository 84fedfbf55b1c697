using System.Collections.Generic;
using Composer.Data;

namespace Composer.Checkpoints;

/// <summary>
/// The <c>state.json</c> of a checkpoint: everything besides weights and optimizer moments that a run
/// needs to continue exactly where it stopped, and what identifies the architecture it belongs to.
/// </summary>
public sealed record TrainingState
{
    /// <summary>The version of this file's layout; a newer one is refused with a clear message.</summary>
    public int Format { get; init; } = CurrentFormat;

    /// <summary>The layout this build writes and reads.</summary>
    public const int CurrentFormat = 1;

    /// <summary>The Composer version that wrote the checkpoint.</summary>
    public required string ComposerVersion { get; init; }

    /// <summary>Updates completed.</summary>
    public required long Step { get; init; }

    /// <summary>Tokens the model has read in training so far (<see cref="Data.Batch.InputTokens"/>: padding excluded).</summary>
    public required long Tokens { get; init; }

    /// <summary>Training targets (predicted tokens, or sequences for classifiers) scored so far (<see cref="Data.Batch.TargetTokens"/>).</summary>
    public long Targets { get; init; }

    /// <summary>The learning rate of the last update; the schedule continues from <see cref="Step"/>.</summary>
    public required double LearningRate { get; init; }

    /// <summary>The schedule's name and settings, as <see cref="Training.LearningRateSchedule.Describe"/> gives them.</summary>
    public required Dictionary<string, string> Schedule { get; init; }

    /// <summary>Where the training batch stream continues.</summary>
    public required DataPosition Data { get; init; }

    /// <summary>The random generators' states when the checkpoint was written.</summary>
    public required RngStates Rng { get; init; }

    /// <summary>The lowest validation loss so far, or null before the first evaluation.</summary>
    public double? BestLoss { get; init; }

    /// <summary>The step that reached <see cref="BestLoss"/>.</summary>
    public long? BestStep { get; init; }

    /// <summary>Evaluations since the last improvement (early stopping's patience counter).</summary>
    public int EvaluationsWithoutImprovement { get; init; }

    /// <summary>The architecture the weights belong to.</summary>
    public required ModelIdentity Model { get; init; }

    /// <summary>The optimizer's hyperparameters and step count.</summary>
    public required OptimizerSettings Optimizer { get; init; }
}

/// <summary>What identifies a model's architecture in a checkpoint.</summary>
/// <param name="Name">The declared class name.</param>
/// <param name="Kind">"LanguageModel", "Seq2Seq" or "Classifier".</param>
/// <param name="Fingerprint">The architecture fingerprint (a hash of the settings).</param>
/// <param name="Settings">Every setting of the declaration, in declaration order.</param>
public sealed record ModelIdentity(string Name, string Kind, string Fingerprint, Dictionary<string, string> Settings);

/// <summary>The optimizer's settings as saved; its moments are in <c>optimizer.safetensors</c>.</summary>
/// <param name="Name">"AdamW".</param>
/// <param name="Step">Updates the optimizer has made (its bias corrections depend on it).</param>
/// <param name="Beta1">First-moment decay.</param>
/// <param name="Beta2">Second-moment decay.</param>
/// <param name="Eps">Denominator term.</param>
/// <param name="WeightDecay">Decoupled weight decay.</param>
public sealed record OptimizerSettings(string Name, long Step, double Beta1, double Beta2, double Eps, double WeightDecay);
