using System;
using Composer.Tensors;

namespace Composer.Checkpoints;

/// <summary>
/// The element types a safetensors header can name (the <c>"dtype"</c> field). Every one is readable as
/// raw bytes; all but <see cref="I16"/> and <see cref="I8"/> also map to a Composer <see cref="Tensors.DType"/>.
/// </summary>
public enum SafetensorsDType
{
    /// <summary><c>"F64"</c>: IEEE double precision.</summary>
    F64,
    /// <summary><c>"F32"</c>: IEEE single precision.</summary>
    F32,
    /// <summary><c>"F16"</c>: IEEE half precision.</summary>
    F16,
    /// <summary><c>"BF16"</c>: brain floating point.</summary>
    BF16,
    /// <summary><c>"I64"</c>: 64-bit signed integer.</summary>
    I64,
    /// <summary><c>"I32"</c>: 32-bit signed integer.</summary>
    I32,
    /// <summary><c>"I16"</c>: 16-bit signed integer (no Composer dtype; raw bytes only).</summary>
    I16,
    /// <summary><c>"I8"</c>: 8-bit signed integer (no Composer dtype; raw bytes only).</summary>
    I8,
    /// <summary><c>"U8"</c>: 8-bit unsigned integer.</summary>
    U8,
    /// <summary><c>"BOOL"</c>: boolean, one byte per element.</summary>
    Bool,
}

/// <summary>Facts about <see cref="SafetensorsDType"/> values and their mapping to <see cref="Tensors.DType"/>.</summary>
public static class SafetensorsDTypeExtensions
{
    /// <summary>The names the format uses, listed in error messages.</summary>
    internal const string SupportedNames = "F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL";

    /// <summary>Bytes per element.</summary>
    public static int ElementSize(this SafetensorsDType dtype) => dtype switch
    {
        SafetensorsDType.F64 or SafetensorsDType.I64 => 8,
        SafetensorsDType.F32 or SafetensorsDType.I32 => 4,
        SafetensorsDType.F16 or SafetensorsDType.BF16 or SafetensorsDType.I16 => 2,
        SafetensorsDType.I8 or SafetensorsDType.U8 or SafetensorsDType.Bool => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "not a safetensors dtype"),
    };

    /// <summary>The name written in the header (<c>"F32"</c>, <c>"BOOL"</c>, …).</summary>
    public static string ToHeaderName(this SafetensorsDType dtype) => dtype switch
    {
        SafetensorsDType.F64 => "F64",
        SafetensorsDType.F32 => "F32",
        SafetensorsDType.F16 => "F16",
        SafetensorsDType.BF16 => "BF16",
        SafetensorsDType.I64 => "I64",
        SafetensorsDType.I32 => "I32",
        SafetensorsDType.I16 => "I16",
        SafetensorsDType.I8 => "I8",
        SafetensorsDType.U8 => "U8",
        SafetensorsDType.Bool => "BOOL",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "not a safetensors dtype"),
    };

    /// <summary>Parses a header name (case-sensitive, as the format requires).</summary>
    public static bool TryParse(string name, out SafetensorsDType dtype)
    {
        switch (name)
        {
            case "F64": dtype = SafetensorsDType.F64; return true;
            case "F32": dtype = SafetensorsDType.F32; return true;
            case "F16": dtype = SafetensorsDType.F16; return true;
            case "BF16": dtype = SafetensorsDType.BF16; return true;
            case "I64": dtype = SafetensorsDType.I64; return true;
            case "I32": dtype = SafetensorsDType.I32; return true;
            case "I16": dtype = SafetensorsDType.I16; return true;
            case "I8": dtype = SafetensorsDType.I8; return true;
            case "U8": dtype = SafetensorsDType.U8; return true;
            case "BOOL": dtype = SafetensorsDType.Bool; return true;
            default: dtype = default; return false;
        }
    }

    /// <summary>The Composer dtype with the same layout, or null for <see cref="SafetensorsDType.I16"/> and <see cref="SafetensorsDType.I8"/>.</summary>
    public static DType? ToDType(this SafetensorsDType dtype) => dtype switch
    {
        SafetensorsDType.F64 => DType.Float64,
        SafetensorsDType.F32 => DType.Float32,
        SafetensorsDType.F16 => DType.Float16,
        SafetensorsDType.BF16 => DType.BFloat16,
        SafetensorsDType.I64 => DType.Int64,
        SafetensorsDType.I32 => DType.Int32,
        SafetensorsDType.U8 => DType.UInt8,
        SafetensorsDType.Bool => DType.Bool,
        _ => null,
    };

    /// <summary>The safetensors dtype that stores a Composer dtype.</summary>
    public static SafetensorsDType ToSafetensors(this DType dtype) => dtype switch
    {
        DType.Float64 => SafetensorsDType.F64,
        DType.Float32 => SafetensorsDType.F32,
        DType.Float16 => SafetensorsDType.F16,
        DType.BFloat16 => SafetensorsDType.BF16,
        DType.Int64 => SafetensorsDType.I64,
        DType.Int32 => SafetensorsDType.I32,
        DType.UInt8 => SafetensorsDType.U8,
        DType.Bool => SafetensorsDType.Bool,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "this dtype has no safetensors equivalent"),
    };
}
