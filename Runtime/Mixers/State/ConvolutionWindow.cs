using System;
using Composer.Tensors;

namespace Composer.Mixers;

/// <summary>
/// The decoding state of a convolution mixer (MIXERS.md §2–§3): the last K − 1 convolution inputs,
/// (B, C, K − 1), oldest first. It starts as zeros, which stand for the positions before the start
/// exactly as the zero left padding does in the full-sequence forward.
/// </summary>
public sealed class ConvolutionWindow : IMixerState
{
    internal ConvolutionWindow(Tensor inputs) => Inputs = inputs.Persist();

    /// <summary>The last K − 1 inputs of the convolution, (B, C, K − 1).</summary>
    public Tensor Inputs { get; private set; }

    /// <summary>Number of sequences in the batch.</summary>
    public long BatchSize => Inputs.Size(0);

    /// <summary>
    /// <paramref name="x"/> (B, 1, C) appended to the stored inputs: the K inputs the convolution sees at the
    /// new position, (B, C, K). Call <see cref="Advance"/> with the result to keep its last K − 1.
    /// </summary>
    internal Tensor Window(Tensor x) => Torch.Cat([Inputs, x.Transpose(1, 2)], 2);

    /// <summary>Keeps the last K − 1 inputs of <paramref name="window"/> (B, C, K) as the new state.</summary>
    internal void Advance(Tensor window)
    {
        var next = window.Narrow(2, 1, window.Size(2) - 1).Persist();
        Inputs.Dispose();
        Inputs = next;
    }

    /// <inheritdoc />
    public void Reorder(Tensor indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var next = Inputs.IndexSelect(0, indices).Persist();
        Inputs.Dispose();
        Inputs = next;
    }

    /// <inheritdoc />
    public void Dispose() => Inputs.Dispose();
}
