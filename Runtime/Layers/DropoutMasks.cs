using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Layers;

/// <summary>
/// Dropout whose masks do not depend on how a batch is split between processes. Outside data-parallel
/// training this is <c>nn.functional.dropout</c> itself. While a process computes rows
/// [offset, offset + rows) of a global batch (<see cref="ForRows"/>), each call draws the mask of the
/// whole global batch and applies its own rows: every process then draws the same random numbers, in
/// the same order, as one process training on the whole batch, so N processes train exactly the model
/// one would, and their random generators stay in step.
/// </summary>
/// <remarks>
/// libtorch's CPU dropout is <c>input * (empty_like(input).bernoulli_(1 − p) / (1 − p))</c>; the global
/// mask is drawn the same way, so the rows a process keeps are bit for bit the single process's. The
/// price is drawing the other processes' rows too (one <c>bernoulli_</c> over the global shape per
/// call). Tensors whose first dimension is not the batch (a convolution's shared kernels) keep plain
/// dropout: every process draws the same mask, as one process would. A mixer of your own that uses
/// dropout on batch-first tensors calls <see cref="Apply"/> to be exact under data parallelism too.
/// </remarks>
public static class DropoutMasks
{
    [ThreadStatic] private static Rows? _rows;

    private sealed record Rows(long Offset, long Count, long Global);

    /// <summary>Whether a process is computing a shard of a larger batch (<see cref="ForRows"/>) on this thread.</summary>
    public static bool Sharded => _rows is not null;

    /// <summary>
    /// Until disposed, dropout on this thread (<see cref="Apply"/>) treats the batch dimension as rows
    /// [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="count"/>) of a batch of
    /// <paramref name="global"/> rows.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The rows are not inside the global batch.</exception>
    /// <exception cref="InvalidOperationException">Another shard is already active on this thread.</exception>
    public static IDisposable ForRows(long offset, long count, long global)
    {
        if (offset < 0 || count < 1 || offset + count > global)
            throw new ArgumentOutOfRangeException(nameof(offset), $"rows [{offset}, {offset + count}) are not inside a batch of {global}");
        if (_rows is not null) throw new InvalidOperationException("a shard is already active on this thread");
        _rows = new Rows(offset, count, global);
        return new Scope();
    }

    /// <summary>
    /// Dropout with probability <paramref name="p"/> on <paramref name="x"/>, whose first dimension is
    /// the batch: zeroes elements and rescales the rest by 1/(1 − p). Call only when training and p &gt; 0.
    /// </summary>
    public static Tensor Apply(Tensor x, double p)
    {
        if (_rows is not { } rows) return nn.functional.dropout(x, p, training: true);
        if (x.shape[0] != rows.Count)
            throw new InvalidOperationException($"dropout on a tensor of {x.shape[0]} rows while this process computes {rows.Count} rows of the batch; a tensor whose first dimension is not the batch takes nn.functional.dropout");
        var shape = x.shape;
        shape[0] = rows.Global;
        using Scalar keep = 1 - p;
        var mask = empty(shape, x.dtype, x.device).bernoulli_(1 - p).div_(keep);
        return x.mul(mask.narrow(0, rows.Offset, rows.Count));
    }

    private sealed class Scope : IDisposable
    {
        public void Dispose() => _rows = null;
    }
}
