using System;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Composer.Data;

/// <summary>
/// Builds the padded CPU tensors of a batch, writing the values straight into the tensors' memory (no
/// managed copy for libtorch to pin). Every tensor is detached from any open dispose scope, so the
/// batch owns it.
/// </summary>
internal static class BatchTensors
{
    /// <summary>An int64 (rows, length) tensor of <paramref name="rowsOf"/>, right-padded with <paramref name="pad"/>.</summary>
    public static Tensor Tokens(int rows, int length, Func<int, ReadOnlySpan<int>> rowsOf, long pad, int prefix = -1, int suffix = -1)
    {
        var tensor = Empty(ScalarType.Int64, rows, length);
        var data = MemoryMarshal.Cast<byte, long>(tensor.bytes);
        for (int r = 0; r < rows; r++)
        {
            var row = data.Slice(r * length, length);
            row.Fill(pad);
            int at = 0;
            if (prefix >= 0) row[at++] = prefix;
            foreach (int id in rowsOf(r)) row[at++] = id;
            if (suffix >= 0) row[at++] = suffix;
        }
        return tensor;
    }

    /// <summary>An int64 tensor of <paramref name="data"/> with <paramref name="shape"/>.</summary>
    public static Tensor Longs(long[] data, params ReadOnlySpan<long> shape)
    {
        var tensor = Empty(ScalarType.Int64, shape);
        MemoryMarshal.AsBytes(data.AsSpan()).CopyTo(tensor.bytes);
        return tensor;
    }

    /// <summary>A bool (rows, length) mask, true past each row's length; null when no row is padded.</summary>
    public static Tensor? Mask(ReadOnlySpan<int> lengths, int length)
    {
        bool padded = false;
        foreach (int l in lengths) padded |= l < length;
        if (!padded) return null;
        var tensor = Empty(ScalarType.Bool, lengths.Length, length);
        var data = MemoryMarshal.Cast<byte, bool>(tensor.bytes);
        data.Clear();
        for (int r = 0; r < lengths.Length; r++) data.Slice(r * length + lengths[r], length - lengths[r]).Fill(true);
        return tensor;
    }

    /// <summary>The sum of <paramref name="lengths"/>: the non-padded positions of a batch.</summary>
    public static long Sum(ReadOnlySpan<int> lengths)
    {
        long total = 0;
        foreach (int l in lengths) total += l;
        return total;
    }

    private static Tensor Empty(ScalarType dtype, params ReadOnlySpan<long> shape) =>
        empty(shape, dtype, CPU).DetachFromDisposeScope();
}
