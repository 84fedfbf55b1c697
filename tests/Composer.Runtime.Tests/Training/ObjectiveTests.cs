using System;
using System.Collections.Generic;
using Composer.Data;
using Composer.Models;
using Composer.Tests.Harness;
using Composer.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Tests.Training;

/// <summary>The objectives per model kind: loss, target count and accuracy, and evaluation.</summary>
public class ObjectiveTests
{
    private static readonly ModelDescription Fake = new("Fake", ModelKind.LanguageModel, [], "0", 0, 0, []);

    /// <summary>A "model" that returns whatever logits the test gives it, recording what it was called with.</summary>
    private sealed class FixedLogits(Func<Tensor> logits) : nn.Module(nameof(FixedLogits)), ILanguageModel, ISeq2SeqModel, IClassifier
    {
        public ModelDescription Description => Fake;
        public int Vocabulary => 7;
        public int SourceVocabulary => 7;
        public int TargetVocabulary => 7;
        public int Classes => 7;
        public readonly List<string> Calls = [];
        public Tensor forward(Tensor tokens, Tensor? padding) { Calls.Add("forward"); return logits(); }
        public Tensor forward(Tensor source, Tensor? sourcePadding, Tensor target, Tensor? targetPadding) => Decode(target, targetPadding, Encode(source, sourcePadding), sourcePadding);
        public IDecodingState NewState(long batchSize) => throw new NotSupportedException();
        public Tensor Step(Tensor token, IDecodingState state) => throw new NotSupportedException();
        public Tensor Encode(Tensor source, Tensor? sourcePadding) { Calls.Add("encode"); return source; }
        public Tensor Decode(Tensor target, Tensor? targetPadding, Tensor memory, Tensor? sourcePadding) { Calls.Add("decode"); return logits(); }
        public IDecodingState NewState(Tensor memory, Tensor? sourcePadding) => throw new NotSupportedException();
    }

    private sealed class Seq2SeqOnly(FixedLogits inner) : nn.Module(nameof(Seq2SeqOnly)), ISeq2SeqModel
    {
        public ModelDescription Description => Fake;
        public int SourceVocabulary => 7;
        public int TargetVocabulary => 7;
        public Tensor Encode(Tensor source, Tensor? sourcePadding) => inner.Encode(source, sourcePadding);
        public Tensor Decode(Tensor target, Tensor? targetPadding, Tensor memory, Tensor? sourcePadding) => inner.Decode(target, targetPadding, memory, sourcePadding);
        public Tensor forward(Tensor source, Tensor? sourcePadding, Tensor target, Tensor? targetPadding) => inner.forward(source, sourcePadding, target, targetPadding);
        public IDecodingState NewState(Tensor memory, Tensor? sourcePadding) => throw new NotSupportedException();
        public Tensor Step(Tensor token, IDecodingState state) => throw new NotSupportedException();
    }

    private sealed class ClassifierOnly(FixedLogits inner) : nn.Module(nameof(ClassifierOnly)), IClassifier
    {
        public ModelDescription Description => Fake;
        public int Vocabulary => 7;
        public int Classes => 7;
        public Tensor forward(Tensor tokens, Tensor? padding) => inner.forward(tokens, padding);
    }

    private sealed class NotAModel() : nn.Module(nameof(NotAModel));

    private sealed class SingleBatch(Func<Batch> make) : IEvaluationSet
    {
        public IEnumerable<Batch> Batches() { yield return make(); }
    }

    [Fact]
    public void LanguageModelLossIsPyTorchsSummedLabelSmoothedCrossEntropyWithIgnoredTargets() =>
        Reference.Check("training", "objective_loss", c =>
        {
            var target = c.Input("target");
            using var model = new FixedLogits(() => c.Input("logits"));
            var batch = new Batch(zeros([2, 5], ScalarType.Int64), null, target, null, null, 7, 10);
            var terms = Objective.For(model).Compute(batch, labelSmoothing: 0.1);
            Assert.Equal(7, terms.Targets);
            return terms.Loss;
        });

