namespace Composer.Training;

/// <summary>A model's score on an evaluation set.</summary>
/// <param name="Loss">Mean cross-entropy per target, in nats.</param>
/// <param name="Accuracy">Fraction of targets whose top-scoring class is right.</param>
/// <param name="Perplexity">e^Loss.</param>
/// <param name="Targets">How many targets were scored.</param>
public sealed record EvaluationResult(double Loss, double Accuracy, double Perplexity, long Targets);
