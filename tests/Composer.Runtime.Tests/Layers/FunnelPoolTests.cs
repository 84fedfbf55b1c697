using System;
using Composer.Layers;
using Composer.Mixers;
using Composer.Tests.Harness;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Tests.Layers;

/// <summary>
/// Funnel pooling (MIXERS.md §10) and attention from pooled queries against tests/reference/structure_reference.py:
/// values and their gradients, the min-pooled padding, odd lengths (the trailing position dropped) and the
/// first position kept apart.
/// </summary>
public sealed class FunnelPoolTests
{
    private const string File = "structure";

    [Theory]
    [InlineData("pool_mean", false, false)]
    [InlineData("pool_max", true, false)]
    [InlineData("pool_mean_first", false, true)]
    [InlineData("pool_max_first", true, true)]
    public void PoolsValuesAndPadding(string name, bool max, bool keepFirst) =>
        Reference.Check(File, name, c =>
        {
            var x = c.Input("x");
            var pooled = max ? FunnelPool.Max(x, keepFirst) : FunnelPool.Mean(x, keepFirst);
            Assert.Equal(FunnelPool.Length(x.shape[1], keepFirst), pooled.shape[1]);
            return new[] { pooled, FunnelPool.Padding(c.Input("padding"), keepFirst)! };
        });

    [Fact]
    public void NoPaddingPoolsToNoPadding() => Assert.Null(FunnelPool.Padding(null, keepFirst: true));

    [Fact]
    public void ASequenceTooShortToPoolIsRefusedWithItsLength()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => FunnelPool.Mean(zeros(2, 1, 4), keepFirst: false));
        Assert.Contains("at least 2 positions, got 1", error.Message);
        // Kept apart, the first position alone is still a sequence.
        Assert.Equal([2, 1, 4], FunnelPool.Max(zeros(2, 2, 4), keepFirst: true).shape);
    }

    [Fact]
    public void SoftmaxAttentionFromPooledQueries()
    {
        using var mixer = new SelfAttention(Context(), new SelfAttentionOptions());
        mixer.eval();
        Reference.Check(File, "pooled_queries_softmax", mixer, c => mixer.forward(c.Input("query"), c.Input("x"), c.Input("padding")));
    }

    [Fact]
    public void SparsemaxAttentionFromPooledQueries()
    {
        using var mixer = new SparsemaxAttention(Context(), new SparsemaxAttentionOptions());
        mixer.eval();
        Reference.Check(File, "pooled_queries_sparsemax", mixer, c => mixer.forward(c.Input("query"), c.Input("x"), c.Input("padding")));
    }

    [Fact]
    public void PooledQueriesAreRefusedInADecoder()
    {
        using var mixer = new SelfAttention(new MixerContext(ModuleContext.Cpu, 8, Heads: 2, Causal: true), new SelfAttentionOptions());
        using var scope = NewDisposeScope();
        var error = Assert.Throws<InvalidOperationException>(() => mixer.forward(zeros(1, 2, 8), zeros(1, 4, 8), null));
        Assert.Contains("decoder", error.Message);
    }

    private static MixerContext Context() => new(ModuleContext.Cpu, 8, Heads: 2);
}
