using System;
using System.Runtime.InteropServices;
using Composer.Tensors;

namespace Composer.Native;

/// <summary>
/// The flat C ABI of the shim (Native/src). One partial file per shim source file, same names.
/// Handles are owning <c>TensorImpl*</c>; a null handle or a -1 status means "failed, read the error".
/// </summary>
internal static unsafe partial class NativeMethods
{
    private const string Lib = NativeLibraryLoader.LibraryName;

    /// <summary>Throws the failure parked by the last shim call on this thread.</summary>
    internal static void ThrowLastError()
    {
        var message = Marshal.PtrToStringUTF8(cmp_last_error()) ?? "libtorch reported a failure without a message";
        cmp_clear_error();
        throw new TorchException(message);
    }

    internal static nint Check(nint handle)
    {
        if (handle == 0) ThrowLastError();
        return handle;
    }

    internal static void Check(int status)
    {
        if (status < 0) ThrowLastError();
    }

    // lifetime.cpp
    [DllImport(Lib)] internal static extern nint cmp_last_error();
    [DllImport(Lib)] internal static extern void cmp_clear_error();
    [DllImport(Lib), SuppressGCTransition] internal static extern long cmp_live_tensors();
    // Releasing a reference only frees memory (never blocks, never calls back), so it can skip the
    // GC transition: that is a fifth of the managed overhead of a tiny op.
    [DllImport(Lib), SuppressGCTransition] internal static extern void cmp_tensor_free(nint h);
    [DllImport(Lib)] internal static extern nint cmp_tensor_share(nint h);
    [DllImport(Lib)] internal static extern int cmp_torch_version();
    [DllImport(Lib)] internal static extern int cmp_get_num_threads();
    [DllImport(Lib)] internal static extern int cmp_set_num_threads(int n);
    [DllImport(Lib)] internal static extern int cmp_cuda_is_available();
    [DllImport(Lib)] internal static extern int cmp_fast_sgemm_available();
    [DllImport(Lib)] internal static extern int cmp_cuda_device_count();
    [DllImport(Lib)] internal static extern int cmp_cuda_synchronize(int index);
    [DllImport(Lib), SuppressGCTransition] internal static extern int cmp_grad_enabled();
    [DllImport(Lib), SuppressGCTransition] internal static extern void cmp_set_grad_enabled(int enabled);

    // tensor_info.cpp
    [DllImport(Lib), SuppressGCTransition] internal static extern int cmp_dim(nint h);
    [DllImport(Lib), SuppressGCTransition] internal static extern long cmp_numel(nint h);
    [DllImport(Lib), SuppressGCTransition] internal static extern void cmp_shape(nint h, long* output);
    [DllImport(Lib), SuppressGCTransition] internal static extern int cmp_dtype(nint h);
    [DllImport(Lib), SuppressGCTransition] internal static extern int cmp_device_type(nint h);
    [DllImport(Lib), SuppressGCTransition] internal static extern int cmp_device_index(nint h);
    [DllImport(Lib), SuppressGCTransition] internal static extern int cmp_is_contiguous(nint h);
    [DllImport(Lib), SuppressGCTransition] internal static extern int cmp_requires_grad(nint h);
    [DllImport(Lib)] internal static extern int cmp_is_leaf(nint h);
    [DllImport(Lib)] internal static extern nint cmp_from_data(void* data, long byteCount, int dtype, long* dims, int ndim, int deviceType, int deviceIndex);
    [DllImport(Lib)] internal static extern int cmp_copy_to(nint h, void* destination, long byteCount);
    [DllImport(Lib)] internal static extern int cmp_item(nint h, double* asDouble, long* asLong);
    [DllImport(Lib)] internal static extern nint cmp_to(nint h, int dtype, int deviceType, int deviceIndex, int nonBlocking, int copy);

    // creation.cpp
    [DllImport(Lib)] internal static extern nint cmp_zeros(long* dims, int ndim, int dtype, int deviceType, int deviceIndex, int requiresGrad);
    [DllImport(Lib)] internal static extern nint cmp_ones(long* dims, int ndim, int dtype, int deviceType, int deviceIndex, int requiresGrad);
    [DllImport(Lib)] internal static extern nint cmp_empty(long* dims, int ndim, int dtype, int deviceType, int deviceIndex, int requiresGrad);
    [DllImport(Lib)] internal static extern nint cmp_rand(long* dims, int ndim, int dtype, int deviceType, int deviceIndex, int requiresGrad);
    [DllImport(Lib)] internal static extern nint cmp_randn(long* dims, int ndim, int dtype, int deviceType, int deviceIndex, int requiresGrad);
    [DllImport(Lib)] internal static extern nint cmp_full(long* dims, int ndim, Scalar value, int dtype, int deviceType, int deviceIndex, int requiresGrad);
    [DllImport(Lib)] internal static extern nint cmp_randint(long low, long high, long* dims, int ndim, int dtype, int deviceType, int deviceIndex);
    [DllImport(Lib)] internal static extern nint cmp_arange(Scalar start, Scalar end, Scalar step, int dtype, int deviceType, int deviceIndex);

    // benchmark.cpp
    [DllImport(Lib)] internal static extern long cmp_bench_add_loop(nint a, nint b, long iterations);
}
