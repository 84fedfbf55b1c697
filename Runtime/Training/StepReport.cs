using System;

namespace Composer.Training;

/// <summary>One finished update.</summary>
/// <remarks>
/// Tokens are what the model reads (<see cref="Data.Batch.InputTokens"/>: every input position that is
/// not padding, the decoder's input included for seq2seq); targets are what the loss scores
/// (<see cref="Data.Batch.TargetTokens"/>). On a task that scores one position per sequence, such as
/// agreement, targets are a small fraction of tokens.
/// </remarks>
/// <param name="Step">Updates done, this one included (1 after the first).</param>
/// <param name="MaxSteps">The step training stops at.</param>
/// <param name="Loss">Training loss per target (label-smoothed when smoothing is on), averaged over the update's micro-batches.</param>
/// <param name="LearningRate">The rate this update used.</param>
/// <param name="GradientNorm">The global gradient norm before clipping.</param>
/// <param name="Tokens">Tokens the model read in this update.</param>
/// <param name="TotalTokens">Tokens since the start of the run (resumed runs count from their checkpoint's total).</param>
/// <param name="TokensPerSecond">Tokens read per second of training in this process so far (evaluation and checkpoint time excluded).</param>
/// <param name="Targets">Targets scored in this update.</param>
/// <param name="TotalTargets">Targets since the start of the run.</param>
/// <param name="TargetsPerSecond">Targets per second of training in this process so far.</param>
/// <param name="Elapsed">Wall time since this process started training.</param>
public sealed record StepReport(
    long Step, long MaxSteps, double Loss, double LearningRate, double GradientNorm,
    long Tokens, long TotalTokens, double TokensPerSecond,
    long Targets, long TotalTargets, double TargetsPerSecond,
    TimeSpan Elapsed)
{
    /// <summary>
    /// Data-parallel training: this update's wall time in the gradient all-reduce on rank 0 (copying the
    /// gradients into the buckets and back included, and any wait for a slower rank); null when training alone.
    /// </summary>
    public TimeSpan? AllReduceTime { get; init; }
}
