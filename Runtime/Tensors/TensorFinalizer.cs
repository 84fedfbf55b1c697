using Composer.Native;

namespace Composer.Tensors;

/// <summary>
/// The safety net for a tensor that no scope owns: if it is never disposed, the garbage collector
/// releases its native memory. Tensors inside scopes never get one, because registering an object
/// for finalization costs about as much as the tiny op that created it.
/// </summary>
internal sealed class TensorFinalizer
{
    private readonly nint _handle;

    internal TensorFinalizer(nint handle) => _handle = handle;

    ~TensorFinalizer() => NativeMethods.cmp_tensor_free(_handle);
}
