using System;
using Composer.Native;

namespace Composer.Tensors;

/// <summary>
/// Tensor factories and process-wide settings, named after the <c>torch</c> module
/// (<c>Torch.Zeros</c>, <c>Torch.Randn</c>, <c>Torch.ManualSeed</c>, …).
/// </summary>
public static unsafe partial class Torch
{
    /// <summary>Number of native tensors currently alive in this process (every handle the shim has handed out and not yet been given back).</summary>
    public static long LiveTensors => NativeMethods.cmp_live_tensors();

    /// <summary>The libtorch version the shim was built against, e.g. "1.13.0".</summary>
    public static string Version
    {
        get
        {
            int v = NativeMethods.cmp_torch_version();
            return $"{v / 10000}.{v / 100 % 100}.{v % 100}";
        }
    }

    /// <summary>Threads libtorch uses inside one op (<c>torch.get_num_threads</c> / <c>set_num_threads</c>).</summary>
    public static int Threads
    {
        get => NativeMethods.cmp_get_num_threads();
        set
        {
            if (value < 1) throw new ArgumentOutOfRangeException(nameof(value), value, "the thread count must be at least 1");
            NativeMethods.Check(NativeMethods.cmp_set_num_threads(value));
        }
    }

    /// <summary>
    /// What computes CPU float32 matrix products (linear layers): "oneDNN sgemm" when the libtorch
    /// install exposes it (faster, and on libtorch's own threads), otherwise "ATen" (libtorch's BLAS).
    /// Set COMPOSER_GEMM=aten before the first tensor operation to force ATen.
    /// </summary>
    public static string MatrixProducts => NativeMethods.cmp_fast_sgemm_available() != 0 ? "oneDNN sgemm" : "ATen";

    /// <summary>Whether libtorch was built with CUDA and sees at least one GPU.</summary>
    public static bool CudaIsAvailable => NativeMethods.cmp_cuda_is_available() != 0;

    /// <summary>The number of visible CUDA devices (0 without CUDA).</summary>
    public static int CudaDeviceCount => NativeMethods.cmp_cuda_device_count();

    /// <summary>Waits for all work queued on a CUDA device; no-op without CUDA.</summary>
    public static void CudaSynchronize(int index = 0) => NativeMethods.Check(NativeMethods.cmp_cuda_synchronize(index));

    /// <summary>Whether autograd records operations on this thread.</summary>
    public static bool IsGradEnabled => NativeMethods.cmp_grad_enabled() != 0;

    /// <summary>Turns autograd off on this thread until the returned scope is disposed (<c>torch.no_grad()</c>).</summary>
    public static GradModeScope NoGrad() => new(false);

    /// <summary>Turns autograd on on this thread until the returned scope is disposed (<c>torch.enable_grad()</c>).</summary>
    public static GradModeScope EnableGrad() => new(true);

    // ---- factories ------------------------------------------------------------------------------

    /// <summary>A tensor copied from <paramref name="data"/> (row-major) with the given shape; the dtype follows the element type.</summary>
    /// <exception cref="TorchException">The shape's element count differs from the data length.</exception>
    public static Tensor From<T>(ReadOnlySpan<T> data, ReadOnlySpan<long> shape, Device device = default, bool requiresGrad = false) where T : unmanaged
    {
        var dtype = DTypeExtensions.Of<T>();
        Tensor t;
        fixed (T* p = data)
        fixed (long* s = shape)
            t = Tensor.Wrap(NativeMethods.cmp_from_data(p, (long)data.Length * sizeof(T), (int)dtype, s, shape.Length, (int)device.Type, device.Index));
        if (requiresGrad) t.RequiresGrad_(true);
        return t;
    }

    /// <summary>A one-dimensional tensor copied from <paramref name="data"/>.</summary>
    public static Tensor From<T>(ReadOnlySpan<T> data) where T : unmanaged => From(data, [data.Length]);

    /// <summary>A 0-dimensional tensor holding one value.</summary>
    public static Tensor Scalar<T>(T value) where T : unmanaged => From(new ReadOnlySpan<T>(in value), ReadOnlySpan<long>.Empty);

    /// <summary>A float32 tensor of zeros (<c>torch.zeros</c>).</summary>
    public static Tensor Zeros(params ReadOnlySpan<long> shape) => Zeros(shape, DType.Float32);
    /// <summary>A tensor of zeros (<c>torch.zeros</c>).</summary>
    public static Tensor Zeros(ReadOnlySpan<long> shape, DType dtype, Device device = default, bool requiresGrad = false)
    {
        fixed (long* s = shape) return Tensor.Wrap(NativeMethods.cmp_zeros(s, shape.Length, (int)dtype, (int)device.Type, device.Index, requiresGrad ? 1 : 0));
    }

