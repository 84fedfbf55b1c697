using System;
using static TorchSharp.torch;

namespace Composer.Checkpoints;

/// <summary>
/// The element types a safetensors header can name (the <c>"dtype"</c> field). Every one is readable as
/// raw bytes and maps to a TorchSharp <c>ScalarType</c>.
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
    /// <summary><c>"I16"</c>: 16-bit signed integer.</summary>
    I16,
    /// <summary><c>"I8"</c>: 8-bit signed integer.</summary>
    I8,
    /// <summary><c>"U8"</c>: 8-bit unsigned integer.</summary>
    U8,
    /// <summary><c>"BOOL"</c>: boolean, one byte per element.</summary>
    Bool,
}

/// <summary>Facts about <see cref="SafetensorsDType"/> values and their mapping to TorchSharp's <c>ScalarType</c>.</summary>
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

    /// <summary>The TorchSharp element type with the same layout.</summary>
    public static ScalarType ToScalarType(this SafetensorsDType dtype) => dtype switch
    {
        SafetensorsDType.F64 => ScalarType.Float64,
        SafetensorsDType.F32 => ScalarType.Float32,
        SafetensorsDType.F16 => ScalarType.Float16,
        SafetensorsDType.BF16 => ScalarType.BFloat16,
        SafetensorsDType.I64 => ScalarType.Int64,
        SafetensorsDType.I32 => ScalarType.Int32,
        SafetensorsDType.I16 => ScalarType.Int16,
        SafetensorsDType.I8 => ScalarType.Int8,
        SafetensorsDType.U8 => ScalarType.Byte,
        SafetensorsDType.Bool => ScalarType.Bool,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "not a safetensors dtype"),
    };

    /// <summary>The safetensors dtype that stores a TorchSharp element type.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The type has no safetensors equivalent (complex numbers, for one).</exception>
    public static SafetensorsDType ToSafetensors(this ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 => SafetensorsDType.F64,
        ScalarType.Float32 => SafetensorsDType.F32,
        ScalarType.Float16 => SafetensorsDType.F16,
        ScalarType.BFloat16 => SafetensorsDType.BF16,
        ScalarType.Int64 => SafetensorsDType.I64,
        ScalarType.Int32 => SafetensorsDType.I32,
        ScalarType.Int16 => SafetensorsDType.I16,
        ScalarType.Int8 => SafetensorsDType.I8,
        ScalarType.Byte => SafetensorsDType.U8,
        ScalarType.Bool => SafetensorsDType.Bool,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "this element type has no safetensors equivalent"),
    };
}
