using System;
using System.Linq;
using Composer.Tests.Harness;
using Composer.Training;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Tests.Training;

/// <summary>Global-norm clipping against <c>torch.nn.utils.clip_grad_norm_</c>.</summary>
public class GradientClippingTests
{
    [Theory]
    [InlineData("clipped")]
    [InlineData("unclipped")]
    public void MatchesClipGradNorm(string name)
    {
        long live = LiveTensors.Settled();
        using (var scope = NewDisposeScope())
        using (var reference = TrainingReference.Open())
        {
            var names = new[] { "a", "b", "c" };
            var parameters = names.Select(n =>
            {
                var g = reference.Get($"clip/{name}/grad/{n}");
                var p = new Parameter(zeros(g.shape, ScalarType.Float32));
                (p * g).sum().backward();
                return p;
            }).ToArray();
            double maxNorm = reference.Get($"clip/{name}/max_norm").data<double>()[0];
            double norm = GradientClipping.ClipGradNorm(parameters, maxNorm);
            double expected = reference.Get($"clip/{name}/norm").data<double>()[0];
            Assert.True(System.Math.Abs(norm - expected) <= 1e-6 * expected, $"norm {norm}, PyTorch {expected}");
            for (int i = 0; i < names.Length; i++)
                Reference.AssertClose(parameters[i].grad!, reference.Get($"clip/{name}/clipped/{names[i]}"), $"clipped gradient of {names[i]}", 1e-6);
        }
        Assert.Equal(live, LiveTensors.Settled());
    }

    [Fact]
    public void ANonFiniteNormIsReportedAndTheGradientsLeftAsTheyAre()
    {
        using var scope = NewDisposeScope();
        var p = new Parameter(ones(3));
        (p * tensor(new[] { 1f, float.PositiveInfinity, 2f })).sum().backward();
        Assert.True(double.IsPositiveInfinity(GradientClipping.ClipGradNorm([p], 1.0)));
        Assert.Equal([1f, float.PositiveInfinity, 2f], p.grad!.data<float>().ToArray());
    }

    [Fact]
    public void ManyOrLargeGradientsAreMeasuredAlike()
    {
        // Past 2^18 elements the norm is taken per gradient instead of over their concatenation.
        using var scope = NewDisposeScope();
        manual_seed(3);
        foreach (long size in new long[] { 1000, 200_000 })
        {
            var ps = Enumerable.Range(0, 3).Select(_ => new Parameter(zeros(size))).ToArray();
            var grads = ps.Select(_ => randn(size)).ToArray();
            for (int i = 0; i < ps.Length; i++) (ps[i] * grads[i]).sum().backward();
            double expected = Math.Sqrt(grads.Sum(g => g.to(ScalarType.Float64).pow(2).sum().ToDouble()));
            double norm = GradientClipping.ClipGradNorm(ps, 1.0);
            Assert.True(Math.Abs(norm - expected) <= 1e-5 * expected, $"{3 * size} elements: norm {norm}, expected {expected}");
            double clipped = Math.Sqrt(ps.Sum(p => p.grad!.to(ScalarType.Float64).pow(2).sum().ToDouble()));
            Assert.True(Math.Abs(clipped - 1.0) <= 1e-5, $"{3 * size} elements: clipped norm {clipped}");
        }
    }

    [Fact]
    public void WithoutGradientsTheNormIsZero()
    {
        using var scope = NewDisposeScope();
        Assert.Equal(0, GradientClipping.ClipGradNorm([new Parameter(ones(2))], 1.0));
        Assert.Equal(0, GradientClipping.ClipGradNorm([new Parameter(ones(2))], 0));
    }

    [Fact]
    public void ZeroMaxNormOnlyMeasures()
    {
        using var scope = NewDisposeScope();
        var p = new Parameter(ones(4));
        (p * 3).sum().backward();
        Assert.Equal(6.0, GradientClipping.ClipGradNorm([p], 0), 6);
        Assert.Equal([3f, 3f, 3f, 3f], p.grad!.data<float>().ToArray());
    }

    [Fact]
    public void ClippingLeavesNoTensorBehind()
    {
        using var scope = NewDisposeScope();
        var p = new Parameter(ones(4));
        (p * 3).sum().backward();
        long live = LiveTensors.Count;
        Assert.Equal(6.0, GradientClipping.ClipGradNorm([p], 0), 6);
        Assert.Equal(6.0, GradientClipping.ClipGradNorm([p], 1.0), 6);
        Assert.Equal(1.0, GradientClipping.ClipGradNorm([p], 0), 5);
        Assert.Equal(live, LiveTensors.Count);
    }
}
