using System;
using Composer.Tensors;
using Xunit;

namespace Composer.Tests.TensorApi;

/// <summary>Creation from managed memory, copies out, dtypes, shapes and device/dtype moves.</summary>
public class DataTransferTests
{
    [Fact]
    public void RoundTripsEveryDtype()
    {
        using var scope = new TensorScope();
        RoundTrip(new float[] { 1.5f, -2, 3.25f, 0 });
        RoundTrip(new double[] { 1e-300, -2, 3.25, Math.PI });
        RoundTrip(new long[] { long.MinValue, -1, 0, long.MaxValue });
        RoundTrip(new int[] { int.MinValue, -1, 0, int.MaxValue });
        RoundTrip(new byte[] { 0, 1, 127, 255 });
        RoundTrip(new bool[] { true, false, false, true });
        RoundTrip(new Half[] { (Half)1.5, (Half)(-2), (Half)65504, Half.Epsilon });
        RoundTrip(new BFloat16[] { (BFloat16)1.5f, (BFloat16)(-2f), (BFloat16)3e38f, (BFloat16)1e-38f });
    }

    private static void RoundTrip<T>(T[] values) where T : unmanaged
    {
        var t = Torch.From<T>(values, [2, 2]);
        Assert.Equal(new long[] { 2, 2 }, t.Shape);
        Assert.Equal(values, t.ToArray<T>());
        var span = new T[4];
        t.CopyTo<T>(span);
        Assert.Equal(values, span);
    }

    [Fact]
    public void QueriesDescribeTheTensor()
    {
        using var scope = new TensorScope();
        var t = Torch.Zeros([2, 3, 4], DType.Float64, requiresGrad: true);
        Assert.Equal(3, t.Dim);
        Assert.Equal(24, t.Numel);
        Assert.Equal(3, t.Size(1));
        Assert.Equal(4, t.Size(-1));
        Assert.Equal(DType.Float64, t.DType);
        Assert.Equal(Device.Cpu.Type, t.Device.Type);
        Assert.True(t.RequiresGrad);
        Assert.True(t.IsLeaf);
        Assert.True(t.IsContiguous);
        Assert.Equal("Tensor(shape=[2, 3, 4], dtype=Float64, device=cpu, requires_grad)", t.ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => t.Size(3));
    }

    [Fact]
    public void ZeroDimensionalAndEmptyTensors()
    {
        using var scope = new TensorScope();
        var scalar = Torch.Scalar(2.5);
        Assert.Empty(scalar.Shape);
        Assert.Equal(2.5, scalar.ToDouble());
        var empty = Torch.Zeros(0, 3);
        Assert.Equal(0, empty.Numel);
        Assert.Empty(empty.ToArray<float>());
        Assert.Equal(7, Torch.Scalar(7L).ToInt64());
    }

    [Fact]
    public void ConvertsBetweenDtypes()
    {
        using var scope = new TensorScope();
        var t = Torch.From<float>([1.7f, -2.2f]);
        Assert.Equal(new long[] { 1, -2 }, t.To(DType.Int64).ToArray<long>());
        Assert.Equal(new double[] { 1.7f, -2.2f }, t.To(DType.Float64).ToArray<double>());
        Assert.Equal(new[] { (BFloat16)1.7f, (BFloat16)(-2.2f) }, t.To(DType.BFloat16).ToArray<BFloat16>());
        Assert.Equal(DType.Float32, t.Cpu().DType);
    }

    [Fact]
    public void RandomFactoriesHaveTheRequestedShapeRangeAndDtype()
    {
        using var scope = new TensorScope();
        var u = Torch.Rand(1000).ToArray<float>();
        Assert.All(u, v => Assert.InRange(v, 0f, 1f));
        var n = Torch.Randn([4, 5], DType.Float64);
        Assert.Equal(DType.Float64, n.DType);
        var ints = Torch.Randint(3, 7, [500]).ToArray<long>();
        Assert.All(ints, v => Assert.InRange(v, 3L, 6L));
        Assert.Equal(DType.Int64, Torch.Randint(0, 2, [1]).DType);
        Assert.Equal(new long[] { 3 }, Torch.Empty(3).Shape);
    }

    [Fact]
    public void ThreadCountCanBeReadAndSet()
    {
        int original = Torch.Threads;
        Torch.Threads = 1;
        Assert.Equal(1, Torch.Threads);
        Torch.Threads = original;
        Assert.Throws<ArgumentOutOfRangeException>(() => Torch.Threads = 0);
    }

    [Fact]
    public void CudaQueriesAnswerWithoutCuda()
    {
        Assert.Equal(Torch.CudaIsAvailable, Torch.CudaDeviceCount > 0);
        Torch.CudaSynchronize();
        Assert.Matches(@"^\d+\.\d+\.\d+$", Torch.Version);
    }
}
