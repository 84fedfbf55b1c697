using System;

namespace Composer.Training;

/// <summary>
/// The loss or the gradient norm became NaN or infinite. Training stopped before the update that would
/// have spread it into the weights; checkpoints already written are untouched.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    internal TrainingDivergedException(string message, long step, double loss, double gradientNorm, string? lastCheckpoint) : base(message)
    {
        Step = step;
        Loss = loss;
        GradientNorm = gradientNorm;
        LastCheckpoint = lastCheckpoint;
    }

    /// <summary>The update that diverged (1-based; it was not applied).</summary>
    public long Step { get; }
    /// <summary>The update's loss (possibly NaN or infinite).</summary>
    public double Loss { get; }
    /// <summary>The update's gradient norm (possibly NaN or infinite).</summary>
    public double GradientNorm { get; }
    /// <summary>The newest good checkpoint folder, or null when none was written.</summary>
    public string? LastCheckpoint { get; }
}
