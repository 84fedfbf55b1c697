using System;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Composer.Checkpoints;
using Composer.Models;
using Composer.Training;
using Composer.Data;
using Composer.Distributed;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Cli;

/// <summary><c>train</c>: trains one model on a built-in task or data files with the shared loop.</summary>
internal static class TrainCommand
{
    public static Command Create(CliOptions o, CommandContext context)
    {
        var command = new Command("train", "Train a model on a built-in task (--task) or on data files (--data).")
        {
            o.Model, o.Task, o.Data, o.Validation, o.TokensPerBatch, o.Window, o.Lengths, o.Digits, o.MaxDistance, o.TrainExamples, o.TestExamples,
            o.Steps, o.RunFolder, o.LearningRate, o.Warmup, o.Schedule, o.Accumulate, o.Clip, o.LabelSmoothing, o.WeightDecay,
            o.EvalEvery, o.Patience, o.KeepLast, o.Resume, o.TensorBoard, o.NoTensorBoard, o.Device, o.Threads, o.Seed, o.PeerTimeout,
        };
        command.SetAction(parse => context.Guard(() => Run(parse, o, context)));
        return command;
    }

    private static int Run(ParseResult parse, CliOptions o, CommandContext context)
    {
        // Started by mpirun as one of several processes: the data-parallel path (DataParallelTraining).
        if (LaunchEnvironment.Detect() is { } launch) return DataParallelTraining.Run(parse, o, context, launch);
        var entry = Session.SelectModel(context.Models, parse.GetValue(o.Model));
        var device = Session.Prepare(parse, o);
        using var model = Session.CreateModel(entry, device);
        using var data = Session.OpenData(parse, o, entry.Description);
        data.EnsureFits((ISequenceModel)model);
        foreach (var line in data.Summary) context.Output.WriteLine(line);

        var options = Options(parse, o, entry);
        var result = Train(model, data, options, context, entry.Description.Name);
        var report = Report(entry, model, data, options, result, device, parse.GetValue(o.Task) ?? parse.GetValue(o.Data)!.Name);
        report.Save(options.RunFolder);
        WriteAgreement(options, report);
        Print(report, context.Output);
        return ExitCodes.Success;
    }

    /// <summary>Agreement accuracy by distance into the TensorBoard files, when the run writes them.</summary>
    internal static void WriteAgreement(TrainerOptions options, RunResult report)
    {
        if (options.TensorBoard && report.Contrastive is { } agreement)
            TensorBoardLog.WriteAgreement(options.TensorBoardFolder ?? options.RunFolder, agreement.Select(d => (d.Distance, d.Accuracy)));
    }

    /// <summary>The trainer's options from the flags.</summary>
    internal static TrainerOptions Options(ParseResult parse, CliOptions o, ModelEntry entry)
    {
        long steps = parse.GetValue(o.Steps);
        bool tensorBoard = !parse.GetValue(o.NoTensorBoard);
        if (!tensorBoard && parse.GetValue(o.TensorBoard) is not null)
            throw new UsageException("--tensorboard DIR and --no-tensorboard contradict each other; give one of them.");
        return new TrainerOptions
        {
            RunFolder = parse.GetValue(o.RunFolder) ?? Path.Combine("runs", entry.Description.Name),
            MaxSteps = steps,
            Schedule = Schedule(parse, o, steps),
            AccumulationSteps = parse.GetValue(o.Accumulate),
            ClipNorm = parse.GetValue(o.Clip),
            LabelSmoothing = parse.GetValue(o.LabelSmoothing),
            WeightDecay = parse.GetValue(o.WeightDecay),
            EvalInterval = parse.GetValue(o.EvalEvery),
            Patience = parse.GetValue(o.Patience),
            KeepLast = parse.GetValue(o.KeepLast),
            Resume = parse.GetValue(o.Resume),
            TensorBoard = tensorBoard,
            TensorBoardFolder = parse.GetValue(o.TensorBoard),
        };
    }

