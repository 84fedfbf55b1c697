using System;
using System.Collections.Generic;
using System.Linq;
using Composer.Data;
using Composer.Mixers;
using Composer.Models;
using Composer.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Probing;

/// <summary>The three replacement orders of the PAPA probe (<see cref="HeadOrder"/>, MIXERS.md §7a step 4).</summary>
public static class HeadRanking
{
    private const ulong RandomStream = 0x50415041; // "PAPA": its own stream, so other uses of the seed do not shift it

    /// <summary>
    /// Heads by mean Jensen–Shannon divergence between A(x) and <c>rownorm(Ā ⊙ m mᵀ [⊙ tril])</c> over the
    /// real query positions of <paramref name="heldOut"/> (each batch disposed here), smallest first.
    /// </summary>
    public static IReadOnlyList<RankedHead> ByDivergence(nn.Module model, AttentionAverages averages, IEnumerable<Batch> heldOut, Device device)
    {
        using var divergence = new HeadDivergence(averages, device);
        using (divergence.Record()) Run(model, heldOut, device);
        return Sorted(divergence.Scores().ToList());
    }

    /// <summary>Every head in a random order drawn from <paramref name="seed"/>; each head's score is its place.</summary>
    public static IReadOnlyList<RankedHead> Random(IReadOnlyList<AttentionLayer> layers, long seed)
    {
        var heads = layers.SelectMany(l => Enumerable.Range(0, l.Heads).Select(h => new AttentionHead(l.Index, l.Name, h))).ToArray();
        new SeededRandom(seed, RandomStream).Shuffle(heads.AsSpan());
        return heads.Select((h, place) => new RankedHead(h, place)).ToArray();
    }

    /// <summary>
    /// PAPA's learned gate: every head mixes <c>σ(λ_h)·A(x) + (1 − σ(λ_h))·rownorm(Ā ⊙ m mᵀ [⊙ tril])</c>,
    /// λ starts at 0, and λ plus <paramref name="alsoTrain"/> (a classifier's head) are trained for
    /// <paramref name="steps"/> updates on <paramref name="train"/> with the rest of the model frozen. Heads
    /// by λ, smallest (leaning most on Ā) first.
    /// </summary>
    public static IReadOnlyList<RankedHead> ByGate(nn.Module model, AttentionAverages averages, IBatchSource train,
        IReadOnlyList<(string Name, Tensor Tensor)> alsoTrain, int steps, double lr, Device device)
    {
        var layers = averages.Layers;
        using var lifetime = NewDisposeScope();
        var gates = new Tensor[layers.Count];
        var matrices = new Tensor[layers.Count];
        var trainable = new List<(string Name, Tensor Tensor)>(alsoTrain);
        foreach (var layer in layers)
        {
            var dtype = layer.Attention.ParameterContext.DType;
            gates[layer.Index] = zeros(layer.Heads, dtype, device);
            matrices[layer.Index] = averages.Average(layer.Index).to(dtype, device);
            trainable.Add(($"{layer.Name}.gate", gates[layer.Index]));
        }
        using (new LayerTaps(layers, layer => (weights, padding) =>
        {
            var open = gates[layer.Index].sigmoid().view(1, layer.Heads, 1, 1);
            var constant = ConstantHeads.Weights(matrices[layer.Index], weights.shape[2], padding, layer.Attention.Causal);
            return open * weights + (1 - open) * constant;
        }))
        {
            ProbeTraining.Train(model, trainable, train, steps, lr, device);
        }
        var scores = new List<RankedHead>();
        foreach (var layer in layers)
        {
            var lambda = Readback.Array<float>(gates[layer.Index].detach().to(ScalarType.Float32));
            for (int h = 0; h < layer.Heads; h++) scores.Add(new RankedHead(new AttentionHead(layer.Index, layer.Name, h), lambda[h]));
        }
        return Sorted(scores);
    }

    // Lowest score first; ties keep the model's order of layers and heads.
    internal static RankedHead[] Sorted(List<RankedHead> scores) =>
        scores.OrderBy(s => s.Score).ThenBy(s => s.Head.Layer).ThenBy(s => s.Head.Head).ToArray();

    /// <summary>Runs the model on every batch (each disposed here) in eval mode without gradients, for what its taps see.</summary>
    internal static void Run(nn.Module model, IEnumerable<Batch> batches, Device device)
    {
        var objective = Objective.For(model);
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            foreach (var source in batches)
            {
                using var batch = Devices.Same(source.Input.device, device) ? source : Objective.MoveAndRelease(source, device);
                using var scope = NewDisposeScope();
                objective.Compute(batch);
            }
        }
        finally
        {
            model.train(wasTraining);
        }
    }
}
