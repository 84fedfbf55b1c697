using System;
using Composer.Tensors;

namespace Composer.Mixers;

/// <summary>
/// The decoding state of self-attention (MIXERS.md §0, §12 C2): every head's keys and values so far,
/// (B, H, t, D) each, growing by one position per step; or, with a <see cref="Window"/>, only the most
/// recent <see cref="Window"/> positions (local attention).
/// </summary>
public sealed class KeyValueCache : IMixerState
{
    /// <summary>An empty cache; <paramref name="window"/> &gt; 0 keeps only that many most recent positions, 0 keeps all.</summary>
    public KeyValueCache(int window = 0)
    {
        if (window < 0) throw new ArgumentOutOfRangeException(nameof(window), window, "the window of a key-value cache is a position count, 0 for unbounded");
        Window = window;
    }

    /// <summary>How many recent positions are kept between steps (0: all of them).</summary>
    public int Window { get; }

    /// <summary>The cached keys (B, H, t, D), or null before the first step.</summary>
    public Tensor? Keys { get; private set; }

    /// <summary>The cached values (B, H, t, D), or null before the first step.</summary>
    public Tensor? Values { get; private set; }

    /// <summary>Number of cached positions t.</summary>
    public long Length => Keys?.Size(2) ?? 0;

    /// <summary>
    /// Adds this step's <paramref name="keys"/> and <paramref name="values"/> (B, H, 1, D) and returns what
    /// the step attends to: the cached positions followed by the new one. With a window, only the last
    /// <see cref="Window"/> of those are kept for the next step.
    /// </summary>
    public (Tensor Keys, Tensor Values) Append(Tensor keys, Tensor values)
    {
        if (Keys is not null && Keys.Size(0) != keys.Size(0))
            throw new ArgumentException($"this decoding state holds {Keys.Size(0)} sequences but the step has {keys.Size(0)}; Reorder the state when the batch changes", nameof(keys));
        var allKeys = Keys is null ? keys : Torch.Cat([Keys, keys], 2);
        var allValues = Values is null ? values : Torch.Cat([Values, values], 2);
        long length = allKeys.Size(2);
        long kept = Window == 0 ? length : Math.Min(length, Window);
        Replace(allKeys.Narrow(2, length - kept, kept), allValues.Narrow(2, length - kept, kept));
        return (allKeys, allValues);
    }

    /// <inheritdoc />
    public void Reorder(Tensor indices)
    {
        if (Keys is null || Values is null) return;
        Replace(Keys.IndexSelect(0, indices), Values.IndexSelect(0, indices));
    }

    private void Replace(Tensor keys, Tensor values)
    {
        Keys?.Dispose();
        Values?.Dispose();
        Keys = keys.Persist();
        Values = values.Persist();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Keys?.Dispose();
        Values?.Dispose();
        Keys = Values = null;
    }
}
