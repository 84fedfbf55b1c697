using System.Collections.Generic;
using System.Linq;
using Composer.Layers;
using Composer.Mixers;
using Composer.Tests.Harness;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Tests.Mixers;

/// <summary>
/// What replaced the shim's fused recurrences. The GRU's sequence with hand-written backpropagation through
/// time (<c>RecurrentSequence</c>) against libtorch's own GRU (TorchSharp's <c>torch.nn.GRU</c> with the same
/// weights): outputs and the gradients of input, initial state, weights and biases. The LSTM runs as
/// libtorch's own LSTM whose parameters are the mixer's: against the LSTM equations composed here, outputs
/// and the gradients of input, weights and biases must land on the mixer's registered parameters, and
/// survive moving the mixer to another dtype.
/// </summary>
public sealed class RecurrentSequenceTests
{
    [Theory]
    [InlineData(3, 6, 5, 4)]
    [InlineData(1, 1, 3, 2)]
    public void GruMatchesLibtorchAndItsGradients(int batch, int time, int width, int hidden)
    {
        long before = LiveTensors.Settled();
        using (var scope = NewDisposeScope())
        {
            int gates = 3 * hidden;
            var x = randn(batch, time, width).requires_grad_();
            var h0 = randn(batch, hidden).requires_grad_();
            Tensor[] weights =
            [
                randn(gates, width).requires_grad_(), randn(gates, hidden).requires_grad_(),
                randn(gates).requires_grad_(), randn(gates).requires_grad_(),
            ];
            var inputs = new List<Tensor> { x, h0, weights[0], weights[1], weights[2], weights[3] };
            var upstream = randn(batch, time, hidden);

            // libtorch's module, given the same weights; its parameter gradients stand for the weights'.
            using var module = nn.GRU(width, hidden, batchFirst: true);
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
            var expected = module.call(xCopy, h0Copy).Item1;
            (expected * upstream).sum().backward();
            var expectedGrads = new List<Tensor> { xCopy.grad!, h0Copy.grad!.squeeze(0) };
            foreach (var p in parameters) expectedGrads.Add(p.grad!);

            var actual = RecurrentSequence.Run(x, h0, weights);
            (actual * upstream).sum().backward();
            Reference.AssertClose(actual, expected, "GRU output");
            for (int i = 0; i < inputs.Count; i++)
                Reference.AssertClose(inputs[i].grad!, expectedGrads[i], $"GRU gradient of input {i}");
        }
        Assert.Equal(before, LiveTensors.Count);
    }

