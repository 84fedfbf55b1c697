using System;
using System.Collections.Generic;
using Composer.Training;

namespace Composer.Tests.Training;

/// <summary>Keeps every report; optional hooks let a test act at a given step (poison the model, simulate a crash).</summary>
internal sealed class RecordingObserver : ITrainingObserver
{
    public readonly List<StepReport> Steps = [];
    public readonly List<EvaluationReport> Evaluations = [];
    public readonly List<CheckpointReport> Checkpoints = [];
    public TrainingStart? Start;
    public TrainingResult? End;
    public Action<StepReport>? AfterStep { get; set; }
    public Action<CheckpointReport>? AfterCheckpoint { get; set; }

    public void OnStart(TrainingStart start) => Start = start;
    public void OnStep(StepReport step)
    {
        Steps.Add(step);
        AfterStep?.Invoke(step);
    }
    public void OnEvaluation(EvaluationReport evaluation) => Evaluations.Add(evaluation);
    public void OnCheckpoint(CheckpointReport checkpoint)
    {
        Checkpoints.Add(checkpoint);
        AfterCheckpoint?.Invoke(checkpoint);
    }
    public void OnEnd(TrainingResult result) => End = result;
}
