using System;

namespace Composer.Training;

/// <summary>One finished update.</summary>
/// <param name="Step">Updates done, this one included (1 after the first).</param>
/// <param name="MaxSteps">The step training stops at.</param>
/// <param name="Loss">Training loss per target (label-smoothed when smoothing is on), averaged over the update's micro-batches.</param>
/// <param name="LearningRate">The rate this update used.</param>
/// <param name="GradientNorm">The global gradient norm before clipping.</param>
/// <param name="Tokens">Targets in this update.</param>
/// <param name="TotalTokens">Targets since the start of the run (resumed runs count from their checkpoint's total).</param>
/// <param name="TokensPerSecond">Training throughput of this process so far (evaluation and checkpoint time excluded).</param>
/// <param name="Elapsed">Wall time since this process started training.</param>
public sealed record StepReport(long Step, long MaxSteps, double Loss, double LearningRate, double GradientNorm, long Tokens, long TotalTokens, double TokensPerSecond, TimeSpan Elapsed);
