using System;
using Composer.Mixers;
using Composer.Tests.Harness;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using static Composer.Tests.Mixers.AttentionTestData;

namespace Composer.Tests.Mixers;

/// <summary>
/// Local attention against composer_reference/attention.py (a dense band mask there), through both of
/// Composer's forms: blocked (T longer than a block's span) and dense (T within it).
/// </summary>
public class LocalAttentionTests
{
    private static LocalAttention Mixer(bool causal, int window, double dropout = 0) =>
        new(Context(causal, dropout), new LocalAttentionOptions(window));

    [Theory]
    [InlineData("local_attention_encoder_blocked", false, 2)]
    [InlineData("local_attention_encoder_window1", false, 1)]
    [InlineData("local_attention_encoder_dense", false, 3)]
    [InlineData("local_attention_decoder_blocked", true, 2)]
    [InlineData("local_attention_decoder_dense", true, 4)]
    public void WithPaddingMatchesPyTorch(string caseName, bool causal, int window)
    {
        using var mixer = Mixer(causal, window);
        mixer.eval();
        Reference.Check(File, caseName, mixer, c => mixer.forward(c.Input("x"), c.Input("padding")));
    }

    [Fact]
    public void DecoderWithoutPaddingMatchesPyTorch()
    {
        using var mixer = Mixer(causal: true, window: 3);
        mixer.eval();
        Reference.Check(File, "local_attention_decoder_unpadded", mixer, c => mixer.forward(c.Input("x"), null));
    }

    [Theory]
    [InlineData(2, 11)] // blocked forward, the cache fills and slides
    [InlineData(1, 6)]
    [InlineData(4, 3)]  // shorter than the window: the cache never fills
    public void StepMatchesCausalForward(int window, int length)
    {
        using var mixer = Mixer(causal: true, window);
        using var x = Sequence(3, length, seed: 21);
        MixerChecks.StepMatchesForward(mixer, x);
    }

    [Fact]
    public void CacheKeepsTheLastWindowPositions()
    {
        using var mixer = Mixer(causal: true, window: 3);
        using var x = Sequence(2, 6, seed: 22);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var state = mixer.NewState(2);
        for (long t = 0; t < 6; t++)
        {
            mixer.Step(x.narrow(1, t, 1), state);
            Assert.Equal(t + 1, state.Length);
            // The ring holds the current position and the Window before it, nothing older.
            Assert.Equal(Math.Min(t + 1, 3 + 1), state.Cached);
        }
    }

    [Theory]
    [InlineData(new long[] { 2, 0, 1 })]
    [InlineData(new long[] { 1, 1, 1 })]
    public void ReorderContinuesInTheNewOrder(long[] order)
    {
        using var mixer = Mixer(causal: true, window: 2);
        using var x = Sequence(3, 7, seed: 23);
        MixerChecks.ReorderContinuesInTheNewOrder(mixer, x, prefix: 4, order);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ForwardBackwardLeaksNothing(bool causal)
    {
        using var mixer = Mixer(causal, window: 2);
        using var x = Sequence(3, 9, seed: 24);
        using var padding = Padding(9);
        MixerChecks.ForwardBackwardLeaksNothing(mixer, x, padding);
        MixerChecks.ForwardBackwardLeaksNothing(mixer, x, null);
    }

    [Fact]
    public void StepLoopLeaksNothing()
    {
        using var mixer = Mixer(causal: true, window: 2);
        using var x = Sequence(3, 6, seed: 25);
        MixerChecks.StepLoopLeaksNothing(mixer, x);
    }

    [Fact]
    public void AttentionDropoutActsInTrainingOnly()
    {
        using var mixer = Mixer(causal: false, window: 2, dropout: 0.5);
        using var x = Sequence(2, 9, seed: 26);
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
        using var mixer = Mixer(causal: false, window: 2);
        MixerChecks.FactsMatchAttribute(mixer);
        Assert.Equal(CostClass.Window, mixer.Facts.Cost);
        Assert.False(mixer.Facts.AlignmentFree);
        Assert.Equal(MixerNeeds.Heads | MixerNeeds.Window, mixer.Facts.Needs);
    }

    [Fact]
    public void WindowMustBePositiveAndARefusedMixerLeavesNoParameters()
    {
        long before = LiveTensors.Settled();
        Assert.Contains("at least 1", Assert.Throws<ArgumentOutOfRangeException>(() => Mixer(causal: false, window: 0)).Message);
        Assert.Equal(before, LiveTensors.Count); // not settled: parameters left to the finalizer would still count
    }
}
