using Composer.Tests.Harness;
using System;
using Composer.Native;
using Composer.Tensors;
using Xunit;

namespace Composer.Tests.TensorApi;

/// <summary>Every failure inside libtorch surfaces as a managed exception with a clear message; the process survives.</summary>
public class ErrorTests
{
    [Fact]
    public void ShapeMismatchRaisesTorchException()
    {
        using var scope = new TensorScope();
        var e = Assert.Throws<TorchException>(() => Torch.Ones(3) + Torch.Ones(4));
        Assert.Contains("must match the size of tensor b (4)", e.Message);
    }

    [Fact]
    public void DimensionOutOfRangeRaisesTorchException()
    {
        using var scope = new TensorScope();
        var e = Assert.Throws<TorchException>(() => Torch.Ones(2, 4).Glu(5));
        Assert.Contains("Dimension out of range", e.Message);
    }

    [Fact]
    public void DtypeMismatchRaisesTorchException()
    {
        using var scope = new TensorScope();
        var notABoolCondition = Torch.Ones(3);
        var e = Assert.Throws<TorchException>(() => Torch.Where(notABoolCondition, Torch.Ones(3), Torch.Zeros(3)));
        Assert.Contains("boolean", e.Message);
        var integers = Torch.Zeros([3], DType.Int64);
        e = Assert.Throws<TorchException>(() => integers.AddInPlace(Torch.Ones(3)));
        Assert.Contains("can't be cast to the desired output type Long", e.Message);
    }

    [Fact]
    public void WrongElementTypeOnCopyOutIsAClearError()
    {
        using var scope = new TensorScope();
        var e = Assert.Throws<ArgumentException>(() => Torch.Ones(2).ToArray<long>());
        Assert.Contains("holds Float32 but Int64 was requested", e.Message);
    }

    [Fact]
    public void DataShapeMismatchOnCreationIsAClearError()
    {
        var e = Assert.Throws<TorchException>(() => Torch.From<float>([1, 2, 3], [2, 2]));
        Assert.Contains("holds 12 bytes", e.Message);
    }

    [Fact]
    public void AnErrorDoesNotLeakAndTheNextCallSucceeds()
    {
        long before = LiveTensors.Settled();
        using (var scope = new TensorScope())
        {
            for (int i = 0; i < 100; i++) Assert.Throws<TorchException>(() => Torch.Ones(3) + Torch.Ones(4));
            Assert.Equal(new float[] { 2, 2 }, (Torch.Ones(2) + Torch.Ones(2)).ToArray<float>());
        }
        Assert.Equal(before, Torch.LiveTensors);
    }

    [Fact]
    public void ErrorsStayOnTheThreadThatCausedThem()
    {
        using var scope = new TensorScope();
        Exception? fromOtherThread = null;
        var thread = new System.Threading.Thread(() =>
        {
            try { using var s = new TensorScope(); _ = Torch.Ones(3) + Torch.Ones(4); }
            catch (Exception e) { fromOtherThread = e; }
        });
        thread.Start();
        thread.Join();
        Assert.IsType<TorchException>(fromOtherThread);
        Assert.Equal(new float[] { 2 }, (Torch.Ones(1) * 2.0).ToArray<float>());
    }

    [Fact]
    public void BadDeviceTextIsAClearError()
    {
        var e = Assert.Throws<FormatException>(() => Device.Parse("gpu0"));
        Assert.Contains("use cpu, cuda or cuda:N", e.Message);
    }

    [Fact]
    public void UsingCudaWithoutCudaIsAClearError()
    {
        if (Torch.CudaIsAvailable) return; // on a GPU machine this is not an error
        var e = Assert.Throws<TorchException>(() => Torch.Zeros([2], DType.Float32, Device.Cuda(0)));
        Assert.Contains("CUDA", e.Message);
    }
}
