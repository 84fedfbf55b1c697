using System;
using Composer.Layers;
using Composer.Mixers;
using Composer.Tensors;
using Composer.Tests.Harness;
using Xunit;

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
        Reference.Check("mixers_conv", name, mixer, c => mixer.Forward(c.Input("query"), c.Input("memory"), c.Input("memory_padding")));
    }

    [Theory]
    [InlineData("elu", true)]
    [InlineData("elu", false)]
    [InlineData("taylor", true)]
    public void StepMatchesForward(string kind, bool padded)
    {
        using var mixer = Create(kind);
        using var scope = new TensorScope();
        CrossMixerChecks.StepMatchesForward(mixer, Torch.Randn(3, 5, Width), Torch.Randn(3, 7, Width), padded ? Padding() : null);
    }

    [Theory]
    [InlineData(new long[] { 2, 0, 1 })]
    [InlineData(new long[] { 1, 1, 2, 2 })]
    public void ReorderContinuesInTheNewOrder(long[] order)
    {
        using var mixer = Create("elu");
        using var scope = new TensorScope();
        CrossMixerChecks.ReorderContinuesInTheNewOrder(mixer, Torch.Randn(3, 5, Width), Torch.Randn(3, 7, Width), Padding(), prefix: 2, order);
    }

    [Theory]
    [InlineData("elu")]
    [InlineData("taylor")]
    public void LeaksNothing(string kind)
    {
        using var mixer = Create(kind);
        using var scope = new TensorScope();
        var query = Torch.Randn(3, 5, Width);
        var memory = Torch.Randn(3, 7, Width);
        var padding = Padding();
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
        using var scope = new TensorScope();
        using var noGrad = Torch.NoGrad();
        using var state = mixer.NewState(Torch.Randn(2, 9, Width), null);
        Assert.Equal([2L, Heads, Width / Heads + 1, Width / Heads], state.S.Shape);
        Assert.Equal([2L, Heads, Width / Heads + 1], state.Z.Shape);
        Assert.Equal(DType.Float32, state.S.DType);
        // A step reads the sums and leaves them as they were.
        var before = state.S.Clone();
        mixer.Step(Torch.Randn(2, 1, Width), state);
        Assert.True(state.S.ValueEquals(before));
    }

    [Fact]
    public void ClearErrors()
    {
        using var mixer = Create("elu");
        using var scope = new TensorScope();
        Assert.Throws<ArgumentException>(() => mixer.Forward(Torch.Randn(2, 5, Width), Torch.Randn(3, 7, Width), null));
        Assert.Throws<ArgumentException>(() => mixer.Forward(Torch.Randn(2, 5, 6), Torch.Randn(2, 7, Width), null));
        Assert.Throws<ArgumentException>(() => mixer.Forward(Torch.Randn(2, 5, Width), Torch.Randn(2, 7, Width), Torch.Zeros([2, 5], DType.Bool)));
        using var state = mixer.NewState(Torch.Randn(2, 7, Width), null);
        Assert.Contains("holds 2 sequences but the step has 3", Assert.Throws<ArgumentException>(() => mixer.Step(Torch.Randn(3, 1, Width), state)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearCrossAttention(new MixerContext(ModuleContext.Cpu, Width, Heads), new((FeatureMap)9)));
    }

    /// <summary>(3, 7) memory padding: sequence 0 unpadded, 1 and 2 padded at the end.</summary>
    private static Tensor Padding() =>
        Torch.From<bool>([false, false, false, false, false, false, false,
                          false, false, false, false, false, true, true,
                          false, false, false, false, false, false, true], [3, 7]);
}
