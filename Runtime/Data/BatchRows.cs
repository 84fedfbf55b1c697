using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Data;

/// <summary>
/// A batch's rows as a batch of their own: what a data-parallel process trains on. The rows keep the
/// global batch's padded length, so each row is computed exactly as in the whole batch.
/// </summary>
public static class BatchRows
{
    /// <summary>
    /// Rows [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>) of
    /// <paramref name="batch"/>: views of its tensors (no copy), owned by the new batch, with the counts
    /// of these rows. The original batch stays valid and keeps its own tensors.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The rows are not inside the batch, or none are asked for.</exception>
    public static Batch Rows(this Batch batch, long start, long count)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (start < 0 || count < 1 || start + count > batch.Size)
            throw new ArgumentOutOfRangeException(nameof(start), $"rows [{start}, {start + count}) are not inside a batch of {batch.Size}");
        using var scope = NewDisposeScope();
        Tensor? Slice(Tensor? t) => t?.narrow(0, start, count);
        var input = Slice(batch.Input)!;
        var inputPadding = Slice(batch.InputPadding);
        var target = Slice(batch.Target)!;
        var decoderInput = Slice(batch.DecoderInput);
        var decoderPadding = Slice(batch.DecoderPadding);
        using Scalar ignored = Batch.IgnoreIndex;
        long targets = Count(target.ne(ignored));
        long tokens = Positions(input, inputPadding) + (decoderInput is null ? 0 : Positions(decoderInput, decoderPadding));
        return new Batch(Own(input)!, Own(inputPadding), Own(target)!, Own(decoderInput), Own(decoderPadding), targets, tokens);
    }

    // Non-padded positions of a (B, T) input.
    private static long Positions(Tensor input, Tensor? padding) =>
        padding is null ? input.numel() : input.numel() - Count(padding);

    private static long Count(Tensor mask)
    {
        using var sum = mask.sum();
        return sum.item<long>();
    }

    private static Tensor? Own(Tensor? tensor) => tensor?.DetachFromDisposeScope();
}
