using System;
using System.Collections.Generic;
using System.Linq;
using Composer.Data;
using Composer.Probing;
using Composer.Tests.Harness;
using Composer.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Tests.Probing;

/// <summary>
/// The PAPA probe's pieces on a whole model: Ā of a padded, two-layer model against a sequence-by-sequence
/// sum, the divergence ranking on a model with a head that is constant by construction, and which heads
/// each fraction replaces (MIXERS.md §7a steps 3–5).
/// </summary>
public class HeadRankingTests
{
    private const int Width = 16, Heads = 4, HeadWidth = Width / Heads, MaxLength = 16;

    /// <summary>Batches of random tokens, right-padded to the longest of each batch; <paramref name="lengths"/> per batch.</summary>
    private static List<(Batch Batch, int[] Lengths)> Batches(int[][] lengths, int seed)
    {
        var random = new Random(seed);
        var batches = new List<(Batch, int[])>();
        foreach (var batch in lengths)
        {
            int t = batch.Max();
            var tokens = new long[batch.Length * t];
            var padded = new bool[batch.Length * t];
            var target = new long[batch.Length * t];
            for (int b = 0; b < batch.Length; b++)
                for (int i = 0; i < t; i++)
                {
                    bool real = i < batch[b];
                    tokens[b * t + i] = real ? random.Next(1, 256) : 0;
                    padded[b * t + i] = !real;
                    target[b * t + i] = real ? random.Next(1, 256) : Batch.IgnoreIndex;
                }
            long count = batch.Sum();
            var shape = new long[] { batch.Length, t };
            batches.Add((new Batch(tensor(tokens, shape).DetachFromDisposeScope(), tensor(padded, shape).DetachFromDisposeScope(),
                tensor(target, shape).DetachFromDisposeScope(), null, null, count, count), batch));
        }
        return batches;
    }

    /// <summary>
    /// Ā of both layers of a causal model, from right-padded batches of mixed lengths, equals the sum of the
    /// weights of each sequence run alone (no padding at all) divided by how many sequences reach each pair,
    /// computed here element by element in double precision.
    /// </summary>
    [Fact]
    public void AveragesOverPaddedBatchesEqualTheSequenceBySequenceSum()
    {
        manual_seed(11);
        using var model = new TinyAttentionLm(depth: 2, heads: Heads, width: Width, maxLength: MaxLength);
        model.eval();
        var layers = AttentionLayer.Find(model);
        Assert.Equal(["layers.0.mixer", "layers.1.mixer"], layers.Select(l => l.Name));
        int[][] lengths = [[5, 3, 7], [2, 6], [7, 7, 1, 4]];
        var batches = Batches(lengths, seed: 5);
        using var averages = AttentionAverages.Compute(model, layers, batches.Select(b => b.Batch), CPU);

        var sums = new double[2, Heads, MaxLength, MaxLength];
        var counts = new double[MaxLength, MaxLength];
        foreach (var batch in Batches(lengths, seed: 5))
        {
            using var scope = NewDisposeScope();
            for (int b = 0; b < batch.Lengths.Length; b++)
            {
                int n = batch.Lengths[b];
                var alone = batch.Batch.Input[b].narrow(0, 0, n).unsqueeze(0);
                var seen = new Tensor[2];
                foreach (var layer in layers) layer.Attention.Tap = (weights, padding) => { seen[layer.Index] = weights.clone(); return weights; };
                try { using (no_grad()) model.forward(alone, null); }
                finally { foreach (var layer in layers) layer.Attention.Tap = null; }
                for (int l = 0; l < 2; l++)
                {
                    var w = Readback.Array<float>(seen[l].contiguous());   // (1, H, n, n)
                    for (int h = 0; h < Heads; h++)
                        for (int i = 0; i < n; i++)
                            for (int j = 0; j < n; j++) sums[l, h, i, j] += w[(h * n + i) * n + j];
                }
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < n; j++) counts[i, j]++;
            }
            batch.Batch.Dispose();
        }

