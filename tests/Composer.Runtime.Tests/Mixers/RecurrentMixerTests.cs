using System;
using System.Linq;
using Composer.Layers;
using Composer.Mixers;
using Composer.Tests.Harness;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Tests.Mixers;

/// <summary>RecurrentMixer (LSTM, GRU, bidirectional) against tests/reference/composer_reference/recurrent.py.</summary>
public class RecurrentMixerTests
{
    private const string File = "mixers_position";

    private static RecurrentMixer Create(RecurrentCell cell, bool bidirectional = false, bool causal = false, int width = 8) =>
        new(new MixerContext(ModuleContext.Cpu, Width: width, Causal: causal), new RecurrentOptions(cell, bidirectional));

    private static RecurrentCell CellOf(string name) => name == "lstm" ? RecurrentCell.Lstm : RecurrentCell.Gru;

    [Theory]
    [InlineData("lstm")]
    [InlineData("gru")]
    public void DecoderMatchesPyTorch(string cell)
    {
        using var mixer = Create(CellOf(cell), causal: true);
        Reference.Check(File, cell + "_decoder", mixer, c => mixer.forward(c.Input("x"), c.Input("padding")));
        Reference.Check(File, cell + "_decoder_unpadded", mixer, c => mixer.forward(c.Input("x"), null));
    }

    [Theory]
    [InlineData("lstm")]
    [InlineData("gru")]
    public void BidirectionalMatchesPyTorch(string cell)
    {
        using var mixer = Create(CellOf(cell), bidirectional: true);
        Reference.Check(File, cell + "_bidirectional", mixer, c => mixer.forward(c.Input("x"), c.Input("padding")));
        Reference.Check(File, cell + "_bidirectional_unpadded", mixer, c => mixer.forward(c.Input("x"), null));
    }

    [Theory]
    [InlineData(RecurrentCell.Lstm, 1)]
    [InlineData(RecurrentCell.Lstm, 9)]
    [InlineData(RecurrentCell.Gru, 1)]
    [InlineData(RecurrentCell.Gru, 9)]
    public void StepMatchesCausalForward(RecurrentCell cell, int length)
    {
        using var mixer = Create(cell, causal: true);
        using var scope = NewDisposeScope();
        MixerChecks.StepMatchesForward(mixer, randn(3, length, 8));
    }

    [Theory]
    [InlineData(RecurrentCell.Lstm, new long[] { 2, 0, 1 })]
    [InlineData(RecurrentCell.Lstm, new long[] { 1, 1, 1, 0 })]
    [InlineData(RecurrentCell.Gru, new long[] { 1, 2, 0 })]
    [InlineData(RecurrentCell.Gru, new long[] { 2, 2 })]
    public void ReorderContinuesInTheNewOrder(RecurrentCell cell, long[] order)
    {
        using var mixer = Create(cell, causal: true);
        using var scope = NewDisposeScope();
        MixerChecks.ReorderContinuesInTheNewOrder(mixer, randn(3, 6, 8), prefix: 2, order);
    }

    [Theory]
    [InlineData(RecurrentCell.Lstm, false)]
    [InlineData(RecurrentCell.Lstm, true)]
    [InlineData(RecurrentCell.Gru, false)]
    [InlineData(RecurrentCell.Gru, true)]
    public void PaddingAnywhereDoesNotLeak(RecurrentCell cell, bool bidirectional)
    {
        // Padding on the right, on the left and in the middle: each row's real positions must give what
        // the row's real tokens give alone, whatever the padded positions hold.
        using var mixer = Create(cell, bidirectional);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = randn(3, 6, 8);
        var padding = tensor(new[]
            {
                false, false, false, false, true, true,
                true, true, false, false, false, false,
                false, false, true, true, false, false,
            }, [3, 6]);
        var noisy = where(padding.unsqueeze(-1), randn(3, 6, 8) * 100.0, x);
        var output = mixer.forward(noisy, padding);
        long[][] positions = [[0, 1, 2, 3], [2, 3, 4, 5], [0, 1, 4, 5]];
        for (int b = 0; b < 3; b++)
        {
            var index = tensor(positions[b]);
            var alone = mixer.forward(x.narrow(0, b, 1).index_select(1, index), null);
            Reference.AssertClose(output.narrow(0, b, 1).index_select(1, index), alone, $"row {b} at its real positions");
        }
        Reference.AssertClose(output.masked_select(padding.unsqueeze(-1)), zeros(6 * 8), "padded positions");
    }

    [Theory]
    [InlineData(RecurrentCell.Lstm)]
    [InlineData(RecurrentCell.Gru)]
    public void LeaksNothing(RecurrentCell cell)
    {
        using var causal = Create(cell, causal: true);
        using var bidirectional = Create(cell, bidirectional: true);
        using var x = randn(2, 5, 8);
        using var padding = tensor(new bool[] { false, false, false, false, false, true, true, false, false, false }, [2, 5]);
        MixerChecks.ForwardBackwardLeaksNothing(causal, x, padding);
        MixerChecks.ForwardBackwardLeaksNothing(causal, x, null);
        MixerChecks.ForwardBackwardLeaksNothing(bidirectional, x, padding);
        MixerChecks.ForwardBackwardLeaksNothing(bidirectional, x, null);
        MixerChecks.StepLoopLeaksNothing(causal, x);
    }

    [Fact]
    public void ParameterNamesAreTorchNns()
    {
        using var lstm = Create(RecurrentCell.Lstm, bidirectional: true);
        using var gru = Create(RecurrentCell.Gru);
        Assert.Equal(
            ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse"],
            lstm.named_parameters().Select(p => p.name));
        Assert.Equal([16L, 8], lstm.named_parameters().First().parameter.shape);   // 4 gates × C/2, C
        Assert.Equal([24L, 8], gru.named_parameters().First().parameter.shape);    // 3 gates × C, C
        Assert.Equal(4, lstm.HiddenSize);
    }

    [Fact]
    public void BidirectionalIsForEncodersOnly()
    {
        var error = Assert.Throws<ArgumentException>(() => Create(RecurrentCell.Lstm, bidirectional: true, causal: true));
        Assert.Contains("cannot be causal", error.Message);
        Assert.Throws<ArgumentException>(() => Create(RecurrentCell.Gru, bidirectional: true, width: 7));
        using var encoder = Create(RecurrentCell.Gru, bidirectional: true);
        Assert.Throws<InvalidOperationException>(() => encoder.NewState(1));
    }

    [Fact]
    public void FactsMatchAttribute()
    {
        using var mixer = Create(RecurrentCell.Lstm, causal: true);
        MixerChecks.FactsMatchAttribute(mixer);
        Assert.Equal(CostClass.Linear, mixer.Facts.Cost);
    }

    [Fact]
    public void WeightListLengthIsChecked()
    {
        // The fused GRU sequence (RecurrentSequence, which replaced the shim's torch.gru binding) refuses a
        // weight list of the wrong length or shapes with a message that names what it takes.
        using var scope = NewDisposeScope();
        var x = randn(1, 2, 3);
        var h = zeros(1, 4);
        var error = Assert.Throws<ArgumentException>(() => RecurrentSequence.Run(x, h, [randn(12, 3)]));
        Assert.Contains("takes 4 weights", error.Message);
        error = Assert.Throws<ArgumentException>(() => RecurrentSequence.Run(x, h, [randn(16, 3), randn(16, 4), randn(16), randn(16)]));
        Assert.Contains("weight_ih (3·H, 3)", error.Message);
    }
}
