using System;
using Composer.Data;
using Composer.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Training;

/// <summary>
/// Contrastive evaluation (Tang et al. 2018; MIXERS.md §11a): an item counts as correct when the model
/// gives the correct verb a higher probability than the wrong one. Tallied per distance.
/// </summary>
public static class ContrastiveEvaluator
{
    /// <summary>Scores every item of <paramref name="set"/> with the model in evaluation mode, each batch in its own dispose scope.</summary>
    /// <exception cref="ArgumentException">The model is neither a language model nor a classifier.</exception>
    public static ContrastiveTally Evaluate(nn.Module model, ContrastiveEvaluationSet set, Device device)
    {
        if (model is not (ILanguageModel or IClassifier))
            throw new ArgumentException($"{model.GetType().Name} is neither a language model nor a classifier, so it cannot be scored contrastively.", nameof(model));
        bool wasTraining = model.training;
        model.eval();
        var tally = new ContrastiveTally();
        try
        {
            using var noGrad = no_grad();
            foreach (var item in set.ContrastiveBatches())
            {
                using var contrastive = item;
                using var scope = NewDisposeScope();
                var batch = contrastive.Batch;
                var input = batch.Input.to(device);
                var padding = batch.InputPadding?.to(device);
                var logits = model is ILanguageModel lm ? lm.forward(input, padding) : ((IClassifier)model).forward(input, padding);
                tally.Add(contrastive, contrastive.Judge(logits));
            }
        }
        finally
        {
            model.train(wasTraining);
        }
        return tally;
    }
}
