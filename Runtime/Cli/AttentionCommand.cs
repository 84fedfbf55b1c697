using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using Composer.Checkpoints;
using Composer.Data;
using Composer.Data.Tasks;
using Composer.Figures;
using Composer.Generation;
using Composer.Models;
using static TorchSharp.torch;

namespace Composer.Cli;

/// <summary>
/// <c>attention</c>: draws what each mixer of a trained model mixes with on one prompt, as a grid of
/// heatmaps (one row per mixer, one panel per head, the tokens on the axes), into attention.png,
/// attention.svg and attention.md. Mixers with nothing to draw (recurrent ones) are listed; a model where
/// no mixer has weights over positions is refused.
/// </summary>
internal static class AttentionCommand
{
    public static Command Create(CliOptions o, CommandContext context)
    {
        var command = new Command("attention", "Draw the attention maps (and what every other mixer mixes with) of a checkpoint on --prompt.")
        {
            o.Model, o.Checkpoint, o.Prompt, o.Task, o.FiguresOut, o.Device, o.Threads, o.Seed,
        };
        command.SetAction(parse => context.Guard(() => Run(parse, o, context)));
        return command;
    }

    private static int Run(ParseResult parse, CliOptions o, CommandContext context)
    {
        var entry = Session.SelectModel(context.Models, parse.GetValue(o.Model));
        string name = entry.Description.Name;
        string folder = parse.GetValue(o.FiguresOut) ?? Path.Combine("runs", "attention", name);
        var taskName = parse.GetValue(o.Task);
        ITokenizer tokenizer = ByteTokenizer.Instance;
        if (taskName is not null)
            tokenizer = (BuiltInTasks.Find(taskName) ?? throw new UsageException($"there is no built-in task '{taskName}' (tasks: {string.Join(", ", BuiltInTasks.All.Select(t => t.Name))}).")).Tokenizer;
        string promptText = parse.GetValue(o.Prompt)!;
        var prompt = tokenizer.Encode(promptText).Select(t => (long)t).ToArray();
        if (prompt.Length == 0) throw new UsageException("--prompt is empty; give the text whose attention to draw.");
        int maxLength = entry.Description.MaxLength;
        if (maxLength > 0 && prompt.Length > maxLength)
            throw new CliFailure($"the prompt is {prompt.Length} tokens, but {name} takes at most MaxLength = {maxLength}; shorten the prompt.");
        FigureFiles.EnsureWritable(folder);

        var device = Session.Prepare(parse, o);
        using var model = Session.CreateModel(entry, device);
        string checkpoint = parse.GetValue(o.Checkpoint)!;
        RunFolder.Resolve(checkpoint).LoadModel(model);
        model.eval();

        long[]? target = null;
        if (model is ISeq2SeqModel seq2seq)
        {
            // The decoder's maps need a target: the model's own greedy translation, fed back as its input.
            using var scope = NewDisposeScope();
            int budget = maxLength > 0 ? maxLength - 1 : 4 * prompt.Length + 8;
            var translated = SequenceGenerator.Translate(seq2seq, tensor(prompt, [1, prompt.Length], device: device), null,
                SpecialTokens.Bos, SpecialTokens.Eos, Math.Max(1, budget), new SamplingOptions(0, 0, 1))[0];
            target = [SpecialTokens.Bos, .. translated.Where(t => t != SpecialTokens.Eos)];
        }

        string Label(long id)
        {
            string text = tokenizer.Decode([id]);
            return text switch { " " => "·", "\n" => "\\n", "\t" => "\\t", "" => $"<{id}>", _ => text };
        }
        var maps = AttentionMaps.Compute(model, prompt, target, Label, device);
        if (maps.Panels.Count == 0)
            throw new CliFailure($"{name} has no mixer with weights over positions to draw: " +
                string.Join("; ", maps.Undrawn.Select(u => $"{u.Path} ({u.Mixer}): {u.Reason}")) + ".");

        var figure = AttentionFigure.Save(maps.Panels, Path.Combine(folder, "attention"));
        WriteMarkdown(Path.Combine(folder, "attention.md"), name, checkpoint, promptText, target is null ? null : tokenizer.Decode(target), maps, figure);
        foreach (var layer in maps.Panels.GroupBy(p => p.Layer))
            context.Output.WriteLine($"{layer.Key}: {layer.Count()} head(s), {layer.First().Title.Split(" · ")[^1]}");
        foreach (var u in maps.Undrawn)
            context.Output.WriteLine($"{u.Path}: nothing to draw ({u.Mixer}: {u.Reason})");
        context.Output.WriteLine($"attention maps: {figure.Png} and {figure.Svg} ({figure.Width}×{figure.Height}); {Path.Combine(folder, "attention.md")}");
        return ExitCodes.Success;
    }

    private static void WriteMarkdown(string path, string model, string checkpoint, string prompt, string? target, AttentionMaps maps, SavedFigure figure)
    {
        using var md = new StreamWriter(path);
        md.WriteLine($"# {model}: what each mixer mixes with");
        md.WriteLine();
        md.WriteLine($"Checkpoint `{checkpoint}`, prompt `{prompt}`" + (target is null ? "." : $", decoder input (its greedy translation) `{target}`."));
        md.WriteLine("One row per mixer, one panel per head; the cell in row t, column s is the weight output position t gives position s.");
        md.WriteLine();
        md.WriteLine($"![attention maps]({Path.GetFileName(figure.Png)}) ([SVG]({Path.GetFileName(figure.Svg)}))");
        md.WriteLine();
        md.WriteLine("| mixer | heads | what is drawn |");
        md.WriteLine("|---|---:|---|");
        foreach (var layer in maps.Panels.GroupBy(p => p.Layer))
            md.WriteLine($"| `{layer.Key}` | {layer.Count()} | {layer.First().Title.Split(" · ")[^1]} |");
        foreach (var u in maps.Undrawn)
            md.WriteLine($"| `{u.Path}` ({u.Mixer}) | – | nothing to draw: {u.Reason} |");
    }
}