        Assert.Equal(lengths.Sum(b => b.Length), averages.Sequences);
        Assert.Equal(3, averages.Batches);
        using var check = NewDisposeScope();
        for (int l = 0; l < 2; l++)
        {
            var expected = new double[Heads * MaxLength * MaxLength];
            for (int h = 0; h < Heads; h++)
                for (int i = 0; i < MaxLength; i++)
                    for (int j = 0; j < MaxLength; j++)
                        expected[(h * MaxLength + i) * MaxLength + j] = counts[i, j] == 0 ? 0 : sums[l, h, i, j] / counts[i, j];
            var average = averages.Average(l);
            Assert.Equal(ScalarType.Float64, average.dtype);
            Reference.AssertClose(average, tensor(expected, [Heads, MaxLength, MaxLength]), $"Ā of layer {l}", tolerance: 1e-6);
            Assert.Equal(0.0, average.triu(1).abs().max().ToDouble());       // causal stays causal
            Assert.Equal(0.0, average.narrow(1, 7, MaxLength - 7).abs().max().ToDouble()); // no sequence reached position 7
        }
    }

    /// <summary>
    /// A head whose queries and keys are zero attends uniformly to what it may see, whatever the input: on
    /// unpadded sequences of one length that is exactly its Ā, so its divergence is 0 and it goes first;
    /// the input-dependent heads, sharpened, are measurably far from theirs.
    /// </summary>
    [Fact]
    public void DivergenceRanksAHeadThatIsConstantByConstructionFirst()
    {
        const int ConstantHead = 2;
        manual_seed(12);
        using var model = new TinyAttentionLm(depth: 1, heads: Heads, width: Width, maxLength: MaxLength);
        model.eval();
        using (no_grad())
        {
            var weight = model.named_parameters().Single(p => p.name == "layers.0.mixer.qkv_proj.weight").parameter;
            var bias = model.named_parameters().Single(p => p.name == "layers.0.mixer.qkv_proj.bias").parameter;
            weight.narrow(0, 0, 2 * Width).mul_(6.0);                          // sharper than the default init
            foreach (int block in new[] { 0, Width })                           // the Q and K rows of the head
            {
                weight.narrow(0, block + ConstantHead * HeadWidth, HeadWidth).zero_();
                bias.narrow(0, block + ConstantHead * HeadWidth, HeadWidth).zero_();
            }
        }
        var layers = AttentionLayer.Find(model);
        int[][] lengths = [[10, 10, 10], [10, 10], [10, 10, 10, 10]];
        using var averages = AttentionAverages.Compute(model, layers, Batches(lengths, seed: 1).Select(b => b.Batch), CPU);
        var ranking = HeadRanking.ByDivergence(model, averages, Batches(lengths, seed: 2).Select(b => b.Batch), CPU);

        Assert.Equal(Heads, ranking.Count);
        Assert.Equal(ConstantHead, ranking[0].Head.Head);
        Assert.InRange(ranking[0].Score, 0, 1e-6);
        Assert.All(ranking.Skip(1), r => Assert.True(r.Score > 1e-3, $"head {r.Head.Head}: divergence {r.Score}"));
        Assert.Equal(ranking.Select(r => r.Score).Order(), ranking.Select(r => r.Score));
    }

    /// <summary>§7a step 5 on 16 heads (4 layers × 4) and on 8: round(f × heads) of the ranking, in its order.</summary>
    [Theory]
    [InlineData(16, new[] { 0, 4, 8, 12, 14, 15, 16 })]
    [InlineData(8, new[] { 0, 2, 4, 6, 7, 8, 8 })]
    public void EachFractionReplacesTheFirstHeadsOfTheRanking(int heads, int[] expected)
    {
        var ranking = Enumerable.Range(0, heads)
            .Select(i => new RankedHead(new AttentionHead(i % 4, $"layers.{i % 4}.mixer", i / 4), i))
            .Reverse().ToArray();                                               // not in the model's order
        var counts = PapaOptions.DefaultFractions.Select(f => PapaProbe.Replaced(ranking, f)).ToArray();
        Assert.Equal(expected, counts.Select(c => c.Count));
        foreach (var constant in counts) Assert.Equal(ranking.Take(constant.Count).Select(r => r.Head), constant);
        Assert.Throws<ArgumentOutOfRangeException>(() => PapaProbe.Replaced(ranking, 1.5));
    }

    /// <summary>Lowest score first; equal scores keep the model's order of layers, then heads.</summary>
    [Fact]
    public void SortingIsByScoreThenByLayerAndHead()
    {
        var heads = new List<RankedHead>
        {
            new(new AttentionHead(1, "b", 0), 0.5),
            new(new AttentionHead(0, "a", 1), 0.2),
            new(new AttentionHead(1, "b", 1), 0.2),
            new(new AttentionHead(0, "a", 0), 0.2),
            new(new AttentionHead(0, "a", 2), 0.1),
        };
        Assert.Equal([(0, 2), (0, 0), (0, 1), (1, 1), (1, 0)], HeadRanking.Sorted(heads).Select(r => (r.Head.Layer, r.Head.Head)));
    }
}
