using System;
using Composer.Layers;
using Composer.Mixers;
using Composer.Tests.Harness;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Tests.Mixers;

/// <summary>
/// Predictive local attention (local-p) and multi-dimensional attention against composer_reference/review.py
/// (dense masks there, gathered windows here), with Step, Reorder and leaks.
/// </summary>
public class PredictiveLocalAttentionTests
{
    private const string File = "mixers_review";
    private const int Width = 8, Heads = 2;

    private static PredictiveLocalAttention LocalP(bool causal, int window, double dropout = 0) =>
        new(new MixerContext(ModuleContext.Cpu, Width, Heads, Causal: causal, AttentionDropout: dropout), new PredictiveLocalAttentionOptions(window));

    private static MultiDimensionalAttention MultiDimensional(bool causal) =>
        new(new MixerContext(ModuleContext.Cpu, Width, Causal: causal), new MultiDimensionalAttentionOptions());

    // Both ways the forward pass computes (dense scores, used at these lengths, and gathered windows,
    // used for long sequences) are held to the same reference.
    [Theory]
    [InlineData("local_p_encoder_window1", false, 1, false)]
    [InlineData("local_p_encoder_window2", false, 2, false)]
    [InlineData("local_p_encoder_wide", false, 8, false)]
    [InlineData("local_p_decoder_window2", true, 2, false)]
    [InlineData("local_p_encoder_window1", false, 1, true)]
    [InlineData("local_p_encoder_window2", false, 2, true)]
    [InlineData("local_p_encoder_wide", false, 8, true)]
    [InlineData("local_p_decoder_window2", true, 2, true)]
    public void LocalPWithPaddingMatchesPyTorch(string caseName, bool causal, int window, bool gathered)
    {
        using var mixer = LocalP(causal, window);
        mixer.GatheredWindows = gathered;
        mixer.eval();
        Reference.Check(File, caseName, mixer, c => mixer.forward(c.Input("x"), c.Input("padding")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LocalPDecoderWithoutPaddingMatchesPyTorch(bool gathered)
    {
        using var mixer = LocalP(causal: true, window: 3);
        mixer.GatheredWindows = gathered;
        mixer.eval();
        Reference.Check(File, "local_p_decoder_unpadded", mixer, c => mixer.forward(c.Input("x"), null));
    }

    [Theory]
    [InlineData(1, 8)]
    [InlineData(2, 11)]  // the ring of 2·Window + 1 fills and wraps
    [InlineData(4, 5)]   // never fills
    public void LocalPStepMatchesCausalForward(int window, int length)
    {
        using var mixer = LocalP(causal: true, window);
        using var x = AttentionTestData.Sequence(3, length, seed: 51, scale: 2);
        MixerChecks.StepMatchesForward(mixer, x);
    }

    [Fact]
    public void LocalPDecodingKeepsTwiceTheWindow()
    {
        using var mixer = LocalP(causal: true, window: 2);
        using var x = AttentionTestData.Sequence(2, 9, seed: 52);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var state = mixer.NewState(2);
        for (long t = 0; t < 9; t++)
        {
            mixer.Step(x.narrow(1, t, 1), state);
            Assert.Equal(Math.Min(t + 1, 2 * 2 + 1), state.Cached);
        }
    }

    [Fact]
    public void LocalPCentreStaysInTheWindowBeforeTheQuery()
    {
        // Whatever the input, a decoder's output at t must not depend on positions before t − 2·Window.
        using var mixer = LocalP(causal: true, window: 2);
        mixer.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = AttentionTestData.Sequence(2, 10, seed: 53, scale: 3);
        var changed = x.clone();
        changed.narrow(1, 0, 3).copy_(randn(2, 3, Width) * 10);
        var a = mixer.forward(x, null).narrow(1, 7, 3);
        var b = mixer.forward(changed, null).narrow(1, 7, 3);
        Assert.True(a.equal(b).all().item<bool>(), "positions 7–9 see only 3 … 9");
    }

    [Theory]
    [InlineData(new long[] { 2, 0, 1 })]
    [InlineData(new long[] { 0, 0, 2 })]
    public void ReorderContinuesInTheNewOrder(long[] order)
    {
        using var localP = LocalP(causal: true, window: 2);
        using var multi = MultiDimensional(causal: true);
        using var x = AttentionTestData.Sequence(3, 9, seed: 54);
        MixerChecks.ReorderContinuesInTheNewOrder(localP, x, prefix: 6, order);
        MixerChecks.ReorderContinuesInTheNewOrder(multi, x, prefix: 4, order);
    }

    [Theory]
    [InlineData("multi_dimensional_encoder", false)]
    [InlineData("multi_dimensional_decoder", true)]
    public void MultiDimensionalWithPaddingMatchesPyTorch(string caseName, bool causal)
    {
        using var mixer = MultiDimensional(causal);
        mixer.eval();
        Reference.Check(File, caseName, mixer, c => mixer.forward(c.Input("x"), c.Input("padding")));
    }

    [Fact]
    public void MultiDimensionalStepMatchesCausalForward()
    {
        using var mixer = MultiDimensional(causal: true);
        using var x = AttentionTestData.Sequence(3, 7, seed: 55, scale: 2);
        MixerChecks.StepMatchesForward(mixer, x);
    }

    [Fact]
    public void ForwardBackwardAndStepLoopLeakNothing()
    {
        using var encoder = LocalP(causal: false, window: 2);
        using var decoder = LocalP(causal: true, window: 1);
        using var multi = MultiDimensional(causal: true);
        using var x = AttentionTestData.Sequence(3, 9, seed: 56);
        using var padding = AttentionTestData.Padding(9);
        foreach (IMixer mixer in new IMixer[] { encoder, decoder, multi })
        {
            MixerChecks.ForwardBackwardLeaksNothing(mixer, x, padding);
            MixerChecks.ForwardBackwardLeaksNothing(mixer, x, null);
        }
        MixerChecks.StepLoopLeaksNothing(decoder, x);
        MixerChecks.StepLoopLeaksNothing(multi, x);
    }

    [Fact]
    public void AttentionDropoutActsInTrainingOnly()
    {
        using var mixer = LocalP(causal: false, window: 2, dropout: 0.5);
        using var x = AttentionTestData.Sequence(2, 9, seed: 57);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        mixer.eval();
        var eval = mixer.forward(x, null);
        Assert.True(mixer.forward(x, null).equal(eval).all().item<bool>());
        mixer.train();
        Assert.False(mixer.forward(x, null).allclose(eval));
    }

    [Fact]
    public void FactsMatchAttribute()
    {
        using var localP = LocalP(causal: false, window: 1);
        using var multi = MultiDimensional(causal: false);
        MixerChecks.FactsMatchAttribute(localP);
        MixerChecks.FactsMatchAttribute(multi);
        Assert.Equal(CostClass.Window, localP.Facts.Cost);
        Assert.Equal(MixerNeeds.None, multi.Facts.Needs);
    }

    [Fact]
    public void EncodersCannotStepAndARefusedWindowLeavesNoParameters()
    {
        using (var encoder = LocalP(causal: false, window: 2))
            Assert.Contains("causal", Assert.Throws<InvalidOperationException>(() => encoder.NewState(1)).Message);
        long before = LiveTensors.Settled();
        Assert.Contains("at least 1", Assert.Throws<ArgumentOutOfRangeException>(() => LocalP(causal: true, window: 0)).Message);
        Assert.Equal(before, LiveTensors.Count);
    }
}
