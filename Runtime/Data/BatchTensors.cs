using System;
using Composer.Tensors;

namespace Composer.Data;

/// <summary>Builds the padded tensors of a batch. Every tensor is persisted, so the batch owns it even when a scope is open.</summary>
internal static class BatchTensors
{
    /// <summary>An int64 (rows, length) tensor of <paramref name="rowsOf"/>, right-padded with <paramref name="pad"/>.</summary>
    public static Tensor Tokens(int rows, int length, Func<int, ReadOnlySpan<int>> rowsOf, long pad, int prefix = -1, int suffix = -1)
    {
        var data = new long[rows * length];
        for (int r = 0; r < rows; r++)
        {
            var row = data.AsSpan(r * length, length);
            row.Fill(pad);
            int at = 0;
            if (prefix >= 0) row[at++] = prefix;
            foreach (int id in rowsOf(r)) row[at++] = id;
            if (suffix >= 0) row[at++] = suffix;
        }
        return Torch.From<long>(data, [rows, length]).Persist();
    }

    /// <summary>An int64 tensor of <paramref name="data"/> with <paramref name="shape"/>.</summary>
    public static Tensor Longs(long[] data, params ReadOnlySpan<long> shape) => Torch.From<long>(data, shape).Persist();

    /// <summary>A bool (rows, length) mask, true past each row's length; null when no row is padded.</summary>
    public static Tensor? Mask(ReadOnlySpan<int> lengths, int length)
    {
        bool padded = false;
        foreach (int l in lengths) padded |= l < length;
        if (!padded) return null;
        var data = new bool[lengths.Length * length];
        for (int r = 0; r < lengths.Length; r++) data.AsSpan(r * length + lengths[r], length - lengths[r]).Fill(true);
        return Torch.From<bool>(data, [lengths.Length, length]).Persist();
    }
}
