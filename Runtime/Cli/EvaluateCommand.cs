using System.CommandLine;
using System.Globalization;
using Composer.Checkpoints;
using Composer.Models;
using Composer.Training;

namespace Composer.Cli;

/// <summary><c>evaluate</c>: loss, accuracy and perplexity of a checkpoint on validation data (and contrastive accuracy for the agreement task).</summary>
internal static class EvaluateCommand
{
    public static Command Create(CliOptions o, CommandContext context)
    {
        var command = new Command("evaluate", "Evaluate a checkpoint on the validation data of a task or data files.")
        {
            o.Model, o.Checkpoint, o.Task, o.Data, o.Validation, o.TokensPerBatch, o.Window, o.Lengths, o.Digits, o.MaxDistance,
            o.TrainExamples, o.Device, o.Threads, o.Seed,
        };
        command.SetAction(parse => context.Guard(() => Run(parse, o, context)));
        return command;
    }

    private static int Run(ParseResult parse, CliOptions o, CommandContext context)
    {
        var entry = Session.SelectModel(context.Models, parse.GetValue(o.Model));
        var device = Session.Prepare(parse, o);
        using var model = Session.CreateModel(entry, device);
        var checkpoint = RunFolder.Resolve(parse.GetValue(o.Checkpoint)!);
        checkpoint.LoadModel(model);
        using var data = Session.OpenData(parse, o, entry.Description);
        data.EnsureFits((ISequenceModel)model);

        var result = Objective.For(model).Evaluate(model, data.Validation, device);
        var table = new TextTable("", "");
        table.Add("checkpoint", checkpoint.Path);
        table.Add("validation loss", Session.Format(result.Loss));
        table.Add("accuracy", result.Accuracy.ToString("P2", CultureInfo.InvariantCulture));
        table.Add("perplexity", result.Perplexity.ToString("0.00", CultureInfo.InvariantCulture));
        table.Add("targets", result.Targets.ToString("N0", CultureInfo.InvariantCulture));
        if (data.Test is not null)
            foreach (var score in ContrastiveEvaluator.Evaluate(model, data.Test, device).ByDistance)
                table.Add($"agreement at distance {score.Distance}", $"{score.Accuracy:P1} [{score.Wilson95.Low:P0}, {score.Wilson95.High:P0}] of {score.Total}");
        table.Write(context.Output, header: false);
        return ExitCodes.Success;
    }
}
