namespace Composer.Training;

/// <summary>
/// Receives the progress of a <see cref="Trainer"/>: the command line renders it as a progress bar or
/// log lines; <see cref="MetricsLog"/> writes it to <c>metrics.jsonl</c>. Every method has an empty
/// default, so an observer implements only what it shows. Calls come on the training thread, between
/// steps; a slow observer slows training.
/// </summary>
public interface ITrainingObserver
{
    /// <summary>Training is about to take its first update (of this process: after a resume, the step it resumed from + 1).</summary>
    void OnStart(TrainingStart start) { }

    /// <summary>An update finished.</summary>
    void OnStep(StepReport step) { }

    /// <summary>The model was scored on the validation set.</summary>
    void OnEvaluation(EvaluationReport evaluation) { }

    /// <summary>A checkpoint was written (and <c>last</c> points to it).</summary>
    void OnCheckpoint(CheckpointReport checkpoint) { }

    /// <summary>Training ended normally: the step budget is spent or early stopping triggered.</summary>
    void OnEnd(TrainingResult result) { }
}
