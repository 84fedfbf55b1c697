using Composer.Tensors;

namespace Composer.Mixers;

/// <summary>
/// Decoding state of a <see cref="RecurrentMixer"/>: the hidden state h and, for an LSTM, the cell
/// state c, each (B, hidden), batch first. States hold no autograd history: decoding is inference.
/// </summary>
public sealed class RecurrentState : IMixerState
{
    /// <summary>Takes ownership of the initial states (the cell state is null for a GRU).</summary>
    public RecurrentState(Tensor hidden, Tensor? cell)
    {
        Hidden = hidden.Persist();
        Cell = cell?.Persist();
    }

    /// <summary>h, (B, hidden).</summary>
    public Tensor Hidden { get; private set; }

    /// <summary>c, (B, hidden); null for a GRU.</summary>
    public Tensor? Cell { get; private set; }

    /// <summary>Replaces the states after a step (detached copies are kept; the old ones are released).</summary>
    public void Update(Tensor hidden, Tensor? cell) => Replace(hidden.Detach().Persist(), cell?.Detach().Persist());

    /// <inheritdoc />
    public void Reorder(Tensor indices) => Replace(Hidden.IndexSelect(0, indices).Persist(), Cell?.IndexSelect(0, indices).Persist());

    private void Replace(Tensor hidden, Tensor? cell)
    {
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
