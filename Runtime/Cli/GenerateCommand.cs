using System;
using System.CommandLine;
using System.Globalization;
using System.Linq;
using Composer.Checkpoints;
using Composer.Data;
using Composer.Data.Tasks;
using Composer.Generation;
using Composer.Models;
using Composer.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Cli;

/// <summary><c>generate</c>: continue a prompt (language model), translate it (seq2seq) or classify it (classifier) with a checkpoint.</summary>
internal static class GenerateCommand
{
    public static Command Create(CliOptions o, CommandContext context)
    {
        var command = new Command("generate", "Continue, translate or classify --prompt with a trained checkpoint.")
        {
            o.Model, o.Checkpoint, o.Prompt, o.Task, o.MaxTokens, o.Temperature, o.TopK, o.TopP, o.Beam, o.Device, o.Threads, o.Seed,
        };
        command.SetAction(parse => context.Guard(() => Run(parse, o, context)));
        return command;
    }

    private static int Run(ParseResult parse, CliOptions o, CommandContext context)
    {
        var entry = Session.SelectModel(context.Models, parse.GetValue(o.Model));
        var device = Session.Prepare(parse, o);
        using var model = Session.CreateModel(entry, device);
        RunFolder.Resolve(parse.GetValue(o.Checkpoint)!).LoadModel(model);
        model.eval();

        var taskName = parse.GetValue(o.Task);
        ITokenizer tokenizer = ByteTokenizer.Instance;
        if (taskName is not null)
            tokenizer = (BuiltInTasks.Find(taskName) ?? throw new UsageException($"there is no built-in task '{taskName}' (tasks: {string.Join(", ", BuiltInTasks.All.Select(t => t.Name))}).")).Tokenizer;
        var prompt = tokenizer.Encode(parse.GetValue(o.Prompt)!).Select(t => (long)t).ToArray();
        var sampling = new SamplingOptions(parse.GetValue(o.Temperature), parse.GetValue(o.TopK), parse.GetValue(o.TopP));
        int beam = parse.GetValue(o.Beam), maxTokens = parse.GetValue(o.MaxTokens);

        using var scope = NewDisposeScope();
        switch (model)
        {
            case ILanguageModel lm:
            {
                if (prompt.Length == 0) prompt = [SpecialTokens.Bos];
                var generated = beam > 0
                    ? BeamSearch.Continue(lm, [prompt], beam, maxTokens, SpecialTokens.Eos)[0][0].Tokens
                    : SequenceGenerator.Continue(lm, [prompt], maxTokens, sampling, SpecialTokens.Eos)[0];
                context.Output.WriteLine(tokenizer.Decode(prompt.Concat(generated.Where(t => t != SpecialTokens.Eos)).ToArray()));
                return ExitCodes.Success;
            }
            case ISeq2SeqModel seq2seq:
            {
                if (prompt.Length == 0) throw new UsageException("--prompt is empty; give the text to translate.");
                var source = tensor(prompt, [1, prompt.Length], device: device);
                var target = beam > 0
                    ? BeamSearch.Translate(seq2seq, source, null, SpecialTokens.Bos, SpecialTokens.Eos, beam, maxTokens)[0][0].Tokens
                    : SequenceGenerator.Translate(seq2seq, source, null, SpecialTokens.Bos, SpecialTokens.Eos, maxTokens, sampling)[0];
                context.Output.WriteLine(tokenizer.Decode(target.Where(t => t != SpecialTokens.Eos).ToArray()));
                return ExitCodes.Success;
            }
            case IClassifier classifier:
            {
                using var noGrad = no_grad();
                var input = tensor(prompt, [1, prompt.Length], device: device);
                var probabilities = Readback.Array<float>(classifier.forward(input, null).softmax(-1));
                foreach (var (p, i) in probabilities.Select((p, i) => (p, i)).OrderByDescending(x => x.p))
                    context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"class {i}: {p:P1}"));
                return ExitCodes.Success;
            }
            default:
                throw new CliFailure($"{entry.Description.Name} implements none of the model interfaces, so it cannot generate.");
        }
    }
}
