using System;
using System.Collections.Generic;
using static TorchSharp.torch;

namespace Composer.Probing;

/// <summary>
/// Sets a tap (<see cref="Mixers.MultiHeadSelfAttention.Tap"/>) on every layer, made per layer by
/// <c>tap</c>, and removes them all when disposed: the probes' way to see the attention weights of
/// ordinary forward passes.
/// </summary>
internal sealed class LayerTaps : IDisposable
{
    private readonly IReadOnlyList<AttentionLayer> _layers;

    public LayerTaps(IReadOnlyList<AttentionLayer> layers, Func<AttentionLayer, Func<Tensor, Tensor?, Tensor>> tap)
    {
        _layers = layers;
        foreach (var layer in layers) layer.Attention.Tap = tap(layer);
    }

    public void Dispose()
    {
        foreach (var layer in _layers) layer.Attention.Tap = null;
    }
}
