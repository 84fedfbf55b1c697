using System;

namespace Composer.Tensors;

/// <summary>Element types. Values are libtorch's <c>c10::ScalarType</c> codes, so they cross the shim unchanged.</summary>
public enum DType
{
    /// <summary>8-bit unsigned integer (<c>torch.uint8</c>).</summary>
    UInt8 = 0,
    /// <summary>32-bit signed integer (<c>torch.int32</c>).</summary>
    Int32 = 3,
    /// <summary>64-bit signed integer (<c>torch.int64</c>), the type of indices.</summary>
    Int64 = 4,
    /// <summary>IEEE half precision (<c>torch.float16</c>).</summary>
    Float16 = 5,
    /// <summary>IEEE single precision (<c>torch.float32</c>), the default.</summary>
    Float32 = 6,
    /// <summary>IEEE double precision (<c>torch.float64</c>).</summary>
    Float64 = 7,
    /// <summary>Boolean (<c>torch.bool</c>), one byte per element.</summary>
    Bool = 11,
    /// <summary>Brain floating point (<c>torch.bfloat16</c>).</summary>
    BFloat16 = 15,
}

/// <summary>Facts about <see cref="DType"/> values.</summary>
public static class DTypeExtensions
{
    /// <summary>Bytes per element.</summary>
    public static int ElementSize(this DType dtype) => dtype switch
    {
        DType.UInt8 or DType.Bool => 1,
        DType.Float16 or DType.BFloat16 => 2,
        DType.Int32 or DType.Float32 => 4,
        DType.Int64 or DType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "not a dtype Composer supports"),
    };

    /// <summary>True for the floating-point types (the ones that can require gradients).</summary>
    public static bool IsFloatingPoint(this DType dtype) =>
        dtype is DType.Float16 or DType.BFloat16 or DType.Float32 or DType.Float64;

    /// <summary>The managed element type with the same layout, used for copies in and out.</summary>
    internal static DType Of<T>() where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return DType.Float32;
        if (typeof(T) == typeof(double)) return DType.Float64;
        if (typeof(T) == typeof(long)) return DType.Int64;
        if (typeof(T) == typeof(int)) return DType.Int32;
        if (typeof(T) == typeof(byte)) return DType.UInt8;
        if (typeof(T) == typeof(bool)) return DType.Bool;
        if (typeof(T) == typeof(Half)) return DType.Float16;
        if (typeof(T) == typeof(BFloat16)) return DType.BFloat16;
        throw new NotSupportedException($"{typeof(T).Name} has no tensor dtype; use float, double, long, int, byte, bool, Half or BFloat16.");
    }
}