    [Fact]
    public void AccuracyCountsOnlyNonIgnoredTargets()
    {
        using var scope = NewDisposeScope();
        // Argmax per position: 1, 2, 0, 2.
        var logits = tensor(new float[] { 0, 5, 1, 0, 0, 9, 3, 1, 2, 0, 1, 4 }, [1, 4, 3]);
        var target = tensor(new long[] { 1, 0, 0, Batch.IgnoreIndex }, [1, 4]);
        using var model = new FixedLogits(() => logits);
        var result = Objective.For(model).Evaluate(model, new SingleBatch(() => new Batch(zeros([1, 4], ScalarType.Int64), null, target, null, null, 3, 4)), CPU);
        Assert.Equal(2.0 / 3, result.Accuracy, 12);
        Assert.Equal(3, result.Targets);
    }

    [Fact]
    public void Seq2SeqEncodesThenDecodesTheTeacherForcedInput()
    {
        using var scope = NewDisposeScope();
        var logits = randn(2, 3, 7);
        using var inner = new FixedLogits(() => logits);
        using var model = new Seq2SeqOnly(inner);
        var target = randint(0, 7, [2, 3]);
        var batch = new Batch(zeros([2, 4], ScalarType.Int64), null, target, zeros([2, 3], ScalarType.Int64), null, 6, 14);
        var terms = Objective.For(model).Compute(batch);
        Assert.Equal(["encode", "decode"], inner.Calls);
        var expected = nn.functional.cross_entropy(logits.reshape(-1, 7), target.reshape(-1), reduction: nn.Reduction.Sum);
        Assert.Equal(expected.ToDouble(), terms.Loss.ToDouble(), 5);

        var noDecoderInput = new Batch(zeros([2, 4], ScalarType.Int64), null, target, null, null, 6, 8);
        var error = Assert.Throws<ArgumentException>(() => Objective.For(model).Compute(noDecoderInput));
        Assert.Contains("DecoderInput", error.Message);
    }

    [Fact]
    public void ClassifierScoresOneLabelPerSequence()
    {
        using var scope = NewDisposeScope();
        var logits = tensor(new float[] { 0, 3, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0 }, [2, 7]);
        using var inner = new FixedLogits(() => logits);
        using var model = new ClassifierOnly(inner);
        var result = Objective.For(model).Evaluate(model, new SingleBatch(() => new Batch(zeros([2, 5], ScalarType.Int64), null, tensor(new long[] { 1, 3 }), null, null, 2, 10)), CPU);
        Assert.Equal(0.5, result.Accuracy);
        Assert.Equal(2, result.Targets);
    }

    [Fact]
    public void AModuleOfNoKnownKindIsRefused()
    {
        using var model = new NotAModel();
        var error = Assert.Throws<ArgumentException>(() => Objective.For(model));
        Assert.Contains("ILanguageModel", error.Message);
    }

    [Fact]
    public void EvaluationRunsInEvaluationModeWithoutAutogradAndRestoresTrainingMode()
    {
        long live = LiveTensors.Settled();
        manual_seed(3);
        using (var model = new TinyLanguageModel(dropout: 0.5))
        {
            var objective = Objective.For(model);
            var set = new FixedEvaluationSet();
            var first = objective.Evaluate(model, set, CPU);
            var second = objective.Evaluate(model, set, CPU);
            Assert.Equal(first, second); // dropout off: the same score twice
            Assert.True(model.training);
            Assert.Equal(0, model.TrainingForwards);
            Assert.Equal(6, model.EvaluationForwards);
            Assert.Equal(Math.Exp(first.Loss), first.Perplexity, 12);
            Assert.InRange(first.Accuracy, 0, 1);
            Assert.True(first.Loss > 2, $"an untrained model should be near ln 16 ≈ 2.77, got {first.Loss}");
        }
        Assert.Equal(live, LiveTensors.Settled());
    }
}
