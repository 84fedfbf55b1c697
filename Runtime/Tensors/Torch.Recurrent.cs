using System;
using Composer.Native;

namespace Composer.Tensors;

// Recurrent layers over a flat weight list: torch.lstm and torch.gru, the functions behind
// torch.nn.LSTM and torch.nn.GRU.
public static unsafe partial class Torch
{
    /// <summary>
    /// Runs a (multi-layer, optionally bidirectional) LSTM over a sequence (<c>torch.lstm</c>, what
    /// <c>torch.nn.LSTM</c> calls). <paramref name="weights"/> lists, per layer and direction (the reverse
    /// direction right after the forward one), <c>weight_ih</c> (4·hidden, in), <c>weight_hh</c>
    /// (4·hidden, hidden) and, with <paramref name="hasBiases"/>, <c>bias_ih</c> and <c>bias_hh</c> (4·hidden):
    /// the order of <c>torch.nn.LSTM</c>'s parameters. Gates are stacked input, forget, cell, output.
    /// </summary>
    /// <param name="input">(T, B, in), or (B, T, in) with <paramref name="batchFirst"/>.</param>
    /// <param name="h0">Initial hidden state (layers · directions, B, hidden).</param>
    /// <param name="c0">Initial cell state, the shape of <paramref name="h0"/>.</param>
    /// <param name="weights">The flat weight list described above.</param>
    /// <param name="hasBiases">Whether the list holds biases.</param>
    /// <param name="numLayers">Stacked layers.</param>
    /// <param name="dropout">Dropout between layers (not after the last one), while <paramref name="train"/>.</param>
    /// <param name="train">Training mode (enables the inter-layer dropout).</param>
    /// <param name="bidirectional">Whether every layer also runs right to left; outputs are concatenated (2·hidden).</param>
    /// <param name="batchFirst">Whether input and output put the batch first.</param>
    /// <returns>The output of the last layer at every step, and the final hidden and cell states (layers · directions, B, hidden).</returns>
    /// <exception cref="ArgumentException">The weight list has the wrong length for the layer count, directions and biases.</exception>
    public static (Tensor Output, Tensor H, Tensor C) Lstm(Tensor input, Tensor h0, Tensor c0, ReadOnlySpan<Tensor> weights, bool hasBiases = true,
        int numLayers = 1, double dropout = 0, bool train = false, bool bidirectional = false, bool batchFirst = false)
    {
        CheckRecurrentWeights("lstm", weights, hasBiases, numLayers, bidirectional);
        Span<nint> handles = stackalloc nint[weights.Length];
        for (int i = 0; i < weights.Length; i++) handles[i] = weights[i].Handle;
        nint* output = stackalloc nint[3];
        fixed (nint* w = handles)
            NativeMethods.Check(NativeMethods.cmp_lstm(input.Handle, h0.Handle, c0.Handle, w, handles.Length, hasBiases ? 1 : 0, numLayers,
                dropout, train ? 1 : 0, bidirectional ? 1 : 0, batchFirst ? 1 : 0, output, 3));
        return (Tensor.Wrap(output[0]), Tensor.Wrap(output[1]), Tensor.Wrap(output[2]));
    }

    /// <summary>
    /// Runs a (multi-layer, optionally bidirectional) GRU over a sequence (<c>torch.gru</c>, what
    /// <c>torch.nn.GRU</c> calls). The weight list is that of <see cref="Lstm"/> with 3·hidden rows
    /// (gates reset, update, new).
    /// </summary>
    /// <param name="input">(T, B, in), or (B, T, in) with <paramref name="batchFirst"/>.</param>
    /// <param name="h0">Initial hidden state (layers · directions, B, hidden).</param>
    /// <param name="weights">Per layer and direction <c>weight_ih</c>, <c>weight_hh</c>[, <c>bias_ih</c>, <c>bias_hh</c>].</param>
    /// <param name="hasBiases">Whether the list holds biases.</param>
    /// <param name="numLayers">Stacked layers.</param>
    /// <param name="dropout">Dropout between layers, while <paramref name="train"/>.</param>
    /// <param name="train">Training mode (enables the inter-layer dropout).</param>
    /// <param name="bidirectional">Whether every layer also runs right to left; outputs are concatenated.</param>
    /// <param name="batchFirst">Whether input and output put the batch first.</param>
    /// <returns>The output of the last layer at every step, and the final hidden state (layers · directions, B, hidden).</returns>
    /// <exception cref="ArgumentException">The weight list has the wrong length for the layer count, directions and biases.</exception>
    public static (Tensor Output, Tensor H) Gru(Tensor input, Tensor h0, ReadOnlySpan<Tensor> weights, bool hasBiases = true,
        int numLayers = 1, double dropout = 0, bool train = false, bool bidirectional = false, bool batchFirst = false)
    {
        CheckRecurrentWeights("gru", weights, hasBiases, numLayers, bidirectional);
        Span<nint> handles = stackalloc nint[weights.Length];
        for (int i = 0; i < weights.Length; i++) handles[i] = weights[i].Handle;
        nint* output = stackalloc nint[2];
        fixed (nint* w = handles)
            NativeMethods.Check(NativeMethods.cmp_gru(input.Handle, h0.Handle, w, handles.Length, hasBiases ? 1 : 0, numLayers,
                dropout, train ? 1 : 0, bidirectional ? 1 : 0, batchFirst ? 1 : 0, output, 2));
        return (Tensor.Wrap(output[0]), Tensor.Wrap(output[1]));
    }

    // libtorch indexes the list by layer and direction without checking its length first.
    private static void CheckRecurrentWeights(string function, ReadOnlySpan<Tensor> weights, bool hasBiases, int numLayers, bool bidirectional)
    {
        if (numLayers < 1) throw new ArgumentOutOfRangeException(nameof(numLayers), numLayers, $"{function} needs at least one layer");
        int expected = numLayers * (bidirectional ? 2 : 1) * (hasBiases ? 4 : 2);
        if (weights.Length != expected)
            throw new ArgumentException($"{function} with {numLayers} layer(s), {(bidirectional ? "two directions" : "one direction")} and {(hasBiases ? "biases" : "no biases")} " +
                $"takes {expected} weights (weight_ih, weight_hh{(hasBiases ? ", bias_ih, bias_hh" : "")} per layer and direction), not {weights.Length}", nameof(weights));
        for (int i = 0; i < weights.Length; i++)
            if (weights[i] is null) throw new ArgumentNullException(nameof(weights), $"weight {i} of the list is null");
    }
}
