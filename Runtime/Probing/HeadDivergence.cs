using System;
using System.Collections.Generic;
using System.Linq;
using Composer.Mixers;
using Composer.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Probing;

/// <summary>
/// How far each head's attention is from constant (MIXERS.md §7a step 4b): the Jensen–Shannon divergence,
/// in nats, between each real query's row of A(x) and the same row of <c>P = rownorm(Ā ⊙ m mᵀ [⊙ tril])</c>,
/// averaged over the real query positions the layers see while <see cref="Record"/> is active. Computed in
/// float64; 0·log 0 counts as 0, so a key Ā never saw (P = 0) costs a finite amount, at most ln 2 per row.
/// </summary>
public sealed class HeadDivergence : IDisposable
{
    private readonly AttentionAverages _averages;
    private readonly Tensor[] _matrices;   // per layer Ā (H, L, L), float64
    private readonly Tensor[] _totals;     // per layer Σ JS per head (H)
    private readonly Tensor[] _rows;       // per layer real query rows seen (1)

    /// <summary>Empty tallies against <paramref name="averages"/>' matrices, on <paramref name="device"/>.</summary>
    public HeadDivergence(AttentionAverages averages, Device device)
    {
        ArgumentNullException.ThrowIfNull(averages);
        _averages = averages;
        using var scope = NewDisposeScope();
        _matrices = averages.Layers.Select(l => averages.Average(l.Index).to(device).DetachFromDisposeScope()).ToArray();
        _totals = averages.Layers.Select(l => zeros(l.Heads, ScalarType.Float64, device).DetachFromDisposeScope()).ToArray();
        _rows = averages.Layers.Select(_ => zeros(1, ScalarType.Float64, device).DetachFromDisposeScope()).ToArray();
    }

    /// <summary>Tallies the divergence of every forward pass of the layers until the result is disposed (eval mode, no gradients).</summary>
    public IDisposable Record() => new LayerTaps(_averages.Layers, layer => (weights, padding) =>
    {
        Add(layer.Index, weights, padding, layer.Attention.Causal);
        return weights;
    });

    private void Add(int layer, Tensor weights, Tensor? padding, bool causal)
    {
        long b = weights.shape[0], t = weights.shape[2];
        var a = weights.to(ScalarType.Float64);
        var p = ConstantHeads.Weights(_matrices[layer], t, padding, causal);
        var m = (a + p).mul_(0.5);
        var js = (xlogy(a, a) - xlogy(a, m) + xlogy(p, p) - xlogy(p, m)).sum(-1).mul_(0.5);     // (B, H, T)
        var real = padding is null ? ones([b, t], ScalarType.Float64, weights.device) : padding.logical_not().to(ScalarType.Float64);
        _totals[layer].add_((js * real.unsqueeze(1)).sum([0, 2]));
        _rows[layer].add_(real.sum());
    }

    /// <summary>Every head with its mean divergence so far, layer by layer (0 for a layer that saw nothing).</summary>
    public IEnumerable<RankedHead> Scores()
    {
        foreach (var layer in _averages.Layers)
        {
            using var scope = NewDisposeScope();
            var mean = Readback.Array<double>(_totals[layer.Index] / _rows[layer.Index].clamp_min(1.0));
            for (int h = 0; h < layer.Heads; h++) yield return new RankedHead(new AttentionHead(layer.Index, layer.Name, h), mean[h]);
        }
    }

    /// <summary>Releases the tallies.</summary>
    public void Dispose()
    {
        foreach (var t in _matrices.Concat(_totals).Concat(_rows)) t.Dispose();
    }
}
