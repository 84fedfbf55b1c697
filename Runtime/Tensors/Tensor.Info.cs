using System;
using Composer.Native;

namespace Composer.Tensors;

// Shape, dtype and device queries; copies in and out of managed memory; dtype and device moves.
public sealed unsafe partial class Tensor
{
    /// <summary>Number of dimensions (<c>t.dim()</c>).</summary>
    public int Dim => NativeMethods.cmp_dim(Handle);

    /// <summary>Number of elements (<c>t.numel()</c>).</summary>
    public long Numel => NativeMethods.cmp_numel(Handle);

    /// <summary>The sizes of every dimension (<c>t.shape</c>).</summary>
    public long[] Shape
    {
        get
        {
            var h = Handle;
            var shape = new long[NativeMethods.cmp_dim(h)];
            fixed (long* p = shape) NativeMethods.cmp_shape(h, p);
            return shape;
        }
    }

    /// <summary>The size of one dimension; negative dimensions count from the end (<c>t.size(dim)</c>).</summary>
    public long Size(int dim)
    {
        var h = Handle;
        int rank = NativeMethods.cmp_dim(h);
        int d = dim < 0 ? dim + rank : dim;
        if (d < 0 || d >= rank)
            throw new ArgumentOutOfRangeException(nameof(dim), dim, $"dimension out of range for a tensor with {rank} dimensions (expected {-rank}..{rank - 1})");
        var shape = stackalloc long[rank];
        NativeMethods.cmp_shape(h, shape);
        return shape[d];
    }

    /// <summary>The element type.</summary>
    public DType DType => (DType)NativeMethods.cmp_dtype(Handle);

    /// <summary>The device holding the data.</summary>
    public Device Device
    {
        get
        {
            var h = Handle;
            return new Device((DeviceType)NativeMethods.cmp_device_type(h), NativeMethods.cmp_device_index(h));
        }
    }

    /// <summary>Whether autograd records operations on this tensor.</summary>
    public bool RequiresGrad => NativeMethods.cmp_requires_grad(Handle) != 0;

    /// <summary>Whether the tensor is a leaf of the autograd graph (created by the user, not by an op).</summary>
    public bool IsLeaf => NativeMethods.cmp_is_leaf(Handle) != 0;

    /// <summary>Whether the elements are laid out densely in row-major order.</summary>
    public bool IsContiguous => NativeMethods.cmp_is_contiguous(Handle) != 0;

    /// <summary>Copies every element, in row-major order, into a new managed array.</summary>
    /// <exception cref="ArgumentException">The element type does not match the tensor's dtype.</exception>
    public T[] ToArray<T>() where T : unmanaged
    {
        var h = Handle;
        CheckElementType<T>(h);
        var result = new T[NativeMethods.cmp_numel(h)];
        fixed (T* p = result) NativeMethods.Check(NativeMethods.cmp_copy_to(h, p, (long)result.Length * sizeof(T)));
        return result;
    }

    /// <summary>Copies every element, in row-major order, into <paramref name="destination"/> (exactly <see cref="Numel"/> long).</summary>
    public void CopyTo<T>(Span<T> destination) where T : unmanaged
    {
        var h = Handle;
        CheckElementType<T>(h);
        long n = NativeMethods.cmp_numel(h);
        if (destination.Length != n)
            throw new ArgumentException($"the destination holds {destination.Length} elements but the tensor has {n}", nameof(destination));
        fixed (T* p = destination) NativeMethods.Check(NativeMethods.cmp_copy_to(h, p, n * sizeof(T)));
    }

    private static void CheckElementType<T>(nint h) where T : unmanaged
    {
        var expected = DTypeExtensions.Of<T>();
        var actual = (DType)NativeMethods.cmp_dtype(h);
        if (expected != actual)
            throw new ArgumentException($"the tensor holds {actual} but {typeof(T).Name} was requested ({expected}); convert first with .To(DType.{expected}).");
    }

    /// <summary>The value of a one-element tensor (<c>t.item()</c>) as a double.</summary>
    public double ToDouble()
    {
        double d;
        long l;
        NativeMethods.Check(NativeMethods.cmp_item(Handle, &d, &l));
        return d;
    }

    /// <summary>The value of a one-element tensor (<c>t.item()</c>) as a long.</summary>
    public long ToInt64()
    {
        double d;
        long l;
        NativeMethods.Check(NativeMethods.cmp_item(Handle, &d, &l));
        return l;
    }

    /// <summary>Converts to another dtype (<c>t.to(dtype)</c>); returns a new tensor even when nothing changes.</summary>
    public Tensor To(DType dtype, bool copy = false)
    {
        var device = Device;
        return Wrap(NativeMethods.cmp_to(Handle, (int)dtype, (int)device.Type, device.Index, 0, copy ? 1 : 0));
    }

    /// <summary>Moves to another device (<c>t.to(device)</c>).</summary>
    public Tensor To(Device device, bool nonBlocking = false, bool copy = false) =>
        Wrap(NativeMethods.cmp_to(Handle, (int)DType, (int)device.Type, device.Index, nonBlocking ? 1 : 0, copy ? 1 : 0));

    /// <summary>Moves to another device and dtype in one step.</summary>
    public Tensor To(Device device, DType dtype, bool nonBlocking = false, bool copy = false) =>
        Wrap(NativeMethods.cmp_to(Handle, (int)dtype, (int)device.Type, device.Index, nonBlocking ? 1 : 0, copy ? 1 : 0));

    /// <summary>Copies to the CPU (<c>t.cpu()</c>).</summary>
    public Tensor Cpu() => To(Device.Cpu);

    /// <summary>A second owner of the same tensor: same data, same autograd identity, independent lifetime.</summary>
    public Tensor Share() => Wrap(NativeMethods.cmp_tensor_share(Handle));
}
