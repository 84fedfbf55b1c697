using System;
using Composer.Data;
using Composer.Layers;
using Composer.Models;
using Composer.Tensors;

namespace Composer.Training;

/// <summary>
/// Contrastive evaluation (Tang et al. 2018; MIXERS.md §11a): an item counts as correct when the model
/// gives the correct verb a higher probability than the wrong one. Tallied per distance.
/// </summary>
public static class ContrastiveEvaluator
{
    /// <summary>Scores every item of <paramref name="set"/> with the model in evaluation mode.</summary>
    public static ContrastiveTally Evaluate(Module model, ContrastiveEvaluationSet set, Device device)
    {
        bool wasTraining = model.Training;
        model.Eval();
        var tally = new ContrastiveTally();
        try
        {
            using var noGrad = Torch.NoGrad();
            foreach (var item in set.ContrastiveBatches())
            {
                using var contrastive = item;
                using var scope = new TensorScope();
                var batch = contrastive.Batch;
                var input = batch.Input.To(device);
                var padding = batch.InputPadding?.To(device);
                var logits = model switch
                {
                    ILanguageModel lm => lm.Forward(input, padding),
                    IClassifier classifier => classifier.Forward(input, padding),
                    _ => throw new ArgumentException($"{model.GetType().Name} is neither a language model nor a classifier, so it cannot be scored contrastively."),
                };
                tally.Add(contrastive, contrastive.Judge(logits));
            }
        }
        finally
        {
            model.Train(wasTraining);
        }
        return tally;
    }
}
