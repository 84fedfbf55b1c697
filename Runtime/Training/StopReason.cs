namespace Composer.Training;

/// <summary>Why training stopped.</summary>
public enum StopReason
{
    /// <summary>The step budget was reached.</summary>
    Completed,
    /// <summary>The validation loss did not improve for <see cref="TrainerOptions.Patience"/> evaluations.</summary>
    EarlyStopped,
}
