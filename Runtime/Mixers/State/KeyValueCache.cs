using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Mixers;

/// <summary>
/// The decoding state of self-attention (MIXERS.md §0, §12 C2): every head's keys and values so far, in
/// buffers of (B, H, capacity, D) allocated once and written in place, one position per step. With a
/// <see cref="Window"/> (local attention) the buffers hold only the most recent positions, as a ring:
/// attention weighs keys without regard to their order, so a ring is enough. A step that records
/// gradients writes into a copy instead (see <see cref="StateWrites"/>).
/// </summary>
public sealed class KeyValueCache : IMixerState
{
    private Tensor? _keys;
    private Tensor? _values;
    private long _capacity;

    /// <summary>
    /// An empty cache for <paramref name="batchSize"/> sequences. <paramref name="capacity"/> is the
    /// number of positions to allocate (the model's MaxLength; it doubles if decoding runs past it);
    /// <paramref name="window"/> &gt; 0 keeps only the current position and the <paramref name="window"/>
    /// before it, 0 keeps every position.
    /// </summary>
    public KeyValueCache(long batchSize, int capacity, int window = 0)
    {
        MixerInput.CheckBatchSize(batchSize);
        if (window < 0) throw new ArgumentOutOfRangeException(nameof(window), window, "the window of a key-value cache is a position count, 0 for unbounded");
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "a key-value cache needs room for at least one position");
        BatchSize = batchSize;
        Window = window;
        _capacity = window > 0 ? window + 1 : capacity;
    }

    /// <summary>
    /// A cache sized for a model's <paramref name="maxLength"/>, or for 256 positions when the model
    /// declares none (0); it grows by doubling either way, so this only sets the first allocation.
    /// </summary>
    public static KeyValueCache ForMaxLength(long batchSize, int maxLength, int window = 0) =>
        new(batchSize, maxLength > 0 ? maxLength : 256, window);

    /// <summary>How many positions before the current one a step sees (0: all of them).</summary>
    public int Window { get; }

    /// <summary>Number of sequences in the batch.</summary>
    public long BatchSize { get; private set; }

    /// <summary>Number of positions appended so far.</summary>
    public long Length { get; private set; }

    /// <summary>
    /// Number of positions the buffers hold: every one appended, or with a <see cref="Window"/> at most the
    /// current and the <see cref="Window"/> before it (older ones are overwritten in the ring).
    /// </summary>
    public long Cached => Window > 0 ? Math.Min(Length, Window + 1) : Length;

    /// <summary>
    /// Writes this step's <paramref name="keys"/> and <paramref name="values"/> (B, H, 1, D) into the
    /// buffers and returns views of everything the step attends to, (B, H, n, D) each: the cached
    /// positions and the new one (in ring order when windowed).
    /// </summary>
    public (Tensor Keys, Tensor Values) Append(Tensor keys, Tensor values)
    {
        if (keys.shape[0] != BatchSize)
            throw new ArgumentException($"this decoding state holds {BatchSize} sequences but the step has {keys.shape[0]}; Reorder the state when the batch changes", nameof(keys));
        if (_keys is null || _values is null)
        {
            _keys = Allocate(keys, _capacity);
            _values = Allocate(values, _capacity);
        }
        else if (Window == 0 && Length == _capacity)
        {
            Grow(2 * _capacity);
        }
        long slot = Window > 0 ? Length % _capacity : Length;
        if (StateWrites.InPlace(keys, _keys) && StateWrites.InPlace(values, _values))
        {
            _keys.narrow(2, slot, 1).copy_(keys);
            _values.narrow(2, slot, 1).copy_(values);
        }
        else
        {
            using var position = tensor(new[] { slot }, device: keys.device);
            Replace(_keys.index_copy(2, position, keys), _values.index_copy(2, position, values));
        }
        Length++;
        long seen = Math.Min(Length, _capacity);
        return (_keys.narrow(2, 0, seen), _values.narrow(2, 0, seen));
    }

    /// <inheritdoc />
    public void Reorder(Tensor indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        BatchSize = indices.shape[0];
        if (_keys is null || _values is null) return;
        Replace(_keys.index_select(0, indices), _values.index_select(0, indices));
    }

    private void Grow(long capacity)
    {
        var keys = Allocate(_keys!, capacity);
        var values = Allocate(_values!, capacity);
        keys.narrow(2, 0, _capacity).copy_(_keys!);
        values.narrow(2, 0, _capacity).copy_(_values!);
        _capacity = capacity;
        Replace(keys, values);
    }

    private static Tensor Allocate(Tensor like, long capacity) =>
        empty([like.shape[0], like.shape[1], capacity, like.shape[3]], like.dtype, like.device).DetachFromDisposeScope();

    private void Replace(Tensor keys, Tensor values)
    {
        _keys?.Dispose();
        _values?.Dispose();
        _keys = keys.DetachFromDisposeScope();
        _values = values.DetachFromDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _keys?.Dispose();
        _values?.Dispose();
        _keys = _values = null;
    }
}
