using System.Linq;
using Composer.Tensors;
using Composer.Tests.Harness;
using Composer.Training;
using Xunit;

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
        using (var scope = new TensorScope())
        using (var reference = TrainingReference.Open())
        {
            var names = new[] { "a", "b", "c" };
            var parameters = names.Select(n =>
            {
                var g = reference.Get($"clip/{name}/grad/{n}");
                var p = Torch.Zeros(g.Shape, DType.Float32, requiresGrad: true);
                (p * g).Sum().Backward();
                return p;
            }).ToArray();
            double maxNorm = reference.Get($"clip/{name}/max_norm").ToArray<double>()[0];
            double norm = GradientClipping.ClipGradNorm(parameters, maxNorm);
            double expected = reference.Get($"clip/{name}/norm").ToArray<double>()[0];
            Assert.True(System.Math.Abs(norm - expected) <= 1e-6 * expected, $"norm {norm}, PyTorch {expected}");
            for (int i = 0; i < names.Length; i++)
                Reference.AssertClose(parameters[i].Grad!, reference.Get($"clip/{name}/clipped/{names[i]}"), $"clipped gradient of {names[i]}", 1e-6);
        }
        Assert.Equal(live, LiveTensors.Settled());
    }

    [Fact]
    public void ANonFiniteNormIsReportedAndTheGradientsLeftAsTheyAre()
    {
        using var scope = new TensorScope();
        var p = Torch.Ones(3).RequiresGrad_(true);
        (p * Torch.From<float>([1f, float.PositiveInfinity, 2f])).Sum().Backward();
        Assert.True(double.IsPositiveInfinity(GradientClipping.ClipGradNorm([p], 1.0)));
        Assert.Equal([1f, float.PositiveInfinity, 2f], p.Grad!.ToArray<float>());
    }

    [Fact]
    public void WithoutGradientsTheNormIsZero()
    {
        using var scope = new TensorScope();
        Assert.Equal(0, GradientClipping.ClipGradNorm([Torch.Ones(2).RequiresGrad_(true)], 1.0));
    }

    [Fact]
    public void ZeroMaxNormOnlyMeasures()
    {
        using var scope = new TensorScope();
        var p = Torch.Ones(4).RequiresGrad_(true);
        (p * 3).Sum().Backward();
        Assert.Equal(6.0, GradientClipping.ClipGradNorm([p], 0), 6);
        Assert.Equal([3f, 3f, 3f, 3f], p.Grad!.ToArray<float>());
    }
}
