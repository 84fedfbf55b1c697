using System;
using System.Linq;
using Composer.Distributed;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Tests.Distributed;

/// <summary>Gradients flattened into buckets, summed over the ranks in one pass, and put back.</summary>
public class GradientBucketsTests
{
    [Fact]
    public void GradientsComeBackSummedOverTheRanksInOnePass()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        // Float32 and float64 parameters, buckets of at most 64 bytes: several buckets per dtype.
        var parameters = new[]
        {
            new Parameter(randn(3, 4)), new Parameter(randn(5)), new Parameter(randn(2, 2, ScalarType.Float64)),
            new Parameter(randn(7)), new Parameter(randn(4)),
        };
        foreach (var p in parameters) (p * p).sum().backward();
        var before = parameters.Select(p => p.grad!.clone()).ToArray();
        parameters[4].grad = null;   // a parameter no rank computed a gradient for

        var ranks = new TwinRanks(size: 3);
        using var buckets = new GradientBuckets(parameters, extraValues: 2, bucketBytes: 64);
        Assert.True(buckets.Count >= 3, $"{buckets.Count} buckets");
        Span<double> extra = [1.5, -2];
        buckets.Reduce(ranks, extra);

        Assert.Equal([buckets.Count + 1], ranks.AllReduceCalls);   // every bucket and the values, one call
        Assert.Equal([4.5, -6], extra.ToArray());
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(parameters[i].dtype, parameters[i].grad!.dtype);
            Assert.True(parameters[i].grad!.allclose(before[i] * 3, rtol: 0, atol: 1e-6), $"gradient {i} is not three ranks' sum");
        }
        Assert.Null(parameters[4].grad);
    }

    [Fact]
    public void TheBucketsAreReusedUpdateAfterUpdate()
    {
        using var scope = NewDisposeScope();
        var p = new Parameter(ones(6));
        using var buckets = new GradientBuckets([p], extraValues: 0);
        foreach (double value in new[] { 2.0, 5.0 })
        {
            p.grad = full(6, value);
            buckets.Reduce(new TwinRanks(size: 2), []);
            Assert.True(p.grad!.allclose(full(6, 2 * value)), $"update with gradient {value}");
        }
    }
}
