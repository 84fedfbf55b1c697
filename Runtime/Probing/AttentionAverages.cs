using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Composer.Checkpoints;
using Composer.Data;
using Composer.Models;
using Composer.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Probing;

/// <summary>
/// PAPA's constant matrices (MIXERS.md §7 "How Ā is computed", §7a step 3): for every attention layer l
/// and head h, <c>Ā[l,h][i,j] = Σ_x A_x[i,j]·m_x[i]·m_x[j] / Σ_x m_x[i]·m_x[j]</c>, the average of the head's
/// attention over the sequences x in which positions i and j are both real, in eval mode and without
/// gradients. Sums are float64. A pair that never co-occurs averages to 0, and a causal layer's averages
/// stay causal (its weights above the diagonal are 0).
/// </summary>
public sealed class AttentionAverages : IDisposable
{
    private readonly Tensor[] _sums;    // per layer (H, L, L), float64
    private readonly Tensor[] _pairs;   // per layer (L, L), float64: the denominator, shared by the heads

    /// <summary>Empty sums for <paramref name="layers"/>, on <paramref name="device"/>; <see cref="Record"/> fills them.</summary>
    /// <exception cref="ArgumentException">No layers, or the layers do not share one MaxLength.</exception>
    public AttentionAverages(IReadOnlyList<AttentionLayer> layers, Device device)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0) throw new ArgumentException("there is no attention layer to average", nameof(layers));
        if (layers.Where((l, i) => l.Index != i).Any())
            throw new ArgumentException("the layers must be listed in the order of their Index, from 0 (as AttentionLayer.Find lists them)", nameof(layers));
        int maxLength = layers[0].Attention.MaxLength;
        if (maxLength <= 0 || layers.Any(l => l.Attention.MaxLength != maxLength))
            throw new ArgumentException("PAPA's Ā is indexed by position, so the attention layers need one MaxLength (MIXERS.md §12 L3); declare MaxLength on the model", nameof(layers));
        Layers = layers;
        MaxLength = maxLength;
        _sums = layers.Select(l => zeros([l.Heads, maxLength, maxLength], ScalarType.Float64, device).DetachFromDisposeScope()).ToArray();
        _pairs = layers.Select(_ => zeros([maxLength, maxLength], ScalarType.Float64, device).DetachFromDisposeScope()).ToArray();
    }

    /// <summary>The layers averaged, in order.</summary>
    public IReadOnlyList<AttentionLayer> Layers { get; }

    /// <summary>L_max: the size of every Ā.</summary>
    public int MaxLength { get; }

    /// <summary>Batches averaged over.</summary>
    public long Batches { get; private set; }

    /// <summary>Sequences averaged over.</summary>
    public long Sequences { get; private set; }

    /// <summary>
    /// Runs <paramref name="model"/> on every batch of <paramref name="batches"/> (each disposed here) in eval
    /// mode without gradients, and averages the attention of each of <paramref name="layers"/>.
    /// </summary>
    /// <exception cref="ArgumentException">No layers, or the layers have no MaxLength.</exception>
    public static AttentionAverages Compute(nn.Module model, IReadOnlyList<AttentionLayer> layers, IEnumerable<Batch> batches, Device device)
    {
        ArgumentNullException.ThrowIfNull(model);
        var averages = new AttentionAverages(layers, device);
        try
        {
            using (averages.Record()) HeadRanking.Run(model, batches, device);
            return averages;
        }
        catch
        {
            averages.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Adds the attention of every forward pass of the layers to the sums until the result is disposed
    /// (each layer's <see cref="Mixers.MultiHeadSelfAttention.Tap"/>). Run the layers in eval mode and
    /// without gradients meanwhile; sequences are counted at the first layer.
    /// </summary>
    public IDisposable Record() => new LayerTaps(Layers, layer => (weights, padding) =>
    {
        Add(layer.Index, weights, padding);
        return weights;
    });

    /// <summary>Adds one batch's weights (B, H, T, T) of layer <paramref name="layer"/> with its padding (B, T) or null.</summary>
    private void Add(int layer, Tensor weights, Tensor? padding)
    {
        long b = weights.shape[0], t = weights.shape[2];
        if (layer == 0)
        {
            Batches++;
            Sequences += b;
        }
        if (t > MaxLength)
            throw new ArgumentException($"a batch has sequences of {t} positions, more than MaxLength = {MaxLength}");
        var real = padding is null ? ones([b, t], ScalarType.Float64, weights.device) : padding.logical_not().to(ScalarType.Float64);
        var pairs = real.unsqueeze(2) * real.unsqueeze(1);                                     // m mᵀ, (B, T, T)
        // sum(0L), not sum(0): a literal 0 converts to sum's ScalarType overload, which sums everything.
        _sums[layer].narrow(1, 0, t).narrow(2, 0, t).add_((weights.to(ScalarType.Float64) * pairs.unsqueeze(1)).sum(0L));
        _pairs[layer].narrow(0, 0, t).narrow(1, 0, t).add_(pairs.sum(0L));
    }

    /// <summary>Ā of layer <paramref name="layer"/>, (H, L, L) float64: 0 where the pair never co-occurred. A new tensor in the current scope.</summary>
    public Tensor Average(int layer) => _sums[layer] / _pairs[layer].clamp_min(1.0);

    /// <summary>How often each pair of positions co-occurred, (L, L) float64 (a view of the running sum).</summary>
    public Tensor Pairs(int layer) => _pairs[layer];

    /// <summary>
    /// Writes every layer's Ā (<c>&lt;layer&gt;.average</c>, (H, L, L) float64) and pair counts
    /// (<c>&lt;layer&gt;.pairs</c>, (L, L) float64) as a safetensors file, with the counts in its metadata.
    /// </summary>
    public void Save(string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var scope = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var layer in Layers)
        {
            tensors[layer.Name + ".average"] = Average(layer.Index);
            tensors[layer.Name + ".pairs"] = _pairs[layer.Index];
        }
        var all = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>())
        {
            ["batches"] = Batches.ToString(CultureInfo.InvariantCulture),
            ["sequences"] = Sequences.ToString(CultureInfo.InvariantCulture),
        };
        Safetensors.Save(path, tensors, all);
    }

    /// <summary>Releases the sums.</summary>
    public void Dispose()
    {
        foreach (var t in _sums) t.Dispose();
        foreach (var t in _pairs) t.Dispose();
    }
}
