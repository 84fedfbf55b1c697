using System;
using System.Linq;
using Composer.Mixers;
using Composer.Tests.Harness;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using static Composer.Tests.Mixers.AttentionTestData;

namespace Composer.Tests.Mixers;

/// <summary>Softmax self-attention against composer_reference/attention.py, step by step, reordered, leak-free.</summary>
public class SelfAttentionTests
{
    private static SelfAttention Mixer(bool causal, double dropout = 0) => new(Context(causal, dropout), new SelfAttentionOptions());

    // ---- against PyTorch ------------------------------------------------------------------------
    [Fact] public void EncoderWithPaddingMatchesPyTorch() => CheckReference("self_attention_encoder", causal: false);
    [Fact] public void DecoderWithPaddingMatchesPyTorch() => CheckReference("self_attention_decoder", causal: true);
    [Fact] public void DecoderWithoutPaddingMatchesPyTorch() => CheckReference("self_attention_unpadded", causal: true, padded: false);

    private static void CheckReference(string caseName, bool causal, bool padded = true)
    {
        using var mixer = Mixer(causal);
        mixer.eval();
        Reference.Check(File, caseName, mixer, c => mixer.forward(c.Input("x"), padded ? c.Input("padding") : null));
    }

    // ---- decoding -------------------------------------------------------------------------------
    [Fact]
    public void StepMatchesCausalForward()
    {
        using var mixer = Mixer(causal: true);
        using var x = Sequence(3, 7, seed: 1);
        MixerChecks.StepMatchesForward(mixer, x);
    }

    [Fact]
    public void StepMatchesCausalForwardForOnePosition()
    {
        using var mixer = Mixer(causal: true);
        using var x = Sequence(2, 1, seed: 2);
        MixerChecks.StepMatchesForward(mixer, x);
    }

    [Theory]
    [InlineData(new long[] { 2, 0, 1 })]
    [InlineData(new long[] { 1, 1, 0 })]
    [InlineData(new long[] { 2, 2, 0, 1, 1 })]
    public void ReorderContinuesInTheNewOrder(long[] order)
    {
        using var mixer = Mixer(causal: true);
        using var x = Sequence(3, 6, seed: 3);
        MixerChecks.ReorderContinuesInTheNewOrder(mixer, x, prefix: 3, order);
    }

    [Fact]
    public void CacheGrowsByOnePositionPerStep()
    {
        using var mixer = Mixer(causal: true);
        using var x = Sequence(2, 4, seed: 4);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var state = mixer.NewState(2);
        for (long t = 0; t < 4; t++)
        {
            mixer.Step(x.narrow(1, t, 1), state);
            Assert.Equal(t + 1, state.Length);
        }
    }

    [Fact]
    public void CacheWrittenInPlaceOutgrowsItsCapacity()
    {
        // A cache made for 2 positions doubles when a third arrives, and the steps still equal the forward.
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var x = Sequence(2, 5, seed: 8);
        using var cache = new KeyValueCache(2, capacity: 2);
        for (long t = 0; t < 5; t++)
        {
            var k = x.narrow(1, t, 1).view(2, 1, 1, Width);
            var (keys, values) = cache.Append(k, k * 2);
            Assert.Equal(new long[] { 2, 1, t + 1, Width }, keys.shape);
            Reference.AssertClose(keys, x.narrow(1, 0, t + 1).view(2, 1, t + 1, Width), $"keys after {t + 1} appends");
            Reference.AssertClose(values, x.narrow(1, 0, t + 1).view(2, 1, t + 1, Width) * 2, $"values after {t + 1} appends");
        }
    }

    // ---- lifetime -------------------------------------------------------------------------------
    [Fact]
    public void ForwardBackwardLeaksNothing()
    {
        using var mixer = Mixer(causal: true);
        using var x = Sequence(3, 6, seed: 5);
        using var padding = Padding(6);
        MixerChecks.ForwardBackwardLeaksNothing(mixer, x, padding);
        MixerChecks.ForwardBackwardLeaksNothing(mixer, x, null);
    }

    [Fact]
    public void StepLoopLeaksNothing()
    {
        using var mixer = Mixer(causal: true);
        using var x = Sequence(3, 6, seed: 6);
        MixerChecks.StepLoopLeaksNothing(mixer, x);
    }

    // ---- dropout, facts, errors -----------------------------------------------------------------
    [Fact]
    public void AttentionDropoutActsInTrainingOnly()
    {
        using var mixer = Mixer(causal: false, dropout: 0.5);
        using var x = Sequence(2, 6, seed: 7);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        mixer.eval();
        var eval = mixer.forward(x, null);
        Assert.True(mixer.forward(x, null).equal(eval).all().item<bool>(), "eval mode must be deterministic");
        mixer.train();
        Assert.False(mixer.forward(x, null).allclose(eval), "training mode with attention dropout 0.5 left the output unchanged");
    }

    [Fact]
    public void FactsMatchAttribute()
    {
        using var mixer = Mixer(causal: false);
        MixerChecks.FactsMatchAttribute(mixer);
        Assert.Equal(CostClass.Quadratic, mixer.Facts.Cost);
        Assert.True(mixer.Facts.CausalCapable && mixer.Facts.AlignmentFree);
    }

    [Fact]
    public void ParameterNamesAreTheReferencesNames()
    {
        using var mixer = Mixer(causal: false);
        Assert.Equal(["qkv_proj.weight", "qkv_proj.bias", "out_proj.weight", "out_proj.bias"], Names(mixer));
    }

    internal static string[] Names(nn.Module module) => module.named_parameters().Select(p => p.name).ToArray();

    [Fact]
    public void ClearErrors()
    {
        Assert.Contains("divides the width", Assert.Throws<ArgumentException>(() => new SelfAttention(Context(false) with { Heads = 3 }, new())).Message);
        using var encoder = Mixer(causal: false);
        using var scope = NewDisposeScope();
        var x = zeros(2, 5, Width);
        Assert.Contains("(batch, time, 8)", Assert.Throws<ArgumentException>(() => encoder.forward(zeros(2, 5, 4), null)).Message);
        Assert.Contains("bool mask of shape [2, 5]", Assert.Throws<ArgumentException>(() => encoder.forward(x, zeros(2, 5))).Message);
        Assert.Contains("bool mask of shape [2, 5]", Assert.Throws<ArgumentException>(() => encoder.forward(x, zeros([2, 4], ScalarType.Bool))).Message);
        Assert.Contains("cannot decode", Assert.Throws<InvalidOperationException>(() => encoder.Step(x.narrow(1, 0, 1), encoder.NewState(2))).Message);
        using var decoder = Mixer(causal: true);
        using var state = decoder.NewState(2);
        Assert.Contains("(B, 1, 8)", Assert.Throws<ArgumentException>(() => decoder.Step(x, state)).Message);
        decoder.Step(x.narrow(1, 0, 1), state);
        Assert.Contains("holds 2 sequences but the step has 3", Assert.Throws<ArgumentException>(() => decoder.Step(zeros(3, 1, Width), state)).Message);
    }
}
