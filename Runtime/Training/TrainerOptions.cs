using System;

namespace Composer.Training;

/// <summary>
/// How a <see cref="Trainer"/> trains: plain values, like nanoGPT's configuration. Defaults follow
/// fairseq's transformer recipe where it has one (Adam betas 0.9/0.98, clipping off by default there,
/// on here at 1.0 as in nanoGPT).
/// </summary>
public sealed record TrainerOptions
{
    /// <summary>The run folder: checkpoints, pointers and <c>metrics.jsonl</c> go here.</summary>
    public required string RunFolder { get; init; }

    /// <summary>Updates to train for (counted over the whole run, so a resumed run stops at the same step).</summary>
    public required long MaxSteps { get; init; }

    /// <summary>The learning rate per update.</summary>
    public required LearningRateSchedule Schedule { get; init; }

    /// <summary>Micro-batches whose gradients add up to one update (gradient accumulation); 1 = none.</summary>
    public int AccumulationSteps { get; init; } = 1;

    /// <summary>Largest global gradient norm; larger gradients are scaled down to it. 0 turns clipping off.</summary>
    public double ClipNorm { get; init; } = 1.0;

    /// <summary>Label smoothing ε of the training loss (PyTorch's <c>label_smoothing</c>: the target mixed with the uniform distribution); 0 = none. Validation loss is never smoothed.</summary>
    public double LabelSmoothing { get; init; }

    /// <summary>AdamW's first-moment decay.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>AdamW's second-moment decay.</summary>
    public double Beta2 { get; init; } = 0.98;

    /// <summary>AdamW's denominator term.</summary>
    public double Eps { get; init; } = 1e-8;

    /// <summary>AdamW's decoupled weight decay (matrices and embeddings only).</summary>
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>Every this many updates (and after the last one) the model is evaluated and a checkpoint written.</summary>
    public long EvalInterval { get; init; } = 500;

    /// <summary>Stop after this many evaluations in a row without a new best validation loss; 0 never stops early.</summary>
    public int Patience { get; init; }

    /// <summary>Checkpoints kept besides the best one: older ones are deleted as new ones are written.</summary>
    public int KeepLast { get; init; } = 2;

    /// <summary>
    /// Continue from the run folder's last checkpoint (a fresh start when it has none). Without it, a run
    /// folder that already holds checkpoints is refused rather than overwritten.
    /// </summary>
    public bool Resume { get; init; }

    /// <summary>
    /// Whether the run also writes TensorBoard event files (<see cref="TensorBoardLog"/>): the scalars of
    /// <c>metrics.jsonl</c>, for <c>tensorboard --logdir</c>.
    /// </summary>
    public bool TensorBoard { get; init; } = true;

    /// <summary>Where the TensorBoard event files go; null puts them in the run folder.</summary>
    public string? TensorBoardFolder { get; init; }

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(RunFolder, nameof(RunFolder));
        ArgumentNullException.ThrowIfNull(Schedule, nameof(Schedule));
        if (MaxSteps < 1) throw new ArgumentOutOfRangeException(nameof(MaxSteps), MaxSteps, "train for at least one update");
        if (AccumulationSteps < 1) throw new ArgumentOutOfRangeException(nameof(AccumulationSteps), AccumulationSteps, "an update needs at least one micro-batch");
        if (!(ClipNorm >= 0)) throw new ArgumentOutOfRangeException(nameof(ClipNorm), ClipNorm, "the clipping norm must be 0 (off) or positive");
        if (!(LabelSmoothing >= 0 && LabelSmoothing < 1)) throw new ArgumentOutOfRangeException(nameof(LabelSmoothing), LabelSmoothing, "label smoothing must be in [0, 1)");
        if (EvalInterval < 1) throw new ArgumentOutOfRangeException(nameof(EvalInterval), EvalInterval, "evaluate at least every MaxSteps updates");
        if (Patience < 0) throw new ArgumentOutOfRangeException(nameof(Patience), Patience, "patience counts evaluations: 0 (off) or more");
        if (KeepLast < 1) throw new ArgumentOutOfRangeException(nameof(KeepLast), KeepLast, "keep at least the last checkpoint");
    }
}
