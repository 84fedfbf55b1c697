using System;
using Composer.Data;
using Composer.Models;
using TorchSharp;
using static TorchSharp.torch;

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
    public static Objective For(nn.Module model) => model switch
    {
        ILanguageModel lm => new LanguageModelObjective(lm),
        ISeq2SeqModel s2s => new Seq2SeqObjective(s2s),
        IClassifier classifier => new ClassifierObjective(classifier),
        null => throw new ArgumentNullException(nameof(model)),
        _ => throw new ArgumentException($"{model.GetType().Name} implements none of ILanguageModel, ISeq2SeqModel and IClassifier, so there is nothing to train it to predict", nameof(model)),
    };

    /// <summary>The model's scores for the batch: (B, T, V) for token targets, (B, C) for class targets.</summary>
    protected abstract Tensor Logits(Batch batch);

    /// <summary>
    /// Runs the model on <paramref name="batch"/>: the summed cross-entropy over the batch's non-ignored
    /// targets, with <paramref name="labelSmoothing"/> ε mixing each target with the uniform distribution
    /// over all classes (PyTorch's <c>label_smoothing</c>; fairseq spreads ε over the other classes only,
    /// which differs by ε/V on the true class), and the number of targets. The loss belongs to the
    /// current dispose scope.
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
        return logits.dim() == 2 ? (logits, batch.Target) : (logits.reshape(-1, logits.shape[^1]), batch.Target.reshape(-1));
    }

    private static Tensor SummedLoss(Tensor logits, Tensor target, double labelSmoothing) =>
        nn.functional.cross_entropy(logits, target, ignore_index: Batch.IgnoreIndex, reduction: nn.Reduction.Sum, label_smoothing: labelSmoothing);

    /// <summary>
    /// Scores the model on every batch of <paramref name="set"/> in evaluation mode (dropout off, no
    /// autograd) and puts the module back in the mode it was in. The loss is plain cross-entropy per
    /// target (no label smoothing), so <see cref="EvaluationResult.Perplexity"/> is its exponential.
    /// Each batch runs in its own dispose scope; nothing is left behind.
    /// </summary>
    /// <exception cref="InvalidOperationException">The set has no targets.</exception>
    public EvaluationResult Evaluate(nn.Module model, IEvaluationSet set, Device device) =>
        Result(Sums(model, set, device, take: _ => true));

    /// <summary>
    /// The summed loss, the correct predictions and the targets over the batches of <paramref name="set"/>
    /// whose index <paramref name="take"/> accepts (data-parallel ranks each score their share); batches
    /// not taken are released unscored.
    /// </summary>
    internal (double Loss, double Correct, long Targets) Sums(nn.Module model, IEvaluationSet set, Device device, Func<int, bool> take)
    {
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            double loss = 0, correct = 0;
            long targets = 0;
            int index = 0;
            foreach (var source in set.Batches())
            {
                if (!take(index++))
                {
                    source.Dispose();
                    continue;
                }
                using var batch = Devices.Same(source.Input.device, device) ? source : MoveAndRelease(source, device);
                using var scope = NewDisposeScope();
                var (logits, target) = Flat(batch);
                loss += Readback.Double(SummedLoss(logits, target, 0));
                // Ignored targets (-100) never equal an argmax, so they never count as correct.
                correct += Readback.Double(logits.argmax(-1).eq(target).sum());
                targets += batch.TargetTokens;
            }
            return (loss, correct, targets);
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>Per-target loss, accuracy and perplexity from the sums of <see cref="Sums"/>.</summary>
    /// <exception cref="InvalidOperationException">There are no targets.</exception>
    internal static EvaluationResult Result((double Loss, double Correct, long Targets) sums)
    {
        var (loss, correct, targets) = sums;
        if (targets == 0) throw new InvalidOperationException("the evaluation set has no targets to score (is it empty?)");
        return new EvaluationResult(loss / targets, correct / targets, Math.Exp(loss / targets), targets);
    }

    /// <summary>The batch on <paramref name="device"/>; the original is disposed.</summary>
    internal static Batch MoveAndRelease(Batch batch, Device device)
    {
        try { return batch.To(device); }
        finally { batch.Dispose(); }
    }
}
