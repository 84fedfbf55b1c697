using System;
using Composer.Data;
using Composer.Layers;
using Composer.Models;
using Composer.Tensors;

namespace Composer.Training;

/// <summary>
/// What a model is trained to predict, per model kind: a batch becomes logits over classes (next
/// tokens, target tokens or sequence labels), scored by cross-entropy against the batch's targets.
/// Losses are sums over targets, so micro-batches of different sizes combine into an exact per-target
/// mean (<see cref="Trainer"/> divides by the update's target count).
/// </summary>
public abstract class Objective
{
    /// <summary>The objective for a model of any kind (<see cref="ILanguageModel"/>, <see cref="ISeq2SeqModel"/>, <see cref="IClassifier"/>).</summary>
    /// <exception cref="ArgumentException">The module implements none of the model interfaces.</exception>
    public static Objective For(Module model) => model switch
    {
        ILanguageModel lm => new LanguageModelObjective(lm),
        ISeq2SeqModel s2s => new Seq2SeqObjective(s2s),
        IClassifier classifier => new ClassifierObjective(classifier),
        _ => throw new ArgumentException($"{model.GetType().Name} implements none of ILanguageModel, ISeq2SeqModel and IClassifier, so there is nothing to train it to predict", nameof(model)),
    };

    /// <summary>The model's scores for the batch: (B, T, V) for token targets, (B, C) for class targets.</summary>
    protected abstract Tensor Logits(Batch batch);

    /// <summary>
    /// Runs the model on <paramref name="batch"/>: the summed cross-entropy over the batch's non-ignored
    /// targets, with <paramref name="labelSmoothing"/> ε mixing each target with the uniform distribution
    /// over all classes (PyTorch's <c>label_smoothing</c>; fairseq spreads ε over the other classes only,
    /// which differs by ε/V on the true class), and the number of targets.
    /// </summary>
    public ObjectiveTerms Compute(Batch batch, double labelSmoothing = 0)
    {
        var (logits, target) = Flat(batch);
        return new ObjectiveTerms(SummedLoss(logits, target, labelSmoothing), batch.TargetTokens);
    }

    // Logits as (N, classes) and targets as (N): one row per target, whatever the model kind.
    private (Tensor Logits, Tensor Target) Flat(Batch batch)
    {
        var logits = Logits(batch);
        return (logits.Reshape(-1, logits.Size(-1)), batch.Target.Reshape(-1));
    }

    private static Tensor SummedLoss(Tensor logits, Tensor target, double labelSmoothing) =>
        Functional.CrossEntropy(logits, target, ignoreIndex: Batch.IgnoreIndex, reduction: Reduction.Sum, labelSmoothing: labelSmoothing);

    /// <summary>
    /// Scores the model on every batch of <paramref name="set"/> in evaluation mode (dropout off, no
    /// autograd) and puts the module back in training mode. The loss is plain cross-entropy per target
    /// (no label smoothing), so <see cref="EvaluationResult.Perplexity"/> is its exponential.
    /// </summary>
    public EvaluationResult Evaluate(Module model, IEvaluationSet set, Device device)
    {
        bool wasTraining = model.Training;
        model.Eval();
        try
        {
            using var noGrad = Torch.NoGrad();
            double loss = 0, correct = 0;
            long targets = 0;
            foreach (var source in set.Batches())
            {
                using var batch = source.Input.Device == device ? source : MoveAndRelease(source, device);
                using var scope = new TensorScope();
                var (logits, target) = Flat(batch);
                loss += SummedLoss(logits, target, 0).ToDouble();
                // Ignored targets (-100) never equal an argmax, so they never count as correct.
                correct += logits.Argmax(-1).Eq(target).Sum().ToDouble();
                targets += batch.TargetTokens;
            }
            if (targets == 0) throw new InvalidOperationException("the evaluation set has no targets to score (is it empty?)");
            return new EvaluationResult(loss / targets, correct / targets, Math.Exp(loss / targets), targets);
        }
        finally
        {
            model.Train(wasTraining);
        }
    }

    /// <summary>The batch on <paramref name="device"/>; the original is disposed.</summary>
    internal static Batch MoveAndRelease(Batch batch, Device device)
    {
        try { return batch.To(device); }
        finally { batch.Dispose(); }
    }
}
