using System;
using System.Linq;
using Composer.Layers;
using Composer.Mixers;
using Composer.Tests.Harness;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Tests.Mixers;

/// <summary>
/// Softmax attention with some or all heads constant (the PAPA probe's runtime form, MIXERS.md §7) against
/// tests/reference/composer_reference/papa.py (mixers_papa.py); decoding through Step; no queries or keys
/// for constant heads; the weights it carries.
/// </summary>
public class ConstantHeadsTests
{
    private const string File = "mixers_papa";

    private static SelfAttention Attention(int heads, bool causal, int maxLength = 8) =>
        new(new MixerContext(ModuleContext.Cpu, Width: 8, Heads: heads, MaxLength: maxLength, Causal: causal), new SelfAttentionOptions());

    /// <summary>An attention with <paramref name="constant"/> heads mixing with random non-negative matrices (causal ones in a decoder).</summary>
    private static SelfAttention WithConstantHeads(int heads, long[] constant, bool causal, int seed = 5)
    {
        var attention = Attention(heads, causal);
        manual_seed(seed);
        using var scope = NewDisposeScope();
        var matrix = rand(constant.Length, 8, 8);
        attention.UseConstantHeads(constant, causal ? matrix.tril() : matrix);
        return attention;
    }

    [Theory]
    [InlineData("papa_constant_encoder", 4, new long[] { 1, 3 }, false, true)]
    [InlineData("papa_constant_decoder", 4, new long[] { 0, 2 }, true, true)]
    [InlineData("papa_constant_decoder_unpadded", 4, new long[] { 2 }, true, false)]
    [InlineData("papa_constant_all", 2, new long[] { 0, 1 }, true, true)]
    [InlineData("papa_constant_full_length", 4, new long[] { 3 }, false, true)]
    public void MatchesPyTorch(string caseName, int heads, long[] constant, bool causal, bool padded)
    {
        using var attention = Attention(heads, causal);
        using (var scope = NewDisposeScope()) attention.UseConstantHeads(constant, zeros(constant.Length, 8, 8)); // the reference's Ā loads over these
        attention.eval();
        Reference.Check(File, caseName, attention, c => attention.forward(c.Input("x"), padded ? c.Input("padding") : null));
    }

    [Theory]
    [InlineData(4, new long[] { 1, 2 }, 7)]
    [InlineData(4, new long[] { 3 }, 1)]
    [InlineData(4, new long[] { 0, 1, 2, 3 }, 8)]
    public void StepMatchesCausalForward(int heads, long[] constant, int length)
    {
        using var attention = WithConstantHeads(heads, constant, causal: true);
        using var scope = NewDisposeScope();
        manual_seed(11);
        MixerChecks.StepMatchesForward(attention, randn(3, length, 8));
    }

    [Theory]
    [InlineData(new long[] { 2, 0, 1 })]
    [InlineData(new long[] { 1, 1, 0, 2 })]
    public void ReorderContinuesInTheNewOrder(long[] order)
    {
        using var attention = WithConstantHeads(4, [0, 3], causal: true);
        using var scope = NewDisposeScope();
        manual_seed(12);
        MixerChecks.ReorderContinuesInTheNewOrder(attention, randn(3, 6, 8), prefix: 3, order);
    }

    /// <summary>
    /// A constant head computes no query or key: the rows of <c>qkv_proj</c> that would make them can
    /// hold anything without changing the output, and receive no gradient; the projection computes only
    /// the rows the layer uses.
    /// </summary>
    [Fact]
    public void ConstantHeadsComputeNoQueriesOrKeys()
    {
        using var attention = WithConstantHeads(4, [1, 3], causal: false);
        using var scope = NewDisposeScope();
        manual_seed(13);
        var x = randn(2, 6, 8);
        var padding = tensor(new[] { false, false, false, false, false, false, false, false, false, false, true, true }, [2, 6]);
        var before = attention.forward(x, padding).detach();
        // Head h owns channels [2h, 2h + 2) of Q (rows 0–7) and K (rows 8–15).
        long[] unused = [2, 3, 6, 7, 10, 11, 14, 15];
        var rows = tensor(unused);
        using (no_grad()) attention.named_parameters().Single(p => p.name == "qkv_proj.weight").parameter.index_fill_(0, rows, 1e3);
        var after = attention.forward(x, padding);
        Reference.AssertClose(after.detach(), before, "output after scrambling the constant heads' query and key rows", tolerance: 0);
        after.sum().backward();
        var gradient = attention.named_parameters().Single(p => p.name == "qkv_proj.weight").parameter.grad!;
        Assert.Equal(0.0, gradient.index_select(0, rows).abs().max().ToDouble());
        Assert.True(gradient.abs().sum().ToDouble() > 0);
        // [Q of the 2 dynamic heads | their K | their V | V of the 2 constant heads], D = 2 rows each: 16 of 24.
        Assert.Equal((2 + 2 + 2 + 2) * 2, attention.ConstantHeads!.ProjectionRows.shape[0]);
    }

