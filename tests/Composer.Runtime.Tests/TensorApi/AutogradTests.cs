using Composer.Tensors;
using Xunit;

namespace Composer.Tests.TensorApi;

/// <summary>requires_grad, backward, .grad, clearing and zeroing, detach and no-grad scopes.</summary>
public class AutogradTests
{
    [Fact]
    public void BackwardAccumulatesGradientsIntoLeaves()
    {
        using var scope = new TensorScope();
        var x = Torch.From<float>([1, 2, 3]).RequiresGrad_();
        var y = x * x * 3.0;                                   // dy/dx = 6x
        y.Backward(Torch.Ones(3));
        Assert.Equal(new float[] { 6, 12, 18 }, x.Grad!.ToArray<float>());
        (x * 2.0).Backward(Torch.Ones(3));                    // accumulates
        Assert.Equal(new float[] { 8, 14, 20 }, x.Grad!.ToArray<float>());
    }

    [Fact]
    public void GradIsNullBeforeBackwardAndAfterClear()
    {
        using var scope = new TensorScope();
        var x = Torch.Ones([2], DType.Float32, requiresGrad: true);
        Assert.Null(x.Grad);
        (x * 3.0).Backward(Torch.Ones(2));
        Assert.NotNull(x.Grad);
        x.ClearGrad();
        Assert.Null(x.Grad);
    }

    [Fact]
    public void ZeroGradKeepsTheGradientTensor()
    {
        using var scope = new TensorScope();
        var x = Torch.Ones([2], DType.Float32, requiresGrad: true);
        (x * 3.0).Backward(Torch.Ones(2));
        var grad = x.Grad!;
        x.ZeroGrad();
        Assert.Equal(new float[] { 0, 0 }, grad.ToArray<float>());
    }

    [Fact]
    public void DetachCutsTheGraph()
    {
        using var scope = new TensorScope();
        var x = Torch.Ones([2], DType.Float32, requiresGrad: true);
        var y = (x * 2.0).Detach();
        Assert.False(y.RequiresGrad);
        var z = x * 2.0;
        Assert.True(z.RequiresGrad);
        z.DetachInPlace();
        Assert.False(z.RequiresGrad);
    }

    [Fact]
    public void NoGradScopeStopsRecordingAndRestoresTheMode()
    {
        using var scope = new TensorScope();
        var x = Torch.Ones([2], DType.Float32, requiresGrad: true);
        Assert.True(Torch.IsGradEnabled);
        using (Torch.NoGrad())
        {
            Assert.False(Torch.IsGradEnabled);
            Assert.False((x * 2.0).RequiresGrad);
            using (Torch.EnableGrad()) Assert.True((x * 2.0).RequiresGrad);
            Assert.False(Torch.IsGradEnabled);
        }
        Assert.True(Torch.IsGradEnabled);
        Assert.True((x * 2.0).RequiresGrad);
    }

    [Fact]
    public void BackwardOnANonScalarWithoutGradientIsAClearError()
    {
        using var scope = new TensorScope();
        var x = Torch.Ones([3], DType.Float32, requiresGrad: true);
        var e = Assert.Throws<Composer.Native.TorchException>(() => (x * 2.0).Backward());
        Assert.Contains("grad can be implicitly created only for scalar outputs", e.Message);
    }
}
