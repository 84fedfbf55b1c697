using System;
using Composer.Layers;
using Composer.Mixers;
using Composer.Tensors;
using Composer.Tests.Harness;
using Xunit;

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
        Reference.Check("mixers_conv", name, mixer, c => mixer.Forward(c.Input("x"), c.Input("padding")));
    }

    [Theory]
    [InlineData(FeatureMap.Elu, 9)]
    [InlineData(FeatureMap.Relu, 9)]
    [InlineData(FeatureMap.Elu, 1)]
    [InlineData(FeatureMap.Elu, 140)]
    public void StepMatchesCausalForward(FeatureMap featureMap, int time)
    {
        using var mixer = Create(causal: true, featureMap);
        using var scope = new TensorScope();
        MixerChecks.StepMatchesForward(mixer, Torch.Randn(3, time, Width));
    }

    [Theory]
    [InlineData(new long[] { 2, 0, 1 })]
    [InlineData(new long[] { 1, 1, 0, 2 })]
    public void ReorderContinuesInTheNewOrder(long[] order)
    {
        using var mixer = Create(causal: true);
        using var scope = new TensorScope();
        MixerChecks.ReorderContinuesInTheNewOrder(mixer, Torch.Randn(3, 8, Width), prefix: 3, order);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ForwardBackwardLeaksNothing(bool causal)
    {
        using var mixer = Create(causal);
        using var scope = new TensorScope();
        var padding = Torch.Zeros([2, 70], DType.Bool);
        padding.Select(0, 1).Narrow(0, 60, 10).FillInPlace(true);
        MixerChecks.ForwardBackwardLeaksNothing(mixer, Torch.Randn(2, 70, Width), padding);
    }

    [Fact]
    public void StepLoopLeaksNothing()
    {
        using var mixer = Create(causal: true);
        using var scope = new TensorScope();
        MixerChecks.StepLoopLeaksNothing(mixer, Torch.Randn(2, 7, Width));
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
        using var scope = new TensorScope();
        using var noGrad = Torch.NoGrad();
        using var state = mixer.NewState(2);
        Assert.Equal([2L, Heads, Width / Heads, Width / Heads], state.S.Shape);
        Assert.Equal([2L, Heads, Width / Heads], state.Z.Shape);
        for (int t = 0; t < 5; t++) mixer.Step(Torch.Randn(2, 1, Width), state);
        Assert.Equal(DType.Float32, state.S.DType);
        Assert.Equal(DType.Float32, state.Z.DType);
        Assert.Equal([2L, Heads, Width / Heads], state.Z.Shape);
    }

    [Fact]
    public void PaddedKeysAreIgnored()
    {
        // Whatever stands at padded positions, the unpadded positions' outputs stay the same.
        using var mixer = Create(causal: false);
        using var scope = new TensorScope();
        using var noGrad = Torch.NoGrad();
        var x = Torch.Randn(1, 6, Width);
        var padding = Torch.From<bool>([false, false, false, false, true, true], [1, 6]);
        var changed = x.Clone();
        changed.Narrow(1, 4, 2).CopyInPlace(Torch.Randn(1, 2, Width) * 10.0);
        Reference.AssertClose(mixer.Forward(changed, padding).Narrow(1, 0, 4), mixer.Forward(x, padding).Narrow(1, 0, 4), "outputs with different padded inputs");
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
        using var scope = new TensorScope();
        Assert.Throws<ArgumentException>(() => mixer.Forward(Torch.Randn(2, 5, 6), null));
        using var state = mixer.NewState(2);
        Assert.Throws<ArgumentException>(() => mixer.Step(Torch.Randn(3, 1, 8), state));
    }
}
