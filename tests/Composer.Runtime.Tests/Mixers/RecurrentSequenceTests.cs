using System.Collections.Generic;
using Composer.Mixers;
using Composer.Tensors;
using Composer.Tests.Harness;
using Xunit;

namespace Composer.Tests.Mixers;

/// <summary>
/// The shim's fused LSTM and GRU (the recurrent mixer's one-direction path) against libtorch's own
/// torch.lstm / torch.gru: outputs and the gradients of input, initial states, weights and biases.
/// </summary>
public sealed class RecurrentSequenceTests
{
    [Theory]
    [InlineData(RecurrentCell.Lstm, 3, 6, 5, 4)]
    [InlineData(RecurrentCell.Lstm, 1, 1, 3, 2)]
    [InlineData(RecurrentCell.Gru, 3, 6, 5, 4)]
    [InlineData(RecurrentCell.Gru, 1, 1, 3, 2)]
    public void MatchesLibtorchAndItsGradients(RecurrentCell cell, int batch, int time, int width, int hidden)
    {
        long before = LiveTensors.Settled();
        using (var scope = new TensorScope())
        {
            int gates = (cell == RecurrentCell.Lstm ? 4 : 3) * hidden;
            var x = Torch.Randn(batch, time, width).RequiresGrad_();
            var h0 = Torch.Randn(batch, hidden).RequiresGrad_();
            var c0 = Torch.Randn(batch, hidden).RequiresGrad_();
            Tensor[] weights =
            [
                Torch.Randn(gates, width).RequiresGrad_(), Torch.Randn(gates, hidden).RequiresGrad_(),
                Torch.Randn(gates).RequiresGrad_(), Torch.Randn(gates).RequiresGrad_(),
            ];
            var inputs = new List<Tensor> { x, h0, weights[0], weights[1], weights[2], weights[3] };
            if (cell == RecurrentCell.Lstm) inputs.Add(c0);
            var upstream = Torch.Randn(batch, time, hidden);

            var expected = cell == RecurrentCell.Lstm
                ? Torch.Lstm(x, h0.Unsqueeze(0), c0.Unsqueeze(0), weights, batchFirst: true).Output
                : Torch.Gru(x, h0.Unsqueeze(0), weights, batchFirst: true).Output;
            (expected * upstream).Sum().Backward();
            var expectedGrads = inputs.ConvertAll(t => t.Grad!.Clone());
            foreach (var t in inputs) t.ClearGrad();

            var actual = RecurrentSequence.Run(cell, x, h0, cell == RecurrentCell.Lstm ? c0 : null, weights);
            (actual * upstream).Sum().Backward();
            Reference.AssertClose(actual, expected, $"{cell} output");
            for (int i = 0; i < inputs.Count; i++)
                Reference.AssertClose(inputs[i].Grad!, expectedGrads[i], $"{cell} gradient of input {i}");
            foreach (var t in inputs) t.ClearGrad();
        }
        Assert.Equal(before, Torch.LiveTensors);
    }
}
