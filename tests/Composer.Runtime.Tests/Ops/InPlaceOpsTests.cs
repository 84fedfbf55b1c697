using Composer.Tensors;
using Xunit;

namespace Composer.Tests.Ops;

/// <summary>In-place variants agree with their out-of-place forms and keep the tensor's identity.</summary>
public class InPlaceOpsTests
{
    private static float[] Values(Tensor t) => t.ToArray<float>();

    [Fact]
    public void InPlaceArithmeticMatchesOutOfPlace()
    {
        using var scope = new TensorScope();
        var a = Torch.Randn(3, 4);
        var b = Torch.Randn(3, 4);
        var t1 = Torch.Randn(3, 4);
        var t2 = Torch.Rand(3, 4) + 0.5;

        Assert.Equal(Values(a.Add(b, 2.0)), Values(a.To(DType.Float32, copy: true).AddInPlace(b, 2.0)));
        Assert.Equal(Values(a - b), Values(a.To(DType.Float32, copy: true).SubInPlace(b)));
        Assert.Equal(Values(a * b), Values(a.To(DType.Float32, copy: true).MulInPlace(b)));
        Assert.Equal(Values(a / t2), Values(a.To(DType.Float32, copy: true).DivInPlace(t2)));
        Assert.Equal(Values(a + 1.5), Values(a.To(DType.Float32, copy: true).AddInPlace(1.5)));
        Assert.Equal(Values(a * 3.0), Values(a.To(DType.Float32, copy: true).MulInPlace(3.0)));
        Assert.Equal(Values(a / 4.0), Values(a.To(DType.Float32, copy: true).DivInPlace(4.0)));
        Assert.Equal(Values(t2.Pow(2.0)), Values(t2.To(DType.Float32, copy: true).PowInPlace(2.0)));
        Assert.Equal(Values(a + t1 * t2 * 0.5), Values(a.To(DType.Float32, copy: true).AddcmulInPlace(t1, t2, 0.5)), new ToleranceComparer());
        Assert.Equal(Values(a + t1 / t2 * 0.5), Values(a.To(DType.Float32, copy: true).AddcdivInPlace(t1, t2, 0.5)), new ToleranceComparer());
        Assert.Equal(Values(a + (b - a) * 0.25), Values(a.To(DType.Float32, copy: true).LerpInPlace(b, 0.25)), new ToleranceComparer());
        Assert.Equal(Values(a.Clamp(-0.5, 0.5)), Values(a.To(DType.Float32, copy: true).ClampInPlace(-0.5, 0.5)));
        Assert.Equal(Values(a.Relu()), Values(a.To(DType.Float32, copy: true).ReluInPlace()));
        var mask = a.Gt(0.0);
        Assert.Equal(Values(a.MaskedFill(mask, 9.0)), Values(a.To(DType.Float32, copy: true).MaskedFillInPlace(mask, 9.0)));
    }

    [Fact]
    public void FillZeroAndCopyWriteIntoTheSameTensor()
    {
        using var scope = new TensorScope();
        var t = Torch.Randn(2, 2);
        var view = t.Share();
        Assert.Same(t, t.FillInPlace(2.5));
        Assert.Equal(new float[] { 2.5f, 2.5f, 2.5f, 2.5f }, Values(view));
        t.ZeroInPlace();
        Assert.Equal(new float[4], Values(view));
        t.CopyInPlace(Torch.From<float>([1, 2]));   // broadcasts over rows
        Assert.Equal(new float[] { 1, 2, 1, 2 }, Values(view));
    }

    private sealed class ToleranceComparer : System.Collections.Generic.IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => System.Math.Abs(x - y) <= 1e-6f * System.Math.Max(1f, System.Math.Abs(y));
        public int GetHashCode(float obj) => 0;
    }
}
