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

    /// <summary>
    /// Takes a step's results as the new states: copied into the state's own tensors, or, when the step
    /// records gradients, kept themselves so the next step's graph continues from them (see <see cref="StateWrites"/>).
    /// </summary>
    public void Update(Tensor hidden, Tensor? cell)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        if (StateWrites.InPlace(hidden, Hidden) && (cell is null || Cell is null || StateWrites.InPlace(cell, Cell)))
        {
            Hidden.copy_(hidden);
            if (cell is not null) Cell?.copy_(cell);
            return;
        }
        // The step records gradients: keep its results themselves, so the next step's graph continues from them.
        var nextHidden = hidden.alias().DetachFromDisposeScope();
        var nextCell = cell is null ? Cell : cell.alias().DetachFromDisposeScope();
        Hidden.Dispose();
        if (cell is not null) Cell?.Dispose();
        Hidden = nextHidden;
        Cell = nextCell;
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
