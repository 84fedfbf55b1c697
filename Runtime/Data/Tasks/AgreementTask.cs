using System;
using System.Collections.Generic;
using System.Linq;
using Composer.Models;

namespace Composer.Data.Tasks;

/// <summary>
/// The long-range agreement task of MIXERS.md §11a: does the model carry the subject's number across
/// d tokens of fillers and attractors to the verb? Language models are scored on the token after
/// VERB only; classifiers predict the number (class 0 singular, 1 plural). Validation and test are
/// contrastive (p(correct verb) &gt; p(wrong verb), Tang et al. 2018); the test set has fixed
/// distances, including ones beyond training to test extrapolation.
/// </summary>
internal sealed class AgreementTask : BuiltInTask
{
    /// <summary>D_train of §11a.</summary>
    public const int DefaultMaxDistance = 48;

    /// <summary>The test distances of §11a; 64 and 96 lie beyond training.</summary>
    public static readonly IReadOnlyList<int> DefaultTestDistances = [1, 2, 4, 8, 16, 24, 32, 48, 64, 96];

    // Declared after the defaults it reads: static fields initialise in order.
    /// <summary>The task.</summary>
    public static readonly AgreementTask Instance = new();

    private AgreementTask() { }

    /// <inheritdoc />
    public override TaskInfo Info { get; } = new("agreement",
        "LM/classifier: subject–verb number agreement across a controllable distance, with attractors (MIXERS.md §11a)",
        [ModelKind.LanguageModel, ModelKind.Classifier], SpecialTokens.Vocabulary,
        [$"{nameof(TaskOptions.MaxDistance)} (default {DefaultMaxDistance})",
         $"{nameof(TaskOptions.TestDistances)} (default {string.Join(",", DefaultTestDistances)})",
         "TestExamplesPerDistance (default 1000)", "TrainExamples (default 20000)", "ValidationExamples (default 1000)"], AgreementVocabulary.Instance);

    /// <inheritdoc />
    public override TrainingData Create(ModelKind kind, DataOptions data, TaskOptions options)
    {
        RefuseOthers(options, nameof(TaskOptions.MaxDistance), nameof(TaskOptions.TestDistances), nameof(TaskOptions.TestExamplesPerDistance),
            nameof(TaskOptions.TrainExamples), nameof(TaskOptions.ValidationExamples));
        int maxDistance = Count(options.MaxDistance, DefaultMaxDistance, nameof(TaskOptions.MaxDistance));
        var testDistances = (options.TestDistances ?? DefaultTestDistances).Distinct().Order().ToArray();
        if (testDistances.Length == 0 || testDistances[0] < 1)
            throw new ArgumentException($"the agreement task's test distances must be at least 1: {string.Join(",", testDistances)}");
        int trainCount = Count(options.TrainExamples, 20_000, nameof(TaskOptions.TrainExamples));
        int validationCount = Count(options.ValidationExamples, 1_000, nameof(TaskOptions.ValidationExamples));
        int testCount = Count(options.TestExamplesPerDistance, 1_000, nameof(TaskOptions.TestExamplesPerDistance));

        var random = new SeededRandom(data.Seed, SeededRandom.Streams.TaskTrain);
        var train = Enumerable.Range(0, trainCount).Select(_ => AgreementItem.Sample(random, random.Between(1, maxDistance))).ToList();
        var validationRandom = new SeededRandom(data.Seed, SeededRandom.Streams.TaskValidation);
        var validation = Enumerable.Range(0, validationCount).Select(_ => AgreementItem.Sample(validationRandom, validationRandom.Between(1, maxDistance))).ToList();
        var testRandom = new SeededRandom(data.Seed, SeededRandom.Streams.TaskTest);
        var test = testDistances.SelectMany(d => Enumerable.Range(0, testCount).Select(_ => AgreementItem.Sample(testRandom, d))).ToList();

        // [BOS] + prefix + subject + (d − 1) + VERB.
        int longest = AgreementItem.MaxPrefix + Math.Max(maxDistance, testDistances[^1]) + 2;
        CheckLongest(longest, data, $"{nameof(TaskOptions.MaxDistance)} or {nameof(TaskOptions.TestDistances)}");
        var summary = new List<string>
        {
            $"task agreement ({KindName(kind)}): {trainCount:N0} training and {validationCount:N0} validation sequences with distances 1..{maxDistance}, generated with seed {data.Seed}",
            $"test: {testCount:N0} sequences at each distance {string.Join(", ", testDistances)}; contrastive accuracy p(correct verb) > p(wrong verb), chance 50%",
        };
        if (kind == ModelKind.Classifier) summary.Add("labels: singular → 0, plural → 1");
        summary.Add(BatchingLine(data, longest));

        if (kind == ModelKind.LanguageModel)
        {
            return new TrainingData(Info.Name, kind, Info.Tokenizer,
                new ExampleBatchSource<LanguageModelExample>(train.Select(LanguageModel).ToList(), data.TokensPerBatch, data.Seed),
                Contrastive(validation, LanguageModel, data), Contrastive(test, LanguageModel, data), [], longest, summary);
        }
        return new TrainingData(Info.Name, kind, Info.Tokenizer,
            new ExampleBatchSource<ClassifierExample>(train.Select(Classifier).ToList(), data.TokensPerBatch, data.Seed),
            Contrastive(validation, Classifier, data), Contrastive(test, Classifier, data), ["singular", "plural"], longest, summary);
    }

    /// <summary>The sequence plus its answer, scored only at VERB.</summary>
    internal static LanguageModelExample LanguageModel(AgreementItem item) =>
        new([.. item.Tokens, item.Answer], lossFrom: item.VerbPosition);

    /// <summary>The sequence, labelled with the subject's number.</summary>
    internal static ClassifierExample Classifier(AgreementItem item) => new(item.Tokens, item.Number);

    private static ContrastiveEvaluationSet Contrastive<T>(List<AgreementItem> items, Func<AgreementItem, T> example, DataOptions data)
        where T : class, IExample<T>
    {
        bool languageModel = typeof(T) == typeof(LanguageModelExample);
        var targets = items.Select(i => languageModel
            ? new ContrastiveTarget(i.VerbPosition, i.Answer, i.WrongAnswer, i.Distance)
            : new ContrastiveTarget(-1, i.Number, 1 - i.Number, i.Distance)).ToList();
        return ContrastiveEvaluationSet.Create(items.Select(example).ToList(), targets, data.TokensPerBatch);
    }
}
