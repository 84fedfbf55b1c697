using System;

namespace Composer.Training;

/// <summary>How a training run ended.</summary>
/// <param name="Reason">Why it stopped.</param>
/// <param name="Step">Updates done.</param>
/// <param name="TotalTokens">Tokens the model read in training over the whole run (see <see cref="StepReport"/>).</param>
/// <param name="TotalTargets">Training targets scored over the whole run.</param>
/// <param name="LastEvaluation">The final validation score, or null without a validation set.</param>
/// <param name="BestLoss">The lowest validation loss, or null without a validation set.</param>
/// <param name="BestStep">The step that reached it, or null.</param>
/// <param name="TokensPerSecond">Tokens read per second of training in this process (evaluation and checkpoint time excluded).</param>
/// <param name="TargetsPerSecond">Targets scored per second of training in this process.</param>
/// <param name="Elapsed">Wall time of this process's training.</param>
/// <param name="LastCheckpoint">The newest checkpoint folder, or null if none was written.</param>
public sealed record TrainingResult(
    StopReason Reason, long Step, long TotalTokens, long TotalTargets, EvaluationResult? LastEvaluation, double? BestLoss, long? BestStep,
    double TokensPerSecond, double TargetsPerSecond, TimeSpan Elapsed, string? LastCheckpoint);
