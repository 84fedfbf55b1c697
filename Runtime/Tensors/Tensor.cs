using System;
using System.Runtime.CompilerServices;
using Composer.Native;

namespace Composer.Tensors;

/// <summary>
/// An n-dimensional array in libtorch, with autograd. Names follow PyTorch (<c>Reshape</c>,
/// <c>Softmax</c>, <c>Sum</c>, …). A tensor created while a <see cref="TensorScope"/> is open belongs to
/// that scope and is released with it; otherwise the creator owns it and should dispose it (a
/// finalizer is the safety net). <see cref="Dispose"/> is idempotent.
/// </summary>
public sealed partial class Tensor : IDisposable
{
    private nint _handle;
    private TensorFinalizer? _finalizer;

    internal TensorScope? Owner;
    internal int Slot;

    private Tensor(nint handle)
    {
        _handle = handle;
        var scope = TensorScope.Current;
        if (scope is not null) scope.Adopt(this);
        else _finalizer = new TensorFinalizer(handle);
    }

    /// <summary>Takes ownership of a handle returned by the shim, throwing the shim's error for a null one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Tensor Wrap(nint handle)
    {
        if (handle == 0) NativeMethods.ThrowLastError();
        return new Tensor(handle);
    }

    /// <summary>The native handle; throws if the tensor was disposed.</summary>
    internal nint Handle
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            var h = _handle;
            if (h == 0) ThrowDisposed();
            return h;
        }
    }

    /// <summary>True once the tensor has been released (by <see cref="Dispose"/> or by its scope).</summary>
    public bool IsDisposed => _handle == 0;

    /// <summary>Releases the native tensor now. Safe to call more than once.</summary>
    public void Dispose()
    {
        var h = _handle;
        if (h == 0) return;
        _handle = 0;
        NativeMethods.cmp_tensor_free(h);
        if (Owner is not null)
        {
            Owner.Forget(Slot);
            Owner = null;
        }
        else if (_finalizer is not null)
        {
            GC.SuppressFinalize(_finalizer);
            _finalizer = null;
        }
    }

    internal void AttachFinalizer()
    {
        if (_handle != 0 && _finalizer is null) _finalizer = new TensorFinalizer(_handle);
    }

    /// <summary>
    /// Takes the tensor out of whatever scope owns it: the caller owns it from now on (parameters,
    /// optimizer state, anything that outlives a step). Returns the same tensor.
    /// </summary>
    public Tensor Persist()
    {
        _ = Handle;
        if (Owner is not null)
        {
            Owner.Forget(Slot);
            Owner = null;
            AttachFinalizer();
        }
        return this;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowDisposed() => throw new ObjectDisposedException(nameof(Tensor),
        "This tensor was already released: it was disposed, or the TensorScope that owned it ended. To use a tensor after its scope ends, call scope.Escape(tensor) or tensor.Persist() before the scope is disposed.");

    /// <inheritdoc />
    public override string ToString() => IsDisposed
        ? "Tensor(disposed)"
        : $"Tensor(shape=[{string.Join(", ", Shape)}], dtype={DType}, device={Device}{(RequiresGrad ? ", requires_grad" : "")})";
}
