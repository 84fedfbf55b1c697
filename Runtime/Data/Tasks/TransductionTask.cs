using System;
using System.Collections.Generic;
using System.Linq;
using Composer.Models;

namespace Composer.Data.Tasks;

/// <summary>
/// A task that maps a source string to a target string (copy, reverse, sort, addition). Seq2seq
/// models get the pair as is; language models get <c>&lt;bos&gt; source = target &lt;eos&gt;</c>
/// with the loss on the target and the end only, so any sample can train on any of these tasks.
/// Every text is plain ASCII, so a model's output reads as text.
/// </summary>
internal abstract class TransductionTask : BuiltInTask
{
    /// <summary>Separates source from target in the language-model form.</summary>
    public const int Separator = '=';

    /// <summary>Makes random pairs with the task's settings; <paramref name="setting"/> describes them for the summary.</summary>
    protected abstract Func<SeededRandom, (int[] Source, int[] Target)> Generator(TaskOptions options, out string setting, out string settingName);

    /// <inheritdoc />
    public override TrainingData Create(ModelKind kind, DataOptions data, TaskOptions options)
    {
        var generate = Generator(options, out string setting, out string settingName);
        int trainCount = Count(options.TrainExamples, 50_000, nameof(TaskOptions.TrainExamples));
        int validationCount = Count(options.ValidationExamples, 1_000, nameof(TaskOptions.ValidationExamples));

        var random = new SeededRandom(data.Seed, SeededRandom.Streams.TaskTrain);
        var train = new List<(int[] Source, int[] Target)>(trainCount);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < trainCount; i++)
        {
            var pair = generate(random);
            train.Add(pair);
            seen.Add(Key(pair.Source));
        }

        // Validation measures generalisation, so no validation source may be a training source.
        random = new SeededRandom(data.Seed, SeededRandom.Streams.TaskValidation);
        var validation = new List<(int[] Source, int[] Target)>(validationCount);
        long attempts = 0, limit = 100L * validationCount + 10_000;
        while (validation.Count < validationCount)
        {
            var pair = generate(random);
            if (!seen.Contains(Key(pair.Source))) validation.Add(pair);
            else if (++attempts > limit)
                throw new ArgumentException($"the {Info.Name} task with {setting} has too few different sources to hold out {validationCount} unseen validation examples from {trainCount} training ones; widen {settingName} or use fewer examples");
        }

        var summary = new List<string>
        {
            $"task {Info.Name} ({KindName(kind)}): {trainCount:N0} training and {validationCount:N0} unseen validation examples, {setting}, generated with seed {data.Seed}",
        };
        if (kind == ModelKind.Seq2Seq)
        {
            var trainExamples = train.Select(p => new Seq2SeqExample(p.Source, p.Target)).ToList();
            var validationExamples = validation.Select(p => new Seq2SeqExample(p.Source, p.Target)).ToList();
            int longest = trainExamples.Concat(validationExamples).Max(e => e.Length);
            CheckLongest(longest, data, settingName);
            summary.Add(BatchingLine(data, longest));
            return new TrainingData(Info.Name, kind, Info.Tokenizer,
                new ExampleBatchSource<Seq2SeqExample>(trainExamples, data.TokensPerBatch, data.Seed),
                new ExampleEvaluationSet<Seq2SeqExample>(validationExamples, data.TokensPerBatch), null, [], longest, summary);
        }
        else
        {
            var trainExamples = train.Select(Prompted).ToList();
            var validationExamples = validation.Select(Prompted).ToList();
            int longest = trainExamples.Concat(validationExamples).Max(e => e.Length);
            CheckLongest(longest, data, settingName);
            summary.Add($"language-model form: <bos> source {(char)Separator} target <eos>, loss on the target and <eos> only");
            summary.Add(BatchingLine(data, longest));
            return new TrainingData(Info.Name, kind, Info.Tokenizer,
                new ExampleBatchSource<LanguageModelExample>(trainExamples, data.TokensPerBatch, data.Seed),
                new ExampleEvaluationSet<LanguageModelExample>(validationExamples, data.TokensPerBatch), null, [], longest, summary);
        }
    }

    /// <summary><c>&lt;bos&gt; source = target &lt;eos&gt;</c>, scored from the separator on (it predicts the target's first token).</summary>
    internal static LanguageModelExample Prompted((int[] Source, int[] Target) pair)
    {
        var tokens = new int[pair.Source.Length + pair.Target.Length + 3];
        tokens[0] = SpecialTokens.Bos;
        pair.Source.CopyTo(tokens, 1);
        tokens[pair.Source.Length + 1] = Separator;
        pair.Target.CopyTo(tokens, pair.Source.Length + 2);
        tokens[^1] = SpecialTokens.Eos;
        return new LanguageModelExample(tokens, lossFrom: pair.Source.Length + 1);
    }

    private static string Key(int[] source) => string.Create(source.Length, source, (chars, s) =>
    {
        for (int i = 0; i < s.Length; i++) chars[i] = (char)s[i];
    });
}