    [Fact]
    public void RestoringTheHeadsGivesTheAttentionBack()
    {
        using var attention = Attention(4, causal: true);
        using var scope = NewDisposeScope();
        manual_seed(14);
        var x = randn(2, 5, 8);
        var original = attention.forward(x, null).detach();
        attention.UseConstantHeads([0, 2], rand(2, 8, 8).tril());
        Assert.False(attention.forward(x, null).allclose(original));
        attention.RestoreHeads();
        Assert.Null(attention.ConstantHeads);
        Reference.AssertClose(attention.forward(x, null), original, "after RestoreHeads", tolerance: 0);
    }

    /// <summary>
    /// The constant heads are weights of the layer while in use (<c>constant_heads.heads</c>, <c>.matrix</c>),
    /// the index tensors derived from them are not, and restoring the heads takes them out again.
    /// </summary>
    [Fact]
    public void TheLayerCarriesItsConstantHeadsInItsStateDict()
    {
        using var attention = WithConstantHeads(4, [3, 1], causal: false);
        var state = attention.state_dict();
        Assert.Equal(["constant_heads.heads", "constant_heads.matrix", "out_proj.bias", "out_proj.weight", "qkv_proj.bias", "qkv_proj.weight"], state.Keys.Order());
        Assert.Equal([1L, 3L], state["constant_heads.heads"].data<long>().ToArray());
        Assert.Equal([2L, 8, 8], state["constant_heads.matrix"].shape);
        Assert.DoesNotContain(attention.named_parameters(), p => p.name.StartsWith("constant_heads", StringComparison.Ordinal));
        attention.RestoreHeads();
        Assert.DoesNotContain(attention.state_dict().Keys, k => k.StartsWith("constant_heads", StringComparison.Ordinal));
    }

    /// <summary>Ā rows follow their heads: listing the heads in another order sorts the matrices with them.</summary>
    [Fact]
    public void MatricesFollowTheirHeadsWhenListedOutOfOrder()
    {
        using var scope = NewDisposeScope();
        using var attention = Attention(4, causal: false);
        var first = full(8, 8, 1.0f);
        var second = eye(8);
        attention.UseConstantHeads([3, 1], stack([first, second]));
        Reference.AssertClose(attention.ConstantHeads!.Matrix[0], second, "Ā of head 1", tolerance: 0);
        Reference.AssertClose(attention.ConstantHeads.Matrix[1], first, "Ā of head 3", tolerance: 0);
    }

    [Fact]
    public void MovingTheModelToFloat64MovesTheConstantHeads()
    {
        using var attention = WithConstantHeads(4, [0, 1], causal: true);
        attention.to(ScalarType.Float64);
        Assert.Equal(ScalarType.Float64, attention.ConstantHeads!.Matrix.dtype);
        Assert.Equal(ScalarType.Int64, attention.state_dict()["constant_heads.heads"].dtype);
        using var scope = NewDisposeScope();
        var x = randn(2, 5, 8, ScalarType.Float64);
        MixerChecks.StepMatchesForward(attention, x);
    }

    [Fact]
    public void ForwardBackwardAndStepLeakNothing()
    {
        using var attention = WithConstantHeads(4, [1], causal: true);
        using var x = randn(2, 6, 8);
        using var padding = tensor(new[] { false, false, false, false, true, true, false, false, false, false, false, false }, [2, 6]);
        MixerChecks.ForwardBackwardLeaksNothing(attention, x, padding);
        MixerChecks.StepLoopLeaksNothing(attention, x);
    }

    [Fact]
    public void DecodingPastMaxLengthSaysWhy()
    {
        using var attention = WithConstantHeads(4, [1], causal: true);
        using var scope = NewDisposeScope();
        using var state = attention.NewState(1);
        using var noGrad = no_grad();
        for (int t = 0; t < 8; t++) attention.Step(randn(1, 1, 8), state);
        var e = Assert.Throws<InvalidOperationException>(() => attention.Step(randn(1, 1, 8), state));
        Assert.Contains("MaxLength = 8", e.Message);
    }

    [Fact]
    public void BadHeadsAndMatricesAreRefusedWithTheReason()
    {
        using var attention = Attention(4, causal: false);
        using var scope = NewDisposeScope();
        Assert.Contains("has no head 4", Assert.Throws<ArgumentException>(() => attention.UseConstantHeads([4], zeros(1, 8, 8))).Message);
        Assert.Contains("head 2 is listed twice", Assert.Throws<ArgumentException>(() => attention.UseConstantHeads([2, 2], zeros(2, 8, 8))).Message);
        Assert.Contains("(1, 8, 8)", Assert.Throws<ArgumentException>(() => attention.UseConstantHeads([2], zeros(1, 6, 6))).Message);
        Assert.Contains("at least one head", Assert.Throws<ArgumentException>(() => attention.UseConstantHeads([], zeros(0, 8, 8))).Message);
        Assert.Null(attention.ConstantHeads);
        using var unbounded = new SelfAttention(new MixerContext(ModuleContext.Cpu, Width: 8, Heads: 4), new SelfAttentionOptions());
        Assert.Contains("MaxLength", Assert.Throws<InvalidOperationException>(() => unbounded.UseConstantHeads([1], zeros(1, 8, 8))).Message);
    }
}
