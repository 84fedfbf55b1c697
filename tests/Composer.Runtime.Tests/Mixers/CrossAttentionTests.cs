using System;
using Composer.Mixers;
using Composer.Tests.Harness;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using static Composer.Tests.Mixers.AttentionTestData;

namespace Composer.Tests.Mixers;

/// <summary>Cross-attention (softmax and sparsemax) against composer_reference/attention.py, step by step, reordered, leak-free.</summary>
public class CrossAttentionTests
{
    private static CrossAttention Mixer(bool sparsemax = false, double dropout = 0) =>
        new(Context(causal: true, dropout), new CrossAttentionOptions(sparsemax));

    [Theory]
    [InlineData("cross_attention", false)]
    [InlineData("cross_attention_sparsemax", true)]
    public void WithMemoryPaddingMatchesPyTorch(string caseName, bool sparsemax)
    {
        using var mixer = Mixer(sparsemax);
        mixer.eval();
        Reference.Check(File, caseName, mixer, c => mixer.forward(c.Input("query"), c.Input("memory"), c.Input("memory_padding")));
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void StepMatchesForward(bool sparsemax, bool padded)
    {
        using var mixer = Mixer(sparsemax);
        using var query = Sequence(3, 5, seed: 31, scale: 3);
        using var memory = Sequence(3, 7, seed: 32, scale: 3);
        using var padding = Padding(7);
        CrossMixerChecks.StepMatchesForward(mixer, query, memory, padded ? padding : null);
    }

    [Theory]
    [InlineData(new long[] { 2, 0, 1 })]
    [InlineData(new long[] { 1, 1, 2, 2 })]
    public void ReorderContinuesInTheNewOrder(long[] order)
    {
        using var mixer = Mixer();
        using var query = Sequence(3, 5, seed: 33);
        using var memory = Sequence(3, 7, seed: 34);
        using var padding = Padding(7);
        CrossMixerChecks.ReorderContinuesInTheNewOrder(mixer, query, memory, padding, prefix: 2, order);
    }

    [Fact]
    public void ForwardBackwardLeaksNothing()
    {
        using var mixer = Mixer();
        using var query = Sequence(3, 5, seed: 35);
        using var memory = Sequence(3, 7, seed: 36);
        using var padding = Padding(7);
        CrossMixerChecks.ForwardBackwardLeaksNothing(mixer, query, memory, padding);
        CrossMixerChecks.ForwardBackwardLeaksNothing(mixer, query, memory, null);
    }

    [Fact]
    public void StepLoopLeaksNothing()
    {
        using var mixer = Mixer();
        using var query = Sequence(3, 5, seed: 37);
        using var memory = Sequence(3, 7, seed: 38);
        using var padding = Padding(7);
        CrossMixerChecks.StepLoopLeaksNothing(mixer, query, memory, padding);
    }

    [Fact]
    public void AttentionDropoutActsInTrainingOnly()
    {
        using var mixer = Mixer(dropout: 0.5);
        using var query = Sequence(2, 5, seed: 39);
        using var memory = Sequence(2, 7, seed: 40);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        mixer.eval();
        var eval = mixer.forward(query, memory, null);
        Assert.True(mixer.forward(query, memory, null).equal(eval).all().item<bool>());
        mixer.train();
        Assert.False(mixer.forward(query, memory, null).allclose(eval));
    }

    [Fact]
    public void FactsMatchAttribute()
    {
        using var mixer = Mixer();
        MixerChecks.FactsMatchAttribute(mixer);
        Assert.True(mixer.Facts.AlignmentFree);
        Assert.Equal(["q_proj.weight", "q_proj.bias", "kv_proj.weight", "kv_proj.bias", "out_proj.weight", "out_proj.bias"], SelfAttentionTests.Names(mixer));
    }

    [Fact]
    public void ClearErrors()
    {
        using var mixer = Mixer();
        using var scope = NewDisposeScope();
        var query = zeros(2, 5, Width);
        Assert.Contains("memory of shape (batch, time, 8)", Assert.Throws<ArgumentException>(() => mixer.forward(query, zeros(2, 7, 3), null)).Message);
        Assert.Contains("as many queries as memories", Assert.Throws<ArgumentException>(() => mixer.forward(query, zeros(3, 7, Width), null)).Message);
        Assert.Contains("bool mask of shape [2, 7]", Assert.Throws<ArgumentException>(() => mixer.forward(query, zeros(2, 7, Width), zeros([2, 5], ScalarType.Bool))).Message);
    }
}
