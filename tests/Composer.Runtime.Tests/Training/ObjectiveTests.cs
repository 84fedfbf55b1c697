using System;
using System.Collections.Generic;
using Composer.Data;
using Composer.Layers;
using Composer.Models;
using Composer.Tensors;
using Composer.Tests.Harness;
using Composer.Training;
using Xunit;

namespace Composer.Tests.Training;

/// <summary>The objectives per model kind: loss, target count and accuracy, and evaluation.</summary>
public class ObjectiveTests
{
    private static readonly ModelDescription Fake = new("Fake", ModelKind.LanguageModel, [], "0", 0, 0, []);

    /// <summary>A "model" that returns whatever logits the test gives it, recording what it was called with.</summary>
    private sealed class FixedLogits(Func<Tensor> logits) : Module, ILanguageModel, ISeq2SeqModel, IClassifier
    {
        public ModelDescription Description => Fake;
        public int Vocabulary => 7;
        public int SourceVocabulary => 7;
        public int TargetVocabulary => 7;
        public int Classes => 7;
        public readonly List<string> Calls = [];
        public Tensor Forward(Tensor tokens, Tensor? padding) { Calls.Add("forward"); return logits(); }
        public IDecodingState NewState(long batchSize) => throw new NotSupportedException();
        public Tensor Step(Tensor token, IDecodingState state) => throw new NotSupportedException();
        public Tensor Encode(Tensor source, Tensor? sourcePadding) { Calls.Add("encode"); return source; }
        public Tensor Decode(Tensor target, Tensor? targetPadding, Tensor memory, Tensor? sourcePadding) { Calls.Add("decode"); return logits(); }
        public IDecodingState NewState(Tensor memory, Tensor? sourcePadding) => throw new NotSupportedException();
    }

    private sealed class Seq2SeqOnly(FixedLogits inner) : Module, ISeq2SeqModel
    {
        public ModelDescription Description => Fake;
        public int SourceVocabulary => 7;
        public int TargetVocabulary => 7;
        public Tensor Encode(Tensor source, Tensor? sourcePadding) => inner.Encode(source, sourcePadding);
        public Tensor Decode(Tensor target, Tensor? targetPadding, Tensor memory, Tensor? sourcePadding) => inner.Decode(target, targetPadding, memory, sourcePadding);
        public IDecodingState NewState(Tensor memory, Tensor? sourcePadding) => throw new NotSupportedException();
        public Tensor Step(Tensor token, IDecodingState state) => throw new NotSupportedException();
    }

    private sealed class ClassifierOnly(FixedLogits inner) : Module, IClassifier
    {
        public ModelDescription Description => Fake;
        public int Vocabulary => 7;
        public int Classes => 7;
        public Tensor Forward(Tensor tokens, Tensor? padding) => inner.Forward(tokens, padding);
    }

    private sealed class NotAModel : Module;

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
            var batch = new Batch(Torch.Zeros([2, 5], DType.Int64), null, target, null, null, 7);
            var terms = Objective.For(model).Compute(batch, labelSmoothing: 0.1);
            Assert.Equal(7, terms.Targets);
            return terms.Loss;
        });

    [Fact]
    public void AccuracyCountsOnlyNonIgnoredTargets()
    {
        using var scope = new TensorScope();
        // Argmax per position: 1, 2, 0, 2.
        var logits = Torch.From<float>([0, 5, 1, 0, 0, 9, 3, 1, 2, 0, 1, 4], [1, 4, 3]);
        var target = Torch.From<long>([1, 0, 0, Batch.IgnoreIndex], [1, 4]);
        using var model = new FixedLogits(() => logits);
        var result = Objective.For(model).Evaluate(model, new SingleBatch(() => new Batch(Torch.Zeros([1, 4], DType.Int64), null, target, null, null, 3)), Device.Cpu);
        Assert.Equal(2.0 / 3, result.Accuracy, 12);
        Assert.Equal(3, result.Targets);
    }

    [Fact]
    public void Seq2SeqEncodesThenDecodesTheTeacherForcedInput()
    {
        using var scope = new TensorScope();
        var logits = Torch.Randn(2, 3, 7);
        using var inner = new FixedLogits(() => logits);
        using var model = new Seq2SeqOnly(inner);
        var target = Torch.Randint(0, 7, [2, 3]);
        var batch = new Batch(Torch.Zeros([2, 4], DType.Int64), null, target, Torch.Zeros([2, 3], DType.Int64), null, 6);
        var terms = Objective.For(model).Compute(batch);
        Assert.Equal(["encode", "decode"], inner.Calls);
        var expected = Functional.CrossEntropy(logits.Reshape(-1, 7), target.Reshape(-1), reduction: Reduction.Sum);
        Assert.Equal(expected.ToDouble(), terms.Loss.ToDouble(), 5);

        var noDecoderInput = new Batch(Torch.Zeros([2, 4], DType.Int64), null, target, null, null, 6);
        var error = Assert.Throws<ArgumentException>(() => Objective.For(model).Compute(noDecoderInput));
        Assert.Contains("DecoderInput", error.Message);
    }

    [Fact]
    public void ClassifierScoresOneLabelPerSequence()
    {
        using var scope = new TensorScope();
        var logits = Torch.From<float>([0, 3, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0], [2, 7]);
        using var inner = new FixedLogits(() => logits);
        using var model = new ClassifierOnly(inner);
        var result = Objective.For(model).Evaluate(model, new SingleBatch(() => new Batch(Torch.Zeros([2, 5], DType.Int64), null, Torch.From<long>([1, 3]), null, null, 2)), Device.Cpu);
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
        Torch.ManualSeed(3);
        using (var model = new TinyLanguageModel(dropout: 0.5))
        {
            var objective = Objective.For(model);
            var set = new FixedEvaluationSet();
            var first = objective.Evaluate(model, set, Device.Cpu);
            var second = objective.Evaluate(model, set, Device.Cpu);
            Assert.Equal(first, second); // dropout off: the same score twice
            Assert.True(model.Training);
            Assert.Equal(0, model.TrainingForwards);
            Assert.Equal(6, model.EvaluationForwards);
            Assert.Equal(Math.Exp(first.Loss), first.Perplexity, 12);
            Assert.InRange(first.Accuracy, 0, 1);
            Assert.True(first.Loss > 2, $"an untrained model should be near ln 16 ≈ 2.77, got {first.Loss}");
        }
        Assert.Equal(live, LiveTensors.Settled());
    }
}
