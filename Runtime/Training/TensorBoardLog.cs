using System;
using System.Collections.Generic;
using Composer.Training.TensorBoard;

namespace Composer.Training;

/// <summary>
/// Writes a run's progress as TensorBoard scalars (<c>tensorboard --logdir runs/</c>): per update
/// <c>train/loss</c>, <c>train/learning_rate</c>, <c>train/grad_norm</c>, <c>train/tokens_per_second</c> and
/// <c>train/targets_per_second</c>; per evaluation <c>eval/loss</c>, <c>eval/accuracy</c> and
/// <c>eval/perplexity</c>. The values are those of <c>metrics.jsonl</c>, as float32 (TensorBoard's
/// <c>simple_value</c>). A resumed run opens a new file that starts with a restart mark at the first
/// update it redoes, so TensorBoard shows each update once.
/// </summary>
public sealed class TensorBoardLog : ITrainingObserver, IDisposable
{
    private readonly EventFile _file;

    /// <summary>Opens a new event file in <paramref name="folder"/> for a run that continues after <paramref name="step"/> (0: a fresh run).</summary>
    public TensorBoardLog(string folder, long step)
    {
        _file = new EventFile(folder);
        if (step > 0) _file.WriteRestart(step + 1);
    }

    /// <summary>The event file being written.</summary>
    public string Path => _file.Path;

    /// <inheritdoc />
    public void OnStep(StepReport step) => _file.WriteScalars(step.Step,
    [
        ("train/loss", step.Loss),
        ("train/learning_rate", step.LearningRate),
        ("train/grad_norm", step.GradientNorm),
        ("train/tokens_per_second", step.TokensPerSecond),
        ("train/targets_per_second", step.TargetsPerSecond),
    ]);

    /// <inheritdoc />
    public void OnEvaluation(EvaluationReport evaluation) => _file.WriteScalars(evaluation.Step,
    [
        ("eval/loss", evaluation.Result.Loss),
        ("eval/accuracy", evaluation.Result.Accuracy),
        ("eval/perplexity", evaluation.Result.Perplexity),
    ]);

    /// <summary>
    /// Writes contrastive agreement accuracy as the series <c>agreement/accuracy_by_distance</c> whose step
    /// is the subject–verb distance, so TensorBoard draws accuracy against distance.
    /// </summary>
    public static void WriteAgreement(string folder, IEnumerable<(int Distance, double Accuracy)> byDistance)
    {
        using var file = new EventFile(folder);
        foreach (var (distance, accuracy) in byDistance)
            file.WriteScalars(distance, [(AgreementTag, accuracy)]);
    }

    /// <summary>The tag of <see cref="WriteAgreement"/>'s series.</summary>
    public const string AgreementTag = "agreement/accuracy_by_distance";

    /// <summary>Closes the file.</summary>
    public void Dispose() => _file.Dispose();
}
