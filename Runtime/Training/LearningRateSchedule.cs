using System.Collections.Generic;

namespace Composer.Training;

/// <summary>
/// A learning rate as a pure function of the update number, so a resumed run needs only the step to
/// continue the schedule exactly. <see cref="At"/> takes the number of the update about to be made,
/// counting from 1.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>The learning rate of update <paramref name="step"/> (1 for the first update).</summary>
    public abstract double At(long step);

    /// <summary>The schedule's name and settings as invariant text (stored in checkpoints and metrics, shown in summaries).</summary>
    public abstract IReadOnlyList<KeyValuePair<string, string>> Describe();

    /// <summary>Linear warmup from 0: the fraction of the peak reached at <paramref name="step"/> (1 once warmup is over).</summary>
    private protected static double WarmupFraction(long step, long warmupSteps) =>
        warmupSteps > 0 && step < warmupSteps ? (double)step / warmupSteps : 1.0;

    private protected static string Text(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
