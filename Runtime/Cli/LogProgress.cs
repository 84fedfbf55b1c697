using System;
using System.Globalization;
using System.IO;
using Composer.Training;

namespace Composer.Cli;

/// <summary>Progress as plain log lines, for output that is redirected to a file or a pipe (CI, compare's child runs).</summary>
internal sealed class LogProgress(TextWriter output, long every) : ITrainingObserver
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public void OnStart(TrainingStart start) => output.WriteLine(string.Create(Invariant,
        $"training {start.Model} ({start.ParameterCount:N0} parameters) on {start.Device}, {start.MaxSteps:N0} updates, run folder {start.RunFolder}{(start.ResumedFrom is null ? "" : ", resuming from " + start.ResumedFrom)}"));

    public void OnStep(StepReport step)
    {
        if (step.Step % every != 0 && step.Step != step.MaxSteps) return;
        double remaining = step.TokensPerSecond > 0 && step.Step > 0 ? step.Elapsed.TotalSeconds / step.Step * (step.MaxSteps - step.Step) : 0;
        output.WriteLine(string.Create(Invariant,
            $"step {step.Step,6}/{step.MaxSteps}  loss {step.Loss:0.0000}  lr {step.LearningRate:0.00e+0}  {step.TokensPerSecond,8:N0} tok/s  eta {Duration(remaining)}"));
    }

    public void OnEvaluation(EvaluationReport report) => output.WriteLine(string.Create(Invariant,
        $"eval  {report.Step,6}  loss {report.Result.Loss:0.0000}  accuracy {report.Result.Accuracy:P1}  perplexity {report.Result.Perplexity:0.00}{(report.IsBest ? "  (best)" : "")}"));

    public static string Duration(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Max(0, seconds));
        return t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", Invariant) : t.ToString(@"m\:ss", Invariant);
    }
}
