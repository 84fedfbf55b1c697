using System;
using Composer.Layers;
using Composer.Mixers;
using Composer.Tests.Harness;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Tests.Mixers;

/// <summary>Linear and Taylor cross-attention against composer_reference/linear.py, step by step, reordered, leak-free.</summary>
public sealed class KernelCrossAttentionTests
{
    private const int Width = 8, Heads = 2;

    private static KernelCrossAttention Create(string kind)
    {
        var context = new MixerContext(ModuleContext.Cpu, Width, Heads, Causal: true);
        return kind switch
        {
            "elu" => new LinearCrossAttention(context, new LinearCrossAttentionOptions()),
            "relu" => new LinearCrossAttention(context, new LinearCrossAttentionOptions(FeatureMap.Relu)),
            _ => new TaylorCrossAttention(context, new TaylorCrossAttentionOptions()),
        };
    }

    [Theory]
    [InlineData("linear_cross_elu", "elu")]
    [InlineData("linear_cross_relu", "relu")]
    [InlineData("taylor_cross", "taylor")]
    public void WithMemoryPaddingMatchesPyTorch(string name, string kind)
    {
        using var mixer = Create(kind);
        Reference.Check("mixers_conv", name, mixer, c => mixer.forward(c.Input("query"), c.Input("memory"), c.Input("memory_padding")));
    }

    [Theory]
    [InlineData("elu", true)]
    [InlineData("elu", false)]
    [InlineData("taylor", true)]
    public void StepMatchesForward(string kind, bool padded)
    {
        using var mixer = Create(kind);
        using var scope = NewDisposeScope();
        CrossMixerChecks.StepMatchesForward(mixer, randn(3, 5, Width), randn(3, 7, Width), padded ? Padding() : null);
    }

    [Theory]
    [InlineData(new long[] { 2, 0, 1 })]
    [InlineData(new long[] { 1, 1, 2, 2 })]
    public void ReorderContinuesInTheNewOrder(long[] order)
    {
        using var mixer = Create("elu");
        using var scope = NewDisposeScope();
        CrossMixerChecks.ReorderContinuesInTheNewOrder(mixer, randn(3, 5, Width), randn(3, 7, Width), Padding(), prefix: 2, order);
    }

    [Theory]
    [InlineData("elu")]
    [InlineData("taylor")]
    public void LeaksNothing(string kind)
    {
        using var mixer = Create(kind);
        using var query = randn(3, 5, Width);
        using var memory = randn(3, 7, Width);
        using var padding = Padding();
        CrossMixerChecks.ForwardBackwardLeaksNothing(mixer, query, memory, padding);
        CrossMixerChecks.ForwardBackwardLeaksNothing(mixer, query, memory, null);
        CrossMixerChecks.StepLoopLeaksNothing(mixer, query, memory, padding);
    }

    [Theory]
    [InlineData("elu")]
    [InlineData("taylor")]
    public void FactsMatchAttribute(string kind)
    {
        using var mixer = Create(kind);
        MixerChecks.FactsMatchAttribute(mixer);
        Assert.True(mixer.Facts.AlignmentFree);
        Assert.Equal(CostClass.Linear, mixer.Facts.Cost);
        Assert.Equal(["q_proj.weight", "q_proj.bias", "kv_proj.weight", "kv_proj.bias", "out_proj.weight", "out_proj.bias"], SelfAttentionTests.Names(mixer));
    }

    [Fact]
    public void StateIsTheMemorysFloat32Sums()
    {
        using var mixer = Create("taylor");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var state = mixer.NewState(randn(2, 9, Width), null);
        Assert.Equal([2L, Heads, Width / Heads + 1, Width / Heads], state.S.shape);
        Assert.Equal([2L, Heads, Width / Heads + 1], state.Z.shape);
        Assert.Equal(ScalarType.Float32, state.S.dtype);
        // A step reads the sums and leaves them as they were.
        var before = state.S.clone();
        mixer.Step(randn(2, 1, Width), state);
        Assert.True(state.S.equal(before).all().item<bool>());
    }

    [Fact]
    public void ClearErrors()
    {
        using var mixer = Create("elu");
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => mixer.forward(randn(2, 5, Width), randn(3, 7, Width), null));
        Assert.Throws<ArgumentException>(() => mixer.forward(randn(2, 5, 6), randn(2, 7, Width), null));
        Assert.Throws<ArgumentException>(() => mixer.forward(randn(2, 5, Width), randn(2, 7, Width), zeros([2, 5], ScalarType.Bool)));
        using var state = mixer.NewState(randn(2, 7, Width), null);
        Assert.Contains("holds 2 sequences but the step has 3", Assert.Throws<ArgumentException>(() => mixer.Step(randn(3, 1, Width), state)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearCrossAttention(new MixerContext(ModuleContext.Cpu, Width, Heads), new((FeatureMap)9)));
    }

    /// <summary>(3, 7) memory padding: sequence 0 unpadded, 1 and 2 padded at the end.</summary>
    private static Tensor Padding() =>
        tensor(new bool[] { false, false, false, false, false, false, false,
                          false, false, false, false, false, true, true,
                          false, false, false, false, false, false, true }, [3, 7]);
}
