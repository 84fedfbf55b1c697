using System.Collections.Generic;
using Composer.Mixers;
using Composer.Tests.Harness;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Tests.Mixers;

/// <summary>
/// The fused LSTM and GRU with hand-written backpropagation through time (<c>RecurrentSequence</c>, the
/// recurrent mixer's one-direction path) against libtorch's own LSTM and GRU (TorchSharp's
/// <c>torch.nn.LSTM</c> / <c>torch.nn.GRU</c> with the same weights): outputs and the gradients of input,
/// initial states, weights and biases.
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
        using (var scope = NewDisposeScope())
        {
            int gates = (cell == RecurrentCell.Lstm ? 4 : 3) * hidden;
            var x = randn(batch, time, width).requires_grad_();
            var h0 = randn(batch, hidden).requires_grad_();
            var c0 = randn(batch, hidden).requires_grad_();
            Tensor[] weights =
            [
                randn(gates, width).requires_grad_(), randn(gates, hidden).requires_grad_(),
                randn(gates).requires_grad_(), randn(gates).requires_grad_(),
            ];
            var inputs = new List<Tensor> { x, h0, weights[0], weights[1], weights[2], weights[3] };
            if (cell == RecurrentCell.Lstm) inputs.Add(c0);
            var upstream = randn(batch, time, hidden);

            // libtorch's module, given the same weights; its parameter gradients stand for the weights'.
            using nn.Module module = cell == RecurrentCell.Lstm
                ? nn.LSTM(width, hidden, batchFirst: true)
                : nn.GRU(width, hidden, batchFirst: true);
            string[] names = ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"];
            var parameters = new Tensor[4];
            using (no_grad())
            {
                for (int i = 0; i < 4; i++)
                {
                    parameters[i] = module.get_parameter(names[i])!;
                    parameters[i].copy_(weights[i]);
                }
            }
            var xCopy = x.detach().clone().requires_grad_();
            var h0Copy = h0.detach().clone().unsqueeze(0).requires_grad_();
            var c0Copy = c0.detach().clone().unsqueeze(0).requires_grad_();
            var expected = cell == RecurrentCell.Lstm
                ? ((nn.Module<Tensor, (Tensor, Tensor)?, (Tensor, Tensor, Tensor)>)module).call(xCopy, (h0Copy, c0Copy)).Item1
                : ((nn.Module<Tensor, Tensor?, (Tensor, Tensor)>)module).call(xCopy, h0Copy).Item1;
            (expected * upstream).sum().backward();
            var expectedGrads = new List<Tensor> { xCopy.grad!, h0Copy.grad!.squeeze(0) };
            foreach (var p in parameters) expectedGrads.Add(p.grad!);
            if (cell == RecurrentCell.Lstm) expectedGrads.Add(c0Copy.grad!.squeeze(0));

            var actual = RecurrentSequence.Run(cell, x, h0, cell == RecurrentCell.Lstm ? c0 : null, weights);
            (actual * upstream).sum().backward();
            Reference.AssertClose(actual, expected, $"{cell} output");
            for (int i = 0; i < inputs.Count; i++)
                Reference.AssertClose(inputs[i].grad!, expectedGrads[i], $"{cell} gradient of input {i}");
        }
        Assert.Equal(before, LiveTensors.Count);
    }

    [Fact]
    public void WithoutAutogradGivesTheSameStates()
    {
        // Inference takes the loop directly, without the autograd function around it.
        using var scope = NewDisposeScope();
        var x = randn(2, 5, 3);
        var h0 = randn(2, 4);
        var c0 = randn(2, 4);
        Tensor[] weights = [randn(16, 3).requires_grad_(), randn(16, 4), randn(16), randn(16)];
        var recorded = RecurrentSequence.Run(RecurrentCell.Lstm, x, h0, c0, weights);
        Assert.True(recorded.requires_grad);
        using (no_grad())
        {
            var plain = RecurrentSequence.Run(RecurrentCell.Lstm, x, h0, c0, weights);
            Assert.False(plain.requires_grad);
            Assert.True(plain.equal(recorded.detach()).all().item<bool>());
        }
    }
}
