using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using Composer.Checkpoints;
using Composer.Data.Tasks;
using Composer.Figures;
using Composer.Layers;
using Composer.Models;

namespace Composer.Cli;

/// <summary>
/// <c>compare</c>: the research question in one command. Trains several declared models on one
/// built-in task with the same number of updates and the same token budget per update, each in its own
/// process (so peak memory and failures are per model), then prints one table.
/// </summary>
internal static class CompareCommand
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static Command Create(CliOptions o, CommandContext context)
    {
        var command = new Command("compare", "Train several models on one task with equal budgets and compare them in one table.")
        {
            o.Models, o.Task, o.RunsRoot, o.Steps, o.TokensPerBatch, o.LearningRate, o.Warmup, o.Schedule, o.Clip, o.EvalEvery,
            o.Lengths, o.Digits, o.MaxDistance, o.TrainExamples, o.TestExamples, o.TensorBoard, o.NoTensorBoard, o.Device, o.Threads, o.Seed,
        };
        command.SetAction(parse => context.Guard(() => Run(parse, o, context)));
        return command;
    }

    private static int Run(ParseResult parse, CliOptions o, CommandContext context)
    {
        var taskName = parse.GetValue(o.Task) ?? "agreement";
        var task = BuiltInTasks.Find(taskName) ?? throw new UsageException($"there is no built-in task '{taskName}' (tasks: {string.Join(", ", BuiltInTasks.All.Select(t => t.Name))}).");
        var models = SelectModels(context.Models, parse.GetValue(o.Models), task);
        string root = parse.GetValue(o.RunsRoot)!;
        FigureFiles.EnsureWritable(root);   // before minutes of training, not after

        context.Output.WriteLine(string.Create(Invariant,
            $"compare: {models.Count} models on '{task.Name}' ({task.Description}); {parse.GetValue(o.Steps)} updates of {parse.GetValue(o.TokensPerBatch)} tokens each; runs in {root}"));
        var results = new List<(ModelEntry Entry, RunResult? Result, string? Failure)>();
        foreach (var entry in models)
        {
            string run = Path.Combine(root, entry.Description.Name);
            if (Directory.Exists(run)) Directory.Delete(run, recursive: true);   // a comparison always starts fresh
            context.Output.WriteLine();
            context.Output.WriteLine($"== {entry.Description.Name}");
            var (exit, lastError) = TrainInChild(ChildArguments(parse, o, entry, task.Name, run), context.Output);
            results.Add(exit == 0 ? (entry, RunResult.Load(run), null) : (entry, null, lastError ?? $"exit code {exit}"));
        }

        context.Output.WriteLine();
        WriteTables(results, task, context.Output);
        var figures = WriteFigures(root, results);
        WriteMarkdown(Path.Combine(root, "compare.md"), results, task, figures);
        context.Output.WriteLine();
        context.Output.WriteLine($"(tables also in {Path.Combine(root, "compare.md")}; figures {string.Join(", ", figures.Select(f => f.Png))}; each run's metrics.jsonl and result.json in its folder)");
        return results.Any(r => r.Result is null) ? ExitCodes.Failure : ExitCodes.Success;
    }

    private static List<ModelEntry> SelectModels(IReadOnlyList<ModelEntry> all, string? list, TaskInfo task)
    {
        if (list is null)
        {
            var fitting = all.Where(m => task.Kinds.Contains(m.Description.Kind)).ToList();
            if (fitting.Count == 0) throw new UsageException($"no declared model fits the task '{task.Name}' (it needs a {string.Join(" or ", task.Kinds)}).");
            return fitting;
        }
        var chosen = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(name => Session.SelectModel(all, name)).ToList();
        foreach (var m in chosen.Where(m => !task.Kinds.Contains(m.Description.Kind)))
            throw new UsageException($"{m.Description.Name} is a {m.Description.Kind}, but the task '{task.Name}' needs a {string.Join(" or ", task.Kinds)}.");
        return chosen;
    }

    private static List<string> ChildArguments(ParseResult parse, CliOptions o, ModelEntry entry, string task, string run)
    {
        var args = new List<string>
        {
            "train", "--model", entry.Description.Name, "--task", task, "--run", run,
            "--steps", S(parse.GetValue(o.Steps)), "--tokens-per-batch", S(parse.GetValue(o.TokensPerBatch)),
            "--lr", S(parse.GetValue(o.LearningRate)), "--schedule", parse.GetValue(o.Schedule)!,
            "--clip", S(parse.GetValue(o.Clip)), "--eval-every", S(parse.GetValue(o.EvalEvery)),
            "--device", parse.GetValue(o.Device)!, "--threads", S(parse.GetValue(o.Threads)), "--seed", S(parse.GetValue(o.Seed)),
        };
        if (parse.GetValue(o.Warmup) is long warmup) args.AddRange(["--warmup", S(warmup)]);
        if (parse.GetValue(o.Lengths) is string lengths) args.AddRange(["--lengths", lengths]);
        if (parse.GetValue(o.Digits) is string digits) args.AddRange(["--digits", digits]);
        if (parse.GetValue(o.MaxDistance) is int distance) args.AddRange(["--max-distance", S(distance)]);
        if (parse.GetValue(o.TrainExamples) is int examples) args.AddRange(["--train-examples", S(examples)]);
        if (parse.GetValue(o.TestExamples) is int tests) args.AddRange(["--test-examples", S(tests)]);
        if (parse.GetValue(o.NoTensorBoard)) args.Add("--no-tensorboard");
        if (parse.GetValue(o.TensorBoard) is string board) args.AddRange(["--tensorboard", Path.Combine(board, entry.Description.Name)]);
        return args;
    }

    private static string S(IFormattable value) => value.ToString(null, Invariant);

    /// <summary>Runs this executable's <c>train</c> in a child process, echoing its log with the model's lines indented.</summary>
    private static (int Exit, string? LastError) TrainInChild(List<string> args, TextWriter output)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var self = Environment.ProcessPath ?? throw new CliFailure("cannot tell which executable is running, so compare cannot start its training runs.");
        start.FileName = self;
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        foreach (var a in args) start.ArgumentList.Add(a);
        string? lastError = null;
        using var process = Process.Start(start) ?? throw new CliFailure($"could not start {self}");
        process.ErrorDataReceived += (_, e) => { if (!string.IsNullOrWhiteSpace(e.Data)) { lastError = e.Data; lock (output) output.WriteLine("  " + e.Data); } };
        process.BeginErrorReadLine();
        string? line;
        while ((line = process.StandardOutput.ReadLine()) is not null)
            lock (output) output.WriteLine("  " + line);
        process.WaitForExit();
        return (process.ExitCode, lastError);
    }

    private static void WriteTables(List<(ModelEntry Entry, RunResult? Result, string? Failure)> results, TaskInfo task, TextWriter output)
    {
        var summary = new TextTable("model", "parameters", "validation loss", "accuracy", "tokens/s", "targets/s", "peak memory", "time");
        foreach (var (entry, r, failure) in results.OrderBy(r => r.Result?.ValidationLoss ?? double.MaxValue))
        {
            if (r is null) { summary.Add(entry.Description.Name, "–", "failed: " + failure, "", "", "", "", ""); continue; }
            summary.Add(r.Model, r.Parameters.ToString("N0", Invariant), r.ValidationLoss is double l ? Session.Format(l) : "–",
                r.ValidationAccuracy is double a ? a.ToString("P1", Invariant) : "–", r.TokensPerSecond.ToString("N0", Invariant), r.TargetsPerSecond.ToString("N0", Invariant),
                $"{r.PeakMemoryBytes / (1024 * 1024)} MiB", LogProgress.Duration(r.Seconds));
        }
        summary.Write(output);

        var contrastive = results.Where(r => r.Result?.Contrastive is not null).ToList();
        if (contrastive.Count == 0) return;
        var distances = contrastive.SelectMany(r => r.Result!.Contrastive!.Select(d => d.Distance)).Distinct().Order().ToArray();
        output.WriteLine();
        output.WriteLine("contrastive agreement accuracy by subject–verb distance (chance = 50%; Wilson 95% intervals in compare.md):");
        var table = new TextTable(["model", .. distances.Select(d => "d=" + S(d))]);
        foreach (var (_, r, _) in contrastive)
            table.Add([r!.Model, .. distances.Select(d => r.Contrastive!.FirstOrDefault(x => x.Distance == d) is { } x ? x.Accuracy.ToString("P0", Invariant) : "–")]);
        table.Write(output);
    }

    /// <summary>
    /// The comparison's figures next to compare.md: accuracy by distance (agreement only) and the loss
    /// curves of every model that finished. Model i has the same colour in both.
    /// </summary>
    private static List<SavedFigure> WriteFigures(string root, List<(ModelEntry Entry, RunResult? Result, string? Failure)> results)
    {
        var finished = results.Where(r => r.Result is not null).ToList();
        var figures = new List<SavedFigure>();
        if (finished.Count == 0) return figures;
        if (finished.Any(r => r.Result!.Contrastive is not null))
        {
            var curves = finished.Select(r => new AgreementCurve(r.Result!.Model, r.Result.Contrastive ?? [], ReceptiveFieldOf(r.Entry))).ToList();
            figures.Add(AgreementFigure.Save(curves, Path.Combine(root, AgreementFigureName)));
        }
        var losses = finished.Select(r => TrainingCurves.Read(r.Result!.Model, Path.Combine(root, r.Entry.Description.Name, RunFolder.MetricsFile))).ToList();
        figures.Add(LossCurvesFigure.Save(losses, Path.Combine(root, LossFigureName)));
        return figures;
    }

    /// <summary>File names (without extension) of the figures in the comparison folder.</summary>
    internal const string AgreementFigureName = "agreement-by-distance", LossFigureName = "loss-curves";

    private static int? ReceptiveFieldOf(ModelEntry entry)
    {
        using var model = entry.Create(ModuleContext.Cpu);
        return ReceptiveField.Left(model);
    }

    private static void WriteMarkdown(string path, List<(ModelEntry Entry, RunResult? Result, string? Failure)> results, TaskInfo task, List<SavedFigure> figures)
    {
        using var md = new StreamWriter(path);
        md.WriteLine($"# compare on `{task.Name}`");
        md.WriteLine();
        foreach (var figure in figures)
        {
            string name = Path.GetFileName(figure.Png);
            md.WriteLine($"![{Path.GetFileNameWithoutExtension(name)}]({name}) ([SVG]({Path.GetFileName(figure.Svg)}))");
            md.WriteLine();
        }
        md.WriteLine("| model | parameters | validation loss | accuracy | tokens/s | targets/s | peak memory |");
        md.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (entry, r, failure) in results)
            md.WriteLine(r is null
                ? $"| {entry.Description.Name} | | failed: {failure} | | | | |"
                : string.Create(Invariant, $"| {r.Model} | {r.Parameters:N0} | {r.ValidationLoss:0.0000} | {r.ValidationAccuracy:P1} | {r.TokensPerSecond:N0} | {r.TargetsPerSecond:N0} | {r.PeakMemoryBytes / (1024 * 1024)} MiB |"));
        foreach (var (_, r, _) in results.Where(r => r.Result?.Contrastive is not null))
        {
            md.WriteLine();
            md.WriteLine($"## {r!.Model}: contrastive accuracy by distance");
            md.WriteLine();
            md.WriteLine("| distance | accuracy | 95% interval | items |");
            md.WriteLine("|---:|---:|---|---:|");
            foreach (var d in r.Contrastive!)
                md.WriteLine(string.Create(Invariant, $"| {d.Distance} | {d.Accuracy:P1} | [{d.Low:P1}, {d.High:P1}] | {d.Items} |"));
        }
    }
}
