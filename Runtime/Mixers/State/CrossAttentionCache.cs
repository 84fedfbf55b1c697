using Composer.Tensors;

namespace Composer.Mixers;

/// <summary>
/// The decoding state of cross-attention: the encoder memory's keys and values, projected once when
/// decoding starts (B, H, S, D each), and which memory positions are padding.
/// </summary>
public sealed class CrossAttentionCache : IMixerState
{
    internal CrossAttentionCache(Tensor keys, Tensor values, Tensor? hidden)
    {
        Keys = keys.Persist();
        Values = values.Persist();
        Hidden = hidden?.Persist();
    }

    /// <summary>The memory's keys, (B, H, S, D).</summary>
    public Tensor Keys { get; private set; }

    /// <summary>The memory's values, (B, H, S, D).</summary>
    public Tensor Values { get; private set; }

    /// <summary>The memory padding as a key mask (B, 1, 1, S), true = padded; null when nothing is padded.</summary>
    public Tensor? Hidden { get; private set; }

    /// <inheritdoc />
    public void Reorder(Tensor indices)
    {
        var keys = Keys.IndexSelect(0, indices).Persist();
        var values = Values.IndexSelect(0, indices).Persist();
        var hidden = Hidden?.IndexSelect(0, indices).Persist();
        Dispose();
        (Keys, Values, Hidden) = (keys, values, hidden);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Keys.Dispose();
        Values.Dispose();
        Hidden?.Dispose();
    }
}
