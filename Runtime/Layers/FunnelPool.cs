using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Layers;

/// <summary>
/// Funnel-Transformer's sequence pooling between encoder blocks (MIXERS.md §10): kernel 2, stride 2,
/// so (B, T, C) becomes (B, ⌊T/2⌋, C). With <c>keepFirst</c> position 0 (a leading classification or
/// BOS token) is never pooled and the rest is: (B, 1 + ⌊(T − 1)/2⌋, C). A pooled position is padded when
/// either of its two inputs is (the min-pooled validity mask, <see cref="Padding"/>), and an odd trailing
/// position is dropped, as Funnel's <c>truncate_seq</c> does, which keeps the pooled mask a function of
/// the input mask alone: a sequence of odd length pools the same whether it is padded in a batch or not.
/// Generated Funnel encoders call these between blocks.
/// </summary>
public static class FunnelPool
{
    /// <summary>The mean of each pair of positions (Funnel's default).</summary>
    /// <param name="x">(B, T, C).</param>
    /// <param name="keepFirst">Leave position 0 out of the pooling and in front of the result.</param>
    /// <exception cref="ArgumentException">Without <paramref name="keepFirst"/>, the sequence has no pair to pool.</exception>
    public static Tensor Mean(Tensor x, bool keepFirst) => Pool(x, keepFirst, max: false);

    /// <summary>The element-wise maximum of each pair of positions.</summary>
    /// <param name="x">(B, T, C).</param>
    /// <param name="keepFirst">Leave position 0 out of the pooling and in front of the result.</param>
    /// <exception cref="ArgumentException">Without <paramref name="keepFirst"/>, the sequence has no pair to pool.</exception>
    public static Tensor Max(Tensor x, bool keepFirst) => Pool(x, keepFirst, max: true);

    /// <summary>
    /// The padding of the pooled sequence: (B, T) bool, true at padded positions, to (B, T') with a pooled
    /// position padded when either of its inputs is (valid only when both are: the min-pooled validity of
    /// MIXERS.md §10). Null stays null: an unpadded sequence pools to an unpadded one.
    /// </summary>
    /// <param name="padding">(B, T) bool, true at padded positions, or null.</param>
    /// <param name="keepFirst">As for the values.</param>
    public static Tensor? Padding(Tensor? padding, bool keepFirst)
    {
        if (padding is null) return null;
        if (padding.dtype != ScalarType.Bool || padding.dim() != 2)
            throw new ArgumentException($"Funnel pooling expects padding as a (batch, time) bool mask (true = padded), got {padding.dtype} [{string.Join(", ", padding.shape)}]", nameof(padding));
        long skip = keepFirst ? 1 : 0, pairs = Pairs(padding.shape[1], keepFirst);
        var pooled = padding.narrow(1, skip, 2 * pairs).reshape(padding.shape[0], pairs, 2).any(-1);
        return keepFirst ? cat([padding.narrow(1, 0, 1), pooled], 1) : pooled;
    }

    /// <summary>The length of a pooled sequence of <paramref name="length"/> positions.</summary>
    public static long Length(long length, bool keepFirst) => (keepFirst ? 1 : 0) + Pairs(length, keepFirst);

    private static Tensor Pool(Tensor x, bool keepFirst, bool max)
    {
        if (x.dim() != 3)
            throw new ArgumentException($"Funnel pooling expects a sequence of shape (batch, time, channels), got [{string.Join(", ", x.shape)}]", nameof(x));
        long b = x.shape[0], c = x.shape[2], skip = keepFirst ? 1 : 0, pairs = Pairs(x.shape[1], keepFirst);
        var body = x.narrow(1, skip, 2 * pairs).reshape(b, pairs, 2, c);
        var pooled = max ? body.amax([2]) : body.mean([2]);
        return keepFirst ? cat([x.narrow(1, 0, 1), pooled], 1) : pooled;
    }

    private static long Pairs(long length, bool keepFirst)
    {
        // Kept apart, the first position alone is still a sequence; without it, nothing would be left.
        if (!keepFirst && length < 2)
            throw new ArgumentException($"Funnel pooling halves the sequence, so it needs at least 2 positions, got {length}; pad shorter sequences or declare fewer Funnel blocks");
        return (keepFirst ? Math.Max(length - 1, 0) : length) / 2;
    }
}
