using System;
using System.Collections.Generic;
using System.Linq;
using Composer.Data;
using Composer.Models;
using Composer.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Probing;

/// <summary>
/// The probe's small training loop (MIXERS.md §7 "Evaluation", §7a step 6): everything but the given
/// tensors is frozen, the model stays in eval mode (the backbone is a fixed feature extractor, dropout
/// off), and AdamW without weight decay updates the given tensors on the training stream from its first
/// batch. Runs with the same seed, steps and learning rate see the same batches in the same order.
/// </summary>
internal static class ProbeTraining
{
    /// <summary>Trains <paramref name="trainable"/> for <paramref name="steps"/> updates at learning rate <paramref name="lr"/>.</summary>
    public static void Train(nn.Module model, IReadOnlyList<(string Name, Tensor Tensor)> trainable, IBatchSource data, int steps, double lr, Device device)
    {
        if (trainable.Count == 0 || steps == 0) return;
        var parameters = model.parameters().ToArray();
        var wasTrainable = parameters.Select(p => p.requires_grad).ToArray();
        bool wasTraining = model.training;
        foreach (var p in parameters) p.requires_grad = false;
        foreach (var (_, t) in trainable) t.requires_grad = true;
        try
        {
            using var optimizer = new AdamW(trainable, weightDecay: 0);
            var objective = Objective.For(model);
            model.eval();
            data.Seek(new DataPosition(0, 0));
            for (int step = 0; step < steps; step++)
            {
                using var scope = NewDisposeScope();
                using var batch = Objective.MoveAndRelease(data.Next(), device);
                var terms = objective.Compute(batch);
                optimizer.ZeroGrad();
                terms.Loss.div(Math.Max(terms.Targets, 1)).backward();
                optimizer.Step(lr);
            }
            optimizer.ZeroGrad();
        }
        finally
        {
            for (int i = 0; i < parameters.Length; i++) parameters[i].requires_grad = wasTrainable[i];
            model.train(wasTraining);
        }
    }
}
