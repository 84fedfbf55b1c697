using System;
using System.Linq;
using Composer.Layers;
using Composer.Mixers;
using Composer.Tests.Harness;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Tests.Mixers;

public sealed class LinearAttentionTests
{
    private const int Width = 8, Heads = 2;

    private static LinearAttention Create(bool causal, FeatureMap featureMap = FeatureMap.Elu) =>
        new(new MixerContext(ModuleContext.Cpu, Width, Heads, Causal: causal), new LinearAttentionOptions(featureMap));

    [Theory]
    [InlineData("linear_elu_encoder", false, FeatureMap.Elu)]
    [InlineData("linear_elu_decoder", true, FeatureMap.Elu)]
    [InlineData("linear_relu_encoder", false, FeatureMap.Relu)]
    [InlineData("linear_relu_decoder", true, FeatureMap.Relu)]
    [InlineData("linear_elu_encoder_long", false, FeatureMap.Elu)]
    [InlineData("linear_elu_decoder_long", true, FeatureMap.Elu)]
    public void MatchesPyTorch(string name, bool causal, FeatureMap featureMap)
    {
        using var mixer = Create(causal, featureMap);
        Reference.Check("mixers_conv", name, mixer, c => mixer.forward(c.Input("x"), c.Input("padding")));
    }

    [Theory]
    [InlineData(FeatureMap.Elu, 9)]
    [InlineData(FeatureMap.Relu, 9)]
    [InlineData(FeatureMap.Elu, 1)]
    [InlineData(FeatureMap.Elu, 140)]
    public void StepMatchesCausalForward(FeatureMap featureMap, int time)
    {
        using var mixer = Create(causal: true, featureMap);
        using var scope = NewDisposeScope();
        MixerChecks.StepMatchesForward(mixer, randn(3, time, Width));
    }

    [Theory]
    [InlineData(new long[] { 2, 0, 1 })]
    [InlineData(new long[] { 1, 1, 0, 2 })]
    public void ReorderContinuesInTheNewOrder(long[] order)
    {
        using var mixer = Create(causal: true);
        using var scope = NewDisposeScope();
        MixerChecks.ReorderContinuesInTheNewOrder(mixer, randn(3, 8, Width), prefix: 3, order);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ForwardBackwardLeaksNothing(bool causal)
    {
        using var mixer = Create(causal);
        using var x = randn(2, 70, Width);
        // Sequence 1 padded at its last ten positions.
        using var padding = tensor(Enumerable.Range(0, 140).Select(i => i >= 130).ToArray(), [2, 70]);
        MixerChecks.ForwardBackwardLeaksNothing(mixer, x, padding);
    }

    [Fact]
    public void StepLoopLeaksNothing()
    {
        using var mixer = Create(causal: true);
        using var x = randn(2, 7, Width);
        MixerChecks.StepLoopLeaksNothing(mixer, x);
    }

    [Fact]
    public void FactsMatchAttribute()
    {
        using var mixer = Create(causal: true);
        MixerChecks.FactsMatchAttribute(mixer);
        Assert.True(mixer.Facts.AlignmentFree);
        Assert.Equal(CostClass.Linear, mixer.Facts.Cost);
    }

    [Fact]
    public void StateIsFloat32SumsOfConstantSize()
    {
        using var mixer = Create(causal: true);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var state = mixer.NewState(2);
        Assert.Equal([2L, Heads, Width / Heads, Width / Heads], state.S.shape);
        Assert.Equal([2L, Heads, Width / Heads], state.Z.shape);
        for (int t = 0; t < 5; t++) mixer.Step(randn(2, 1, Width), state);
        Assert.Equal(ScalarType.Float32, state.S.dtype);
        Assert.Equal(ScalarType.Float32, state.Z.dtype);
        Assert.Equal([2L, Heads, Width / Heads], state.Z.shape);
    }

    [Fact]
    public void PaddedKeysAreIgnored()
    {
        // Whatever stands at padded positions, the unpadded positions' outputs stay the same.
        using var mixer = Create(causal: false);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = randn(1, 6, Width);
        var padding = tensor(new bool[] { false, false, false, false, true, true }, [1, 6]);
        var changed = x.clone();
        changed.narrow(1, 4, 2).copy_(randn(1, 2, Width) * 10.0);
        Reference.AssertClose(mixer.forward(changed, padding).narrow(1, 0, 4), mixer.forward(x, padding).narrow(1, 0, 4), "outputs with different padded inputs");
    }

    [Fact]
    public void EncoderCannotDecode()
    {
        using var mixer = Create(causal: false);
        Assert.Throws<InvalidOperationException>(() => mixer.NewState(1));
    }

    [Fact]
    public void BadArgumentsAreReported()
    {
        Assert.Throws<ArgumentException>(() => new LinearAttention(new MixerContext(ModuleContext.Cpu, 8, Heads: 3), new()));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearAttention(new MixerContext(ModuleContext.Cpu, 8, Heads: 2), new(Epsilon: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearAttention(new MixerContext(ModuleContext.Cpu, 8, Heads: 2), new((FeatureMap)42)));
        using var mixer = Create(causal: true);
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => mixer.forward(randn(2, 5, 6), null));
        using var state = mixer.NewState(2);
        Assert.Throws<ArgumentException>(() => mixer.Step(randn(3, 1, 8), state));
    }
}
