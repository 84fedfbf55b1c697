using System;
using System.Linq;
using Composer.Layers;
using Composer.Mixers;
using Composer.Tests.Harness;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Tests.Mixers;

public sealed class TaylorAttentionTests
{
    private const int Width = 8, Heads = 2;

    private static TaylorAttention Create(bool causal) =>
        new(new MixerContext(ModuleContext.Cpu, Width, Heads, Causal: causal), new TaylorAttentionOptions());

    [Theory]
    [InlineData("taylor_encoder", false)]
    [InlineData("taylor_decoder", true)]
    [InlineData("taylor_decoder_long", true)]
    public void MatchesPyTorch(string name, bool causal)
    {
        using var mixer = Create(causal);
        Reference.Check("mixers_conv", name, mixer, c => mixer.forward(c.Input("x"), c.Input("padding")));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(9)]
    [InlineData(130)]
    public void StepMatchesCausalForward(int time)
    {
        using var mixer = Create(causal: true);
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
        using var x = randn(2, 9, Width);
        // Sequence 1 padded at its last two positions.
        using var padding = tensor(Enumerable.Range(0, 18).Select(i => i >= 16).ToArray(), [2, 9]);
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
    public void StateHasOneFeatureMoreThanTheHeadWidth()
    {
        // φ(x) = [1; x/‖x‖] has F = D + 1 features.
        using var mixer = Create(causal: true);
        using var state = mixer.NewState(2);
        Assert.Equal([2L, Heads, Width / Heads + 1, Width / Heads], state.S.shape);
        Assert.Equal([2L, Heads, Width / Heads + 1], state.Z.shape);
    }

    [Fact]
    public void WeightsAreOnePlusCosine()
    {
        // One head, identity projections: the output is Σ_s (1 + cos(x_t, x_s)) x_s / Σ_s (1 + cos(x_t, x_s)).
        using var mixer = new TaylorAttention(new MixerContext(ModuleContext.Cpu, 2, Heads: 1), new());
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var eye = tensor(new float[] { 1, 0, 0, 1 }, [2, 2]);
        var qkv = cat([eye, eye, eye], 0);
        var weights = new System.Collections.Generic.Dictionary<string, Tensor>
        {
            ["qkv_proj.weight"] = qkv, ["qkv_proj.bias"] = zeros(6),
            ["out_proj.weight"] = eye, ["out_proj.bias"] = zeros(2),
        };
        StateDicts.Load(mixer, weights);
        var x = tensor(new float[] { 1, 0, 0, 2, -3, 0 }, [1, 3, 2]);
        // Query (1, 0): cosines 1, 0, −1 → weights 2, 1, 0 → (2·(1,0) + 1·(0,2)) / 3.
        var first = mixer.forward(x, null).select(1, 0).data<float>().ToArray();
        Assert.Equal(2f / 3, first[0], 5);
        Assert.Equal(2f / 3, first[1], 5);
    }
}
