using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Mixers;

/// <summary>
/// The decoding state of cross-attention: the encoder memory's keys and values, projected once when
/// decoding starts (B, H, S, D each), and which memory positions are padding, also in the forms the fused
/// attention takes, so a step spends no op on the mask.
/// </summary>
public sealed class CrossAttentionCache : IMixerState
{
    private readonly ScalarType _dtype;

    internal CrossAttentionCache(Tensor keys, Tensor values, Tensor? hidden, ScalarType dtype)
    {
        _dtype = dtype;
        Replace(keys, values, hidden);
    }

    /// <summary>The memory's keys, (B, H, S, D).</summary>
    public Tensor Keys { get; private set; } = null!;

    /// <summary>The memory's values, (B, H, S, D).</summary>
    public Tensor Values { get; private set; } = null!;

    /// <summary>The memory padding as a key mask (B, 1, 1, S), true = padded; null when nothing is padded.</summary>
    public Tensor? Hidden { get; private set; }

    /// <summary>Number of sequences in the batch.</summary>
    public long BatchSize => Keys.shape[0];

    /// <summary>The padding as an additive score bias (B, 1, 1, S); null when nothing is padded.</summary>
    internal Tensor? Bias { get; private set; }

    /// <summary>Per sequence 1 if any memory position is real, else 0, (B, 1, 1, 1); null when nothing is padded.</summary>
    internal Tensor? Visible { get; private set; }

    /// <inheritdoc />
    public void Reorder(Tensor indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        using var scope = NewDisposeScope();
        var keys = Keys.index_select(0, indices);
        var values = Values.index_select(0, indices);
        var hidden = Hidden?.index_select(0, indices);
        Dispose();
        Replace(keys, values, hidden);
    }

    private void Replace(Tensor keys, Tensor values, Tensor? hidden)
    {
        Keys = keys.DetachFromDisposeScope();
        Values = values.DetachFromDisposeScope();
        Hidden = hidden?.DetachFromDisposeScope();
        if (hidden is null)
        {
            Bias = Visible = null;
            return;
        }
        var (bias, visible) = Attention.KeyMask(hidden, _dtype);
        Bias = bias.DetachFromDisposeScope();
        Visible = visible.DetachFromDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Keys.Dispose();
        Values.Dispose();
        Hidden?.Dispose();
        Bias?.Dispose();
        Visible?.Dispose();
    }
}
