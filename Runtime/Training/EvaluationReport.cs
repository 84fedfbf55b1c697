namespace Composer.Training;

/// <summary>A validation score taken during training.</summary>
/// <param name="Step">Updates done when it was taken.</param>
/// <param name="Result">Loss, accuracy, perplexity.</param>
/// <param name="IsBest">Whether this is the lowest validation loss so far.</param>
/// <param name="BestLoss">The lowest validation loss so far (this one's when <paramref name="IsBest"/>).</param>
/// <param name="BestStep">The step that reached it.</param>
/// <param name="EvaluationsWithoutImprovement">Evaluations since the best one (0 when this is the best); early stopping compares it with the patience.</param>
public sealed record EvaluationReport(long Step, EvaluationResult Result, bool IsBest, double BestLoss, long BestStep, int EvaluationsWithoutImprovement);
