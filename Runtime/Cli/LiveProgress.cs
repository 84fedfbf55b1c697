using System.Globalization;
using Composer.Training;
using Spectre.Console;

namespace Composer.Cli;

/// <summary>A live progress bar on a terminal: step, loss, learning rate, tokens/s and time remaining.</summary>
internal sealed class LiveProgress(ProgressTask task) : ITrainingObserver
{
    private string _evaluation = "";

    public void OnStep(StepReport step)
    {
        task.MaxValue = step.MaxSteps;
        task.Value = step.Step;
        task.Description = string.Create(CultureInfo.InvariantCulture,
            $"step {step.Step}/{step.MaxSteps}  loss [bold]{step.Loss:0.000}[/]  lr {step.LearningRate:0.0e+0}  {step.TokensPerSecond:N0} tok/s{_evaluation}");
    }

    public void OnEvaluation(EvaluationReport report) =>
        _evaluation = string.Create(CultureInfo.InvariantCulture, $"  [grey]val {report.Result.Loss:0.000}[/]");

    /// <summary>Runs <paramref name="body"/> under a live progress display and returns its result.</summary>
    public static T Show<T>(string title, System.Func<ITrainingObserver, T> body) =>
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var task = context.AddTask(Markup.Escape(title));
                return body(new LiveProgress(task));
            });
}
