using System;
using System.Collections.Generic;
using System.Linq;
using Composer.Data;
using Composer.Data.Tasks;
using Composer.Models;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Tests.Data;

/// <summary>Label mapping, validation splits, and checking that a model fits its data.</summary>
public class TrainingDataTests
{
    [Fact]
    public void LabelsMapToClassIdsAndTheMappingIsReported()
    {
        using var files = new TempFiles();
        var path = files.Write("labels.tsv", "\uFEFFpos\tgreat film\r\nneg\tdull\r\nneutral\tok\r\npos\tloved it\r\n");
        using var data = DataFiles.Open(ModelKind.Classifier, path, options: new DataOptions { ValidationFraction = 0.25 });
        Assert.Equal(["neg", "neutral", "pos"], data.Labels);
        Assert.Contains("labels: neg → 0, neutral → 1, pos → 2", data.Summary);
        var all = ((ExampleBatchSource<ClassifierExample>)data.Train).Examples.Concat(((ExampleEvaluationSet<ClassifierExample>)data.Validation).Examples).ToList();
        Assert.Equal(4, all.Count);
        var byText = all.ToDictionary(e => ByteTokenizer.Instance.Decode(e.Tokens), e => e.Class);
        Assert.Equal(new Dictionary<string, int> { ["great film"] = 2, ["dull"] = 0, ["ok"] = 1, ["loved it"] = 2 }, byText);
    }

    [Fact]
    public void NumericLabelsKeepTheirNumericOrder()
    {
        using var files = new TempFiles();
        var path = files.Write("labels.tsv", "10\ta\n2\tb\n0\tc\n1\td\n");
        using var data = DataFiles.Open(ModelKind.Classifier, path, options: new DataOptions { ValidationFraction = 0 });
        Assert.Equal(["0", "1", "2", "10"], data.Labels);
        Assert.Empty(data.Validation.Batches());
    }

    [Fact]
    public void TsvSplitIsDeterministicBySeedAndFraction()
    {
        using var files = new TempFiles();
        var path = files.Write("pairs.tsv", string.Join("\n", Enumerable.Range(0, 100).Select(i => $"s{i}\tt{i}")));
        List<string> Held(long seed, double fraction)
        {
            using var data = DataFiles.Open(ModelKind.Seq2Seq, path, options: new DataOptions { Seed = seed, ValidationFraction = fraction });
            var held = ((ExampleEvaluationSet<Seq2SeqExample>)data.Validation).Examples.Select(e => ByteTokenizer.Instance.Decode(e.Source)).ToList();
            var train = ((ExampleBatchSource<Seq2SeqExample>)data.Train).Examples.Select(e => ByteTokenizer.Instance.Decode(e.Source)).ToList();
            Assert.Empty(held.Intersect(train));
            Assert.Equal(100, held.Count + train.Count);
            return held;
        }
        Assert.Equal(10, Held(1, 0.1).Count);
        Assert.Equal(Held(1, 0.1), Held(1, 0.1));
        Assert.NotEqual(Held(1, 0.1), Held(2, 0.1));
        Assert.Equal(25, Held(1, 0.25).Count);
    }

    [Fact]
    public void EnsureFitsNamesWhatToChange()
    {
        using var lmData = BuiltInTasks.Create("agreement", ModelKind.LanguageModel, options: new TaskOptions { TrainExamples = 10, ValidationExamples = 10, TestExamplesPerDistance = 1 });
        lmData.EnsureFits(new FakeLanguageModel(256, 1024));
        var vocabulary = Assert.Throws<DataException>(() => lmData.EnsureFits(new FakeLanguageModel(128, 1024)));
        Assert.Equal("agreement: the data uses token ids 0–255 (UTF-8 bytes and the reserved PAD/BOS/EOS 253–255) but Fake declares Vocabulary = 128; declare Vocabulary = 256", vocabulary.Message);
        var length = Assert.Throws<DataException>(() => lmData.EnsureFits(new FakeLanguageModel(256, 100)));
        Assert.Equal("agreement: the data has sequences of 106 tokens but Fake declares MaxLength = 100; use shorter windows or examples, or raise MaxLength", length.Message);

        using var classifierData = BuiltInTasks.Create("agreement", ModelKind.Classifier, options: new TaskOptions { TrainExamples = 10, ValidationExamples = 10, TestExamplesPerDistance = 1 });
        var kind = Assert.Throws<DataException>(() => classifierData.EnsureFits(new FakeLanguageModel(256, 0)));
        Assert.Equal("agreement: the data is shaped for a classifier but Fake is a language model", kind.Message);
    }

    private sealed class FakeLanguageModel(int vocabulary, int maxLength) : ILanguageModel
    {
        public ModelDescription Description { get; } = new("Fake", ModelKind.LanguageModel, [], "0", 0, maxLength, []);
        public int Vocabulary => vocabulary;
        public Tensor forward(Tensor tokens, Tensor? padding) => throw new NotSupportedException();
        public IDecodingState NewState(long batchSize) => throw new NotSupportedException();
        public Tensor Step(Tensor token, IDecodingState state) => throw new NotSupportedException();
    }
}