    /// <summary>A float32 tensor of ones (<c>torch.ones</c>).</summary>
    public static Tensor Ones(params ReadOnlySpan<long> shape) => Ones(shape, DType.Float32);
    /// <summary>A tensor of ones (<c>torch.ones</c>).</summary>
    public static Tensor Ones(ReadOnlySpan<long> shape, DType dtype, Device device = default, bool requiresGrad = false)
    {
        fixed (long* s = shape) return Tensor.Wrap(NativeMethods.cmp_ones(s, shape.Length, (int)dtype, (int)device.Type, device.Index, requiresGrad ? 1 : 0));
    }

    /// <summary>A float32 tensor with unspecified contents (<c>torch.empty</c>).</summary>
    public static Tensor Empty(params ReadOnlySpan<long> shape) => Empty(shape, DType.Float32);
    /// <summary>A tensor with unspecified contents (<c>torch.empty</c>).</summary>
    public static Tensor Empty(ReadOnlySpan<long> shape, DType dtype, Device device = default, bool requiresGrad = false)
    {
        fixed (long* s = shape) return Tensor.Wrap(NativeMethods.cmp_empty(s, shape.Length, (int)dtype, (int)device.Type, device.Index, requiresGrad ? 1 : 0));
    }

    /// <summary>A tensor filled with one value (<c>torch.full</c>).</summary>
    public static Tensor Full(ReadOnlySpan<long> shape, Scalar value, DType dtype = DType.Float32, Device device = default, bool requiresGrad = false)
    {
        fixed (long* s = shape) return Tensor.Wrap(NativeMethods.cmp_full(s, shape.Length, value, (int)dtype, (int)device.Type, device.Index, requiresGrad ? 1 : 0));
    }

    /// <summary>Uniform samples in [0, 1) as float32 (<c>torch.rand</c>).</summary>
    public static Tensor Rand(params ReadOnlySpan<long> shape) => Rand(shape, DType.Float32);
    /// <summary>Uniform samples in [0, 1) (<c>torch.rand</c>).</summary>
    public static Tensor Rand(ReadOnlySpan<long> shape, DType dtype, Device device = default, bool requiresGrad = false)
    {
        fixed (long* s = shape) return Tensor.Wrap(NativeMethods.cmp_rand(s, shape.Length, (int)dtype, (int)device.Type, device.Index, requiresGrad ? 1 : 0));
    }

    /// <summary>Standard normal samples as float32 (<c>torch.randn</c>).</summary>
    public static Tensor Randn(params ReadOnlySpan<long> shape) => Randn(shape, DType.Float32);
    /// <summary>Standard normal samples (<c>torch.randn</c>).</summary>
    public static Tensor Randn(ReadOnlySpan<long> shape, DType dtype, Device device = default, bool requiresGrad = false)
    {
        fixed (long* s = shape) return Tensor.Wrap(NativeMethods.cmp_randn(s, shape.Length, (int)dtype, (int)device.Type, device.Index, requiresGrad ? 1 : 0));
    }

    /// <summary>Uniform integers in [<paramref name="low"/>, <paramref name="high"/>) (<c>torch.randint</c>).</summary>
    public static Tensor Randint(long low, long high, ReadOnlySpan<long> shape, DType dtype = DType.Int64, Device device = default)
    {
        fixed (long* s = shape) return Tensor.Wrap(NativeMethods.cmp_randint(low, high, s, shape.Length, (int)dtype, (int)device.Type, device.Index));
    }

    /// <summary>Values start, start+step, … below end (<c>torch.arange</c>); int64 for integral arguments unless a dtype is given.</summary>
    public static Tensor Arange(Scalar start, Scalar end, Scalar step, DType dtype, Device device = default) =>
        Tensor.Wrap(NativeMethods.cmp_arange(start, end, step, (int)dtype, (int)device.Type, device.Index));

    /// <summary>0, 1, …, end−1 as int64 (<c>torch.arange(end)</c>).</summary>
    public static Tensor Arange(long end, Device device = default) => Arange(0L, end, 1L, DType.Int64, device);

    /// <summary>start, start+step, … below end as int64.</summary>
    public static Tensor Arange(long start, long end, long step = 1, Device device = default) => Arange(start, end, step, DType.Int64, device);
}