    [Fact]
    public void GruWithoutAutogradGivesTheSameStates()
    {
        // Inference takes the loop directly, without the autograd function around it.
        using var scope = NewDisposeScope();
        var x = randn(2, 5, 3);
        var h0 = randn(2, 4);
        Tensor[] weights = [randn(12, 3).requires_grad_(), randn(12, 4), randn(12), randn(12)];
        var recorded = RecurrentSequence.Run(x, h0, weights);
        Assert.True(recorded.requires_grad);
        using (no_grad())
        {
            var plain = RecurrentSequence.Run(x, h0, weights);
            Assert.False(plain.requires_grad);
            Assert.True(plain.equal(recorded.detach()).all().item<bool>());
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LstmComputesWithTheMixersOwnParameters(bool bidirectional)
    {
        long before = LiveTensors.Settled();
        using (var mixer = new RecurrentMixer(new MixerContext(ModuleContext.Cpu, Width: 6), new RecurrentOptions(RecurrentCell.Lstm, bidirectional)))
        using (var scope = NewDisposeScope())
        {
            int hidden = mixer.HiddenSize;
            // Weights loaded by name reach the computation.
            var weights = new Dictionary<string, Tensor>();
            foreach (var (name, parameter) in mixer.named_parameters()) weights[name] = randn(parameter.shape);
            StateDicts.Load(mixer, weights);
            var x = randn(2, 5, 6).requires_grad_();
            var upstream = randn(2, 5, 6);
            var actual = mixer.forward(x, null);
            (actual * upstream).sum().backward();

            var xCopy = x.detach().clone().requires_grad_();
            var copies = new Dictionary<string, Tensor>();
            foreach (var (name, w) in weights) copies[name] = w.clone().requires_grad_();
            var expected = ComposedLstm(xCopy, copies, "", hidden);
            if (bidirectional) expected = cat([expected, ComposedLstm(xCopy.flip(1), copies, "_reverse", hidden).flip(1)], -1);
            (expected * upstream).sum().backward();

            Reference.AssertClose(actual, expected, "LSTM output");
            Reference.AssertClose(x.grad!, xCopy.grad!, "LSTM input gradient");
            foreach (var (name, parameter) in mixer.named_parameters())
                Reference.AssertClose(parameter.grad!, copies[name].grad!, $"LSTM gradient of {name}, on the mixer's parameter");
            mixer.zero_grad(set_to_none: true);
        }
        Assert.Equal(before, LiveTensors.Count);
    }

    /// <summary>
    /// Without gradients (evaluation, prompts) the LSTM gives the same outputs as with them and as torch.nn.LSTM's
    /// equations composed from plain ops. libtorch 2.10's oneDNN inference LSTM kernel got small hidden sizes
    /// wrong on an AVX-512 CPU (errors of 0.1–0.3 at H = 4–8), so the mixer must not run it.
    /// </summary>
    [Theory]
    [InlineData(4, 1, 3)]
    [InlineData(8, 3, 9)]
    [InlineData(32, 2, 5)]
    public void LstmWithoutGradientsMatchesItsEquations(int width, int batch, int time)
    {
        long before = LiveTensors.Settled();
        using (var mixer = new RecurrentMixer(new MixerContext(ModuleContext.Cpu, Width: width, Causal: true), new RecurrentOptions(RecurrentCell.Lstm)))
        using (var scope = NewDisposeScope())
        {
            var weights = mixer.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach());
            var x = randn(batch, time, width);
            var withGradients = mixer.forward(x, null);
            using (no_grad())
            {
                var expected = ComposedLstm(x, weights, "", width);
                var actual = mixer.forward(x, null);
                Assert.False(actual.requires_grad);
                Reference.AssertClose(actual, expected, "LSTM output without gradients");
                Reference.AssertClose(actual, withGradients, "LSTM output without gradients vs with them");
            }
        }
        Assert.Equal(before, LiveTensors.Count);
    }

    [Fact]
    public void LstmMovesWithTheMixer()
    {
        using var mixer = new RecurrentMixer(new MixerContext(ModuleContext.Cpu, Width: 4, Causal: true), new RecurrentOptions(RecurrentCell.Lstm));
        using var scope = NewDisposeScope();
        var x = randn(1, 3, 4, ScalarType.Float64);
        using (no_grad())
        {
            var expected = mixer.forward(x.to(ScalarType.Float32), null).to(ScalarType.Float64);
            mixer.to(ScalarType.Float64);
            foreach (var (name, parameter) in mixer.named_parameters()) Assert.Equal(ScalarType.Float64, parameter.dtype);
            Assert.All(mixer.state_dict(), p => Assert.Equal(ScalarType.Float64, p.Value.dtype));
            var actual = mixer.forward(x, null);
            Assert.Equal(ScalarType.Float64, actual.dtype);
            Reference.AssertClose(actual, expected, "LSTM output after moving to float64", tolerance: 1e-6);
        }
    }

    /// <summary>torch.nn.LSTM's equations, gates [i f g o], from a zero state, composed from autograd's ops.</summary>
    private static Tensor ComposedLstm(Tensor x, Dictionary<string, Tensor> w, string suffix, int hidden)
    {
        long batch = x.shape[0];
        Tensor h = zeros(batch, hidden), c = zeros(batch, hidden);
        var outputs = new List<Tensor>();
        for (long t = 0; t < x.shape[1]; t++)
        {
            var gates = nn.functional.linear(x.select(1, t), w["weight_ih_l0" + suffix], w["bias_ih_l0" + suffix])
                + nn.functional.linear(h, w["weight_hh_l0" + suffix], w["bias_hh_l0" + suffix]);
            var parts = gates.chunk(4, 1);
            c = parts[1].sigmoid() * c + parts[0].sigmoid() * parts[2].tanh();
            h = parts[3].sigmoid() * c.tanh();
            outputs.Add(h);
        }
        return stack(outputs, 1);
    }
}
