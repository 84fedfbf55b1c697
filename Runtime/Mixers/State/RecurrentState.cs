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
    private Tensor _hidden = null!, _cell = null!; // (1, B, hidden): libtorch's LSTM takes and returns states per layer

    /// <summary>Takes ownership of the initial states, (B, hidden) each (the cell state is null for a GRU).</summary>
    public RecurrentState(Tensor hidden, Tensor? cell)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        Replace(hidden.unsqueeze(0), cell?.unsqueeze(0));
        hidden.Dispose();
        cell?.Dispose();
    }

    internal RecurrentState(long batchSize, int hiddenSize, bool cell, ScalarType dtype, Device device)
    {
        Replace(zeros([1, batchSize, hiddenSize], dtype, device), cell ? zeros([1, batchSize, hiddenSize], dtype, device) : null);
    }

    /// <summary>h, (B, hidden).</summary>
    public Tensor Hidden { get; private set; } = null!;

    /// <summary>c, (B, hidden); null for a GRU.</summary>
    public Tensor? Cell { get; private set; }

    /// <summary>Number of sequences in the batch.</summary>
    public long BatchSize => Hidden.shape[0];

    /// <summary>h and c as (1, B, hidden), the layout of libtorch's LSTM states.</summary>
    internal (Tensor Hidden, Tensor? Cell) Layered => (_hidden, Cell is null ? null : _cell);

    /// <summary>Overwrites the states with a step's results, (B, hidden) or (1, B, hidden), without their autograd history.</summary>
    public void Update(Tensor hidden, Tensor? cell)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        using var noGrad = no_grad();
        _hidden.copy_(hidden);
        if (cell is not null && Cell is not null) _cell.copy_(cell);
    }

    /// <inheritdoc />
    public void Reorder(Tensor indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var hidden = _hidden.index_select(1, indices);
        var cell = Cell is null ? null : _cell.index_select(1, indices);
        Dispose();
        Replace(hidden, cell);
    }

    private void Replace(Tensor hidden, Tensor? cell)
    {
        _hidden = hidden.DetachFromDisposeScope();
        Hidden = hidden.select(0, 0).DetachFromDisposeScope();
        if (cell is null)
        {
            Cell = null;
            return;
        }
        _cell = cell.DetachFromDisposeScope();
        Cell = cell.select(0, 0).DetachFromDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Hidden.Dispose();
        _hidden.Dispose();
        Cell?.Dispose();
        if (Cell is not null) _cell.Dispose();
    }
}
