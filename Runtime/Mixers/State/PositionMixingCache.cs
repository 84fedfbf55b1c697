using System;
using Composer.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Mixers;

/// <summary>
/// Decoding state of the mixers that weight positions by a matrix indexed by position (constant and
/// synthesizer attention, MIXERS.md §12 C2): the values of the positions seen so far. Each step
/// appends one position; the mixer reads row t of its matrix (or predicts it from the token), so no
/// key cache is needed.
/// </summary>
/// <remarks>
/// MIXERS.md §12 C2 lists "a V cache plus a row of R or Ā": the row for step t is row t of the mixer's
/// own matrix (or, for a dense synthesizer, predicted from x_t), so the cache keeps the values and the
/// position t, nothing more. The values live in one (B, L_max, C) buffer allocated up front, so a step
/// writes one row in place instead of growing a tensor. States hold no autograd history: decoding is inference.
/// </remarks>
public sealed class PositionMixingCache : IMixerState
{
    private Tensor _buffer;

    /// <summary>An empty cache for <paramref name="batchSize"/> sequences of at most <paramref name="maxLength"/> positions of <paramref name="width"/> channels.</summary>
    public PositionMixingCache(ModuleContext context, long batchSize, int maxLength, int width)
    {
        ArgumentNullException.ThrowIfNull(context);
        MixerInput.CheckBatchSize(batchSize);
        if (maxLength < 1) throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "a position-mixing cache needs room for at least one position");
        _buffer = zeros([batchSize, maxLength, width], context.DType, context.Device).DetachFromDisposeScope();
    }

    /// <summary>The number of sequences B.</summary>
    public long BatchSize => _buffer.shape[0];

    /// <summary>The number of positions stepped so far, t.</summary>
    public long Length { get; private set; }

    /// <summary>The most positions the cache holds (L_max).</summary>
    public long Capacity => _buffer.shape[1];

    /// <summary>The cached values, (B, t, C): a view of the cache, valid until the next step or reorder.</summary>
    public Tensor Values => _buffer.narrow(1, 0, Length);

    /// <summary>Appends the values of the next position, (B, 1, C), and returns all of them, (B, t + 1, C).</summary>
    /// <exception cref="InvalidOperationException">The cache already holds L_max positions.</exception>
    public Tensor Append(Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (Length >= Capacity)
            throw new InvalidOperationException($"cannot decode position {Length + 1}: the mixer's matrix covers MaxLength = {Capacity} positions");
        if (StateWrites.InPlace(value, _buffer))
        {
            _buffer.narrow(1, Length, 1).copy_(value);
        }
        else
        {
            using var position = tensor(new[] { Length }, device: value.device);
            var next = _buffer.index_copy(1, position, value).DetachFromDisposeScope();
            _buffer.Dispose();
            _buffer = next;
        }
        Length++;
        return Values;
    }

    /// <inheritdoc />
    public void Reorder(Tensor indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var reordered = _buffer.index_select(0, indices).DetachFromDisposeScope();
        _buffer.Dispose();
        _buffer = reordered;
    }

    /// <inheritdoc />
    public void Dispose() => _buffer.Dispose();
}