    private static LearningRateSchedule Schedule(ParseResult parse, CliOptions o, long steps)
    {
        double lr = parse.GetValue(o.LearningRate);
        long warmup = parse.GetValue(o.Warmup) ?? steps / 10;
        if (warmup < 0) throw new UsageException($"--warmup must be 0 or more (got {warmup}).");
        if (warmup >= steps) throw new UsageException($"--warmup ({warmup}) must be smaller than --steps ({steps}).");
        return parse.GetValue(o.Schedule) switch
        {
            "inverse-sqrt" => new InverseSqrtSchedule(lr, Math.Max(warmup, 1)),
            "constant" => new ConstantSchedule(lr, warmup),
            _ => new CosineSchedule(lr, warmup, steps, lr / 10),
        };
    }

    /// <summary>Trains with progress on <paramref name="context"/>'s output; data-parallel, with <paramref name="collectives"/> (progress from rank 0 only).</summary>
    internal static TrainingResult Train(nn.Module model, TrainingData data, TrainerOptions options, CommandContext context, string name, ICollectives? collectives = null)
    {
        if (collectives is { Size: > 1 })
        {
            using var parallel = new Trainer(model, data.Train, data.Validation, options,
                collectives.Rank == 0 ? new LogProgress(context.Output, Math.Max(1, options.MaxSteps / 20)) : null, collectives);
            return parallel.Run();
        }
        if (context.Interactive)
            return LiveProgress.Show(name, observer =>
            {
                using var trainer = new Trainer(model, data.Train, data.Validation, options, observer);
                return trainer.Run();
            });
        using var plain = new Trainer(model, data.Train, data.Validation, options, new LogProgress(context.Output, Math.Max(1, options.MaxSteps / 20)));
        return plain.Run();
    }

    /// <summary>Final numbers of a run: the last evaluation, throughput, memory, and — for the agreement task — contrastive accuracy with the best weights.</summary>
    internal static RunResult Report(ModelEntry entry, nn.Module model, TrainingData data, TrainerOptions options, TrainingResult result, Device device, string dataName)
    {
        DistanceAccuracy[]? contrastive = null;
        if (data.Test is not null)
        {
            var best = new RunFolder(options.RunFolder).Best();
            best?.LoadModel(model);
            var tally = ContrastiveEvaluator.Evaluate(model, data.Test, device);
            contrastive = tally.ByDistance.Select(s => new DistanceAccuracy(s.Distance, s.Accuracy, s.Wilson95.Low, s.Wilson95.High, s.Total)).ToArray();
        }
        return new RunResult
        {
            Model = entry.Description.Name,
            Parameters = Session.ParameterCount(model),
            Data = dataName,
            Steps = result.Step,
            Tokens = result.TotalTokens,
            Targets = result.TotalTargets,
            ValidationLoss = result.LastEvaluation?.Loss,
            ValidationAccuracy = result.LastEvaluation?.Accuracy,
            BestValidationLoss = result.BestLoss,
            TokensPerSecond = result.TokensPerSecond,
            TargetsPerSecond = result.TargetsPerSecond,
            PeakMemoryBytes = Process.GetCurrentProcess().PeakWorkingSet64,
            Seconds = result.Elapsed.TotalSeconds,
            Contrastive = contrastive,
        };
    }

    internal static void Print(RunResult r, TextWriter output)
    {
        output.WriteLine();
        var table = new TextTable("", "");
        table.Add("model", r.Model);
        table.Add("parameters", r.Parameters.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        table.Add("updates", r.Steps.ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.Add("validation loss", r.ValidationLoss is double l ? Session.Format(l) : "–");
        table.Add("validation accuracy", r.ValidationAccuracy is double a ? a.ToString("P1", System.Globalization.CultureInfo.InvariantCulture) : "–");
        table.Add("tokens/s", r.TokensPerSecond.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        table.Add("targets/s", r.TargetsPerSecond.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        table.Add("peak memory", $"{r.PeakMemoryBytes / (1024 * 1024)} MiB");
        table.Add("time", LogProgress.Duration(r.Seconds));
        if (r.Contrastive is not null)
            foreach (var d in r.Contrastive)
                table.Add($"agreement at distance {d.Distance}", $"{d.Accuracy:P1} [{d.Low:P0}, {d.High:P0}]");
        table.Write(output, header: false);
    }
}
