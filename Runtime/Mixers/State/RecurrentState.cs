using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Mixers;

/// <summary>
/// Decoding state of a <see cref="RecurrentMixer"/>: the hidden state h and, for an LSTM, the cell
/// state c, each (B, hidden), batch first, allocated once and overwritten in place by every step. States
/// hold no autograd history: decoding is inference.
/// </summary>
public sealed class RecurrentState : IMixerState
{
    /// <summary>Takes ownership of the initial states (the cell state is null for a GRU).</summary>
    public RecurrentState(Tensor hidden, Tensor? cell)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        Hidden = hidden.DetachFromDisposeScope();
        Cell = cell?.DetachFromDisposeScope();
    }

    /// <summary>h, (B, hidden).</summary>
    public Tensor Hidden { get; private set; }

    /// <summary>c, (B, hidden); null for a GRU.</summary>
    public Tensor? Cell { get; private set; }

    /// <summary>Number of sequences in the batch.</summary>
    public long BatchSize => Hidden.shape[0];

    /// <summary>Overwrites the states with a step's results, without their autograd history.</summary>
    public void Update(Tensor hidden, Tensor? cell)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        using var noGrad = no_grad();
        Hidden.copy_(hidden);
        if (cell is not null) Cell?.copy_(cell);
    }

    /// <inheritdoc />
    public void Reorder(Tensor indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var hidden = Hidden.index_select(0, indices).DetachFromDisposeScope();
        var cell = Cell?.index_select(0, indices).DetachFromDisposeScope();
        Dispose();
        Hidden = hidden;
        Cell = cell;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Hidden.Dispose();
        Cell?.Dispose();
    }
}
