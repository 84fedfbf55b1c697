using System;
using System.Linq;
using Composer.Layers;
using Composer.Mixers;
using Composer.Probing;
using Composer.Tests.Harness;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Tests.Probing;

/// <summary>
/// PAPA's Ā (MIXERS.md §7, §7a step 3) and the divergence ranking, against a hand-computed case and
/// against tests/reference/composer_reference/papa.py (mixers_papa.py).
/// </summary>
public class AttentionAveragesTests
{
    private static SelfAttention Attention(int heads, bool causal, int maxLength) =>
        new(new MixerContext(ModuleContext.Cpu, Width: 8, Heads: heads, MaxLength: maxLength, Causal: causal), new SelfAttentionOptions());

    /// <summary>
    /// With zero query and key projections every score is equal, so each real query attends uniformly to
    /// the keys it may see. Two sequences, of 3 and 2 real positions in a batch of length 3, L_max = 4:
    /// <code>
    /// encoder: Ā[0,0] = (1/3 + 1/2) / 2 = 5/12   (both sequences have positions 0 and 0)
    ///          Ā[0,2] = (1/3) / 1 = 1/3           (only the first has position 2)
    ///          row and column 3: 0                 (never a real position)
    /// decoder: rows 1/(i+1) on j ≤ i in both, so Ā = [[1,0,0],[1/2,1/2,0],[1/3,1/3,1/3]], causal.
    /// </code>
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void UniformAttentionAveragesToTheHandComputedMatrix(bool causal)
    {
        using var attention = Attention(heads: 2, causal, maxLength: 4);
        using var scope = NewDisposeScope();
        using (no_grad()) attention.named_parameters().Single(p => p.name == "qkv_proj.weight").parameter.narrow(0, 0, 16).zero_();
        using (no_grad()) attention.named_parameters().Single(p => p.name == "qkv_proj.bias").parameter.narrow(0, 0, 16).zero_();
        attention.eval();
        using var averages = new AttentionAverages([new AttentionLayer(0, "mixer", attention)], CPU);
        manual_seed(3);
        using (averages.Record())
        using (no_grad())
            attention.forward(randn(2, 3, 8), tensor(new[] { false, false, false, false, false, true }, [2, 3]));

        double third = 1.0 / 3;
        double[] expected = causal
            ? [1, 0, 0, 0, 0.5, 0.5, 0, 0, third, third, third, 0, 0, 0, 0, 0]
            : [5.0 / 12, 5.0 / 12, third, 0, 5.0 / 12, 5.0 / 12, third, 0, third, third, third, 0, 0, 0, 0, 0];
        var average = averages.Average(0);
        Assert.Equal(ScalarType.Float64, average.dtype);
        for (int h = 0; h < 2; h++)
            Reference.AssertClose(average[h], tensor(expected, [4, 4]), $"Ā of head {h}", tolerance: 1e-6); // A(x) is float32
        Reference.AssertClose(averages.Pairs(0), tensor(new double[] { 2, 2, 1, 0, 2, 2, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0 }, [4, 4]), "co-occurrence counts", tolerance: 0);
        Assert.Equal(1, averages.Batches);
        Assert.Equal(2, averages.Sequences);
    }

    /// <summary>Ā, the pair counts and the Jensen–Shannon divergence per head over three batches (padded right, left and not at all) match PyTorch's.</summary>
    [Theory]
    [InlineData("papa_average_encoder", false)]
    [InlineData("papa_average_decoder", true)]
    public void MatchesPyTorch(string caseName, bool causal)
    {
        using var attention = Attention(heads: 2, causal, maxLength: 8);
        attention.eval();
        Reference.Check("mixers_papa", caseName, attention, c =>
        {
            using var averages = new AttentionAverages([new AttentionLayer(0, "mixer", attention)], CPU);
            var batches = new[] { (c.Input("x0"), (Tensor?)c.Input("padding0")), (c.Input("x1"), null), (c.Input("x2"), c.Input("padding2")) };
            using (averages.Record())
            using (no_grad())
                foreach (var (x, padding) in batches) attention.forward(x, padding);
            var average = averages.Average(0);
            if (causal) Assert.Equal(0.0, average.triu(1).abs().max().ToDouble());   // causal stays causal
            using var divergence = new HeadDivergence(averages, CPU);
            using (divergence.Record())
            using (no_grad())
                foreach (var (x, padding) in batches) attention.forward(x, padding);
            var scores = tensor(divergence.Scores().Select(s => s.Score).ToArray());
            return [average, averages.Pairs(0).clone(), scores];
        }, tolerance: 1e-6);
    }

    /// <summary>The tapped forward pass (explicit softmax weights) gives what the fused one gives.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RecordingLeavesTheOutputAsItWas(bool causal)
    {
        using var attention = Attention(heads: 2, causal, maxLength: 8);
        attention.eval();
        using var scope = NewDisposeScope();
        manual_seed(4);
        var x = randn(3, 6, 8);
        var padding = tensor(Enumerable.Range(0, 18).Select(i => i is 5 or 12 or 13).ToArray(), [3, 6]);
        using var noGrad = no_grad();
        var plain = attention.forward(x, padding);
        using var averages = new AttentionAverages([new AttentionLayer(0, "mixer", attention)], CPU);
        using (averages.Record()) Reference.AssertClose(attention.forward(x, padding), plain, "forward while recording", tolerance: 1e-5);
        Assert.Null(attention.Tap);
    }

    [Fact]
    public void RandomOrderIsAPermutationFixedByTheSeed()
    {
        using var a = Attention(heads: 4, causal: true, maxLength: 8);
        using var b = Attention(heads: 2, causal: true, maxLength: 8);
        AttentionLayer[] layers = [new(0, "layers.0.mixer", a), new(1, "layers.1.mixer", b)];
        var first = HeadRanking.Random(layers, seed: 1).Select(r => (r.Head.Layer, r.Head.Head)).ToArray();
        Assert.Equal(6, first.Distinct().Count());
        Assert.Equal(first, HeadRanking.Random(layers, seed: 1).Select(r => (r.Head.Layer, r.Head.Head)));
        Assert.NotEqual(first, HeadRanking.Random(layers, seed: 2).Select(r => (r.Head.Layer, r.Head.Head)));
    }

    [Fact]
    public void LayersWithoutOneMaxLengthAreRefused()
    {
        using var bounded = Attention(heads: 2, causal: false, maxLength: 8);
        using var other = Attention(heads: 2, causal: false, maxLength: 6);
        using var unbounded = new SelfAttention(new MixerContext(ModuleContext.Cpu, Width: 8, Heads: 2), new SelfAttentionOptions());
        Assert.Contains("MaxLength", Assert.Throws<ArgumentException>(() => new AttentionAverages([new AttentionLayer(0, "a", unbounded)], CPU)).Message);
        Assert.Contains("MaxLength", Assert.Throws<ArgumentException>(() => new AttentionAverages([new(0, "a", bounded), new(1, "b", other)], CPU)).Message);
        Assert.Contains("no attention layer", Assert.Throws<ArgumentException>(() => new AttentionAverages([], CPU)).Message);
    }
}
