using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using Composer.Checkpoints;
using Composer.Layers;
using Composer.Models;
using Composer.Figures;
using Composer.Probing;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Cli;

/// <summary>
/// <c>papa</c>: how much does the model's attention actually attend (MIXERS.md §7, §7a)? Replaces growing
/// fractions of a trained model's softmax-attention heads by constant matrices averaged over the training
/// split, and prints its score at each fraction with the relative drop.
/// </summary>
internal static class PapaCommand
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static Command Create(CliOptions o, CommandContext context)
    {
        var command = new Command("papa", "Probe a trained attention model: replace fractions of its heads by constant matrices (PAPA) and report the drop.")
        {
            o.Model, o.Checkpoint, o.Task, o.Data, o.Validation, o.TokensPerBatch, o.Window, o.Lengths, o.Digits, o.MaxDistance,
            o.TrainExamples, o.TestExamples, o.Order, o.AverageBatches, o.ProbeSteps, o.ProbeLearningRate, o.PapaOutput, o.Save, o.SaveFraction,
            o.Device, o.Threads, o.Seed,
        };
        command.SetAction(parse => context.Guard(() => Run(parse, o, context)));
        return command;
    }

    private static int Run(ParseResult parse, CliOptions o, CommandContext context)
    {
        var entry = Session.SelectModel(context.Models, parse.GetValue(o.Model));
        var options = new PapaOptions
        {
            Order = Enum.Parse<HeadOrder>(parse.GetValue(o.Order)!, ignoreCase: true),
            AverageBatches = parse.GetValue(o.AverageBatches) is long cap && cap < 1
                ? throw new UsageException($"--average-batches must be positive (got {cap}).")
                : parse.GetValue(o.AverageBatches),
            ProbeSteps = parse.GetValue(o.ProbeSteps),
            ProbeLearningRate = parse.GetValue(o.ProbeLearningRate),
            Seed = parse.GetValue(o.Seed),
        };
        string? save = parse.GetValue(o.Save);
        double saveFraction = parse.GetValue(o.SaveFraction);
        if (save is not null && !options.Fractions.Any(f => f == saveFraction))
            throw new UsageException($"--save-fraction must be one of the fractions evaluated: {string.Join(", ", options.Fractions.Select(f => f.ToString(Invariant)))} (got {saveFraction.ToString(Invariant)}).");

        var device = Session.Prepare(parse, o);
        using var model = Session.CreateModel(entry, device);
        if (AttentionLayer.Find(model).Count == 0)
            throw new CliFailure($"{entry.Description.Name} has no softmax attention layer ([SelfAttention]), so there is no attention for PAPA to replace; probe a model with SelfAttention layers.");
        if (entry.Description.MaxLength <= 0)
            throw new CliFailure($"{entry.Description.Name} declares no MaxLength, and PAPA's constant matrices are indexed by position (MIXERS.md §12 L3); declare MaxLength on the model and train it again.");
        var checkpoint = RunFolder.Resolve(parse.GetValue(o.Checkpoint)!);
        checkpoint.LoadModel(model);
        using var data = Session.OpenData(parse, o, entry.Description);
        data.EnsureFits((ISequenceModel)model);
        var initialHead = entry.Description.Kind == ModelKind.Classifier ? InitialHead(entry, device, options.Seed) : null;
        try
        {
            var probe = new PapaProbe(model, data, options, device, initialHead, line => context.Output.WriteLine(line));
            string output = parse.GetValue(o.PapaOutput) ?? Path.Combine("runs", "papa", entry.Description.Name);
            Directory.CreateDirectory(output);
            context.Output.WriteLine($"papa: {entry.Description.Name} from {checkpoint.Path} on '{data.Name}': {probe.TotalHeads} heads in {probe.Layers.Count} attention layers");

            string? saved = null;
            var report = probe.Run(out var averages, fraction =>
            {
                if (save is null || fraction.Fraction != saveFraction) return;
                string note = $"PAPA: {fraction.ConstantHeads} of {probe.TotalHeads} heads constant ({PapaProbe.Name(options.Order)} order): {string.Join(", ", fraction.Constant)}";
                saved = ProbedCheckpoint.Save(save, model, checkpoint, note);
            }) with { Checkpoint = checkpoint.Path };
            using (averages)
            {
                averages.Save(Path.Combine(output, "matrices.safetensors"), new Dictionary<string, string>
                {
                    ["model"] = entry.Description.Name,
                    ["checkpoint"] = checkpoint.Path,
                    ["data"] = data.Name,
                });
            }
            report.Save(Path.Combine(output, "papa.json"));
            // Each order's report also under its own name, so a later run with another order (the random
            // control) into the same folder draws its curve beside this one.
            report.Save(Path.Combine(output, $"papa-{report.Order}.json"));
            var figure = PapaFigure.Save(SameCheckpoint(report, output), Path.Combine(output, "papa"));

            context.Output.WriteLine();
            WriteTable(report, context.Output);
            context.Output.WriteLine();
            context.Output.WriteLine($"score: {report.ScoreName}; relative drop = (score at 0 − score) / score at 0; Δ loss = loss − loss at 0 (papa.json also has it relative to the loss at 0)");
            context.Output.WriteLine($"order: {report.OrderDescription}");
            context.Output.WriteLine($"mode: {report.Mode}");
            context.Output.WriteLine($"wrote {Path.Combine(output, "papa.json")} and {Path.Combine(output, "matrices.safetensors")} (Ā per layer, float64)");
            context.Output.WriteLine($"figure: {figure.Png}, {figure.Svg} (score against the input-dependent heads left)");
            if (saved is not null)
                context.Output.WriteLine($"saved the model with {saveFraction.ToString(Invariant)} of its heads constant: {saved} (evaluate/generate --checkpoint {save})");
            context.Output.WriteLine();
            foreach (var (key, fraction) in new[] { ("papa_relative_drop_all", 1.0), ("papa_relative_drop_half", 0.5) })
                if (report.Fractions.FirstOrDefault(f => f.Fraction == fraction) is { } row)
                    context.Output.WriteLine(string.Create(Invariant, $"RESULT {key} {row.RelativeDrop:0.0000}"));
            return ExitCodes.Success;
        }
        finally
        {
            if (initialHead is not null) foreach (var t in initialHead.Values) t.Dispose();
        }
    }

    /// <summary>
    /// <paramref name="report"/> first, then the other orders' reports in <paramref name="folder"/> that probed
    /// the same model, checkpoint and data (unreadable or foreign files are left out of the figure).
    /// </summary>
    private static List<PapaReport> SameCheckpoint(PapaReport report, string folder)
    {
        var reports = new List<PapaReport> { report };
        foreach (var file in Directory.EnumerateFiles(folder, "papa-*.json").Order(StringComparer.Ordinal))
        {
            PapaReport other;
            try { other = PapaReport.Load(file); }
            catch (Exception e) when (e is IOException or InvalidDataException or System.Text.Json.JsonException or UnauthorizedAccessException) { continue; }
            if (other.Order == report.Order || other.Model != report.Model || other.Checkpoint != report.Checkpoint
                || other.Data != report.Data || other.TotalHeads != report.TotalHeads || other.Fractions.Count == 0) continue;
            reports.Add(other);
        }
        return reports;
    }

    /// <summary>A classifier's head as a fresh model built from the seed starts it: where every retraining starts.</summary>
    private static Dictionary<string, Tensor> InitialHead(ModelEntry entry, Device device, long seed)
    {
        manual_seed(seed).Dispose();
        using var fresh = entry.Create(new ModuleContext(device));
        return fresh.named_parameters()
            .Where(p => p.name.StartsWith("classifier.", StringComparison.Ordinal))
            .ToDictionary(p => p.name, p => p.parameter.detach().clone().DetachFromDisposeScope());
    }

    private static void WriteTable(PapaReport report, TextWriter output)
    {
        var distances = report.Fractions.SelectMany(f => f.Agreement ?? []).Select(d => d.Distance).Distinct().Order().ToArray();
        var table = new TextTable(["constant heads", "fraction", "validation loss", "Δ loss", "score", "relative drop", .. distances.Select(d => $"d={d}")]);
        double baseline = report.Fractions.FirstOrDefault(f => f.ConstantHeads == 0)?.ValidationLoss ?? double.NaN;
        foreach (var f in report.Fractions)
        {
            table.Add([
                $"{f.ConstantHeads} of {report.TotalHeads}", FractionText(f.Fraction), LossText(f.ValidationLoss, signed: false),
                LossText(f.ValidationLoss - baseline, signed: true), f.Score.ToString("P1", Invariant), Percent(f.RelativeDrop),
                .. distances.Select(d => f.Agreement?.FirstOrDefault(a => a.Distance == d) is { } a ? a.Accuracy.ToString("P0", Invariant) : "–"),
            ]);
        }
        table.Write(output);
    }

    /// <summary>
    /// A loss or a loss difference: four decimals, or three significant digits in scientific notation below
    /// 10⁻³. A model that solves its task reaches losses near 10⁻⁶, where "0.0000" would hide every change
    /// and a change relative to it would read in the millions of percent.
    /// </summary>
    private static string LossText(double value, bool signed)
    {
        if (!double.IsFinite(value)) return "–";
        string text = value == 0 || Math.Abs(value) >= 1e-3
            ? value.ToString("0.0000", Invariant)
            : value.ToString("0.00e+0", Invariant);
        return signed && value > 0 ? "+" + text : text;
    }

    private static string Percent(double value) =>
        double.IsFinite(value) ? (value * 100).ToString("0.0", Invariant) + " %" : "–";

    /// <summary>1/4, 15/16: the fractions of MIXERS.md §7a read as written there.</summary>
    private static string FractionText(double fraction)
    {
        if (fraction == 0) return "0";
        if (fraction == 1) return "1";
        for (int denominator = 2; denominator <= 64; denominator++)
        {
            double numerator = fraction * denominator;
            if (Math.Abs(numerator - Math.Round(numerator)) < 1e-9) return $"{Math.Round(numerator).ToString(Invariant)}/{denominator}";
        }
        return fraction.ToString("0.####", Invariant);
    }
}
