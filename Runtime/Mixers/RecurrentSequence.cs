using System;
using Composer.Native;
using Composer.Tensors;

namespace Composer.Mixers;

/// <summary>
/// A single-layer, one-direction LSTM or GRU over a whole batch-first sequence, with backpropagation
/// through time written out in the shim (recurrent_sequence.cpp): the same equations, weights and gate
/// order as <c>torch.lstm</c> / <c>torch.gru</c>, but its backward forms the weight gradients once
/// instead of one outer product per step.
/// </summary>
internal static class RecurrentSequence
{
    /// <summary>
    /// The states of every step, (B, T, H), of <paramref name="x"/> (B, T, C) from the initial state
    /// <paramref name="h0"/> (B, H) (and for an LSTM the cell <paramref name="c0"/>), with
    /// <paramref name="weights"/> = weight_ih, weight_hh, bias_ih, bias_hh in torch.nn's layout.
    /// </summary>
    public static Tensor Run(RecurrentCell cell, Tensor x, Tensor h0, Tensor? c0, ReadOnlySpan<Tensor> weights)
    {
        if (weights.Length != 4) throw new ArgumentException("a recurrent sequence takes weight_ih, weight_hh, bias_ih and bias_hh", nameof(weights));
        if (cell == RecurrentCell.Lstm && c0 is null) throw new ArgumentNullException(nameof(c0), "an LSTM needs an initial cell state");
        return Tensor.Wrap(NativeMethods.cmp_recurrent_sequence(cell == RecurrentCell.Lstm ? 0 : 1, x.Handle, h0.Handle, c0?.Handle ?? 0,
            weights[0].Handle, weights[1].Handle, weights[2].Handle, weights[3].Handle));
    }
}
