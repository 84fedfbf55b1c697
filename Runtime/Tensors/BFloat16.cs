using System;
using System.Runtime.InteropServices;

namespace Composer.Tensors;

/// <summary>
/// A bfloat16 value as stored in tensors: the upper 16 bits of an IEEE float32. .NET has no built-in
/// type for it; this struct exists so bfloat16 data can be copied in and out element for element.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct BFloat16 : IEquatable<BFloat16>
{
    /// <summary>The raw bits.</summary>
    public readonly ushort Bits;

    /// <summary>Wraps raw bits.</summary>
    public BFloat16(ushort bits) => Bits = bits;

    /// <summary>Rounds a float to the nearest bfloat16 (ties to even), as libtorch does.</summary>
    public static BFloat16 FromSingle(float value)
    {
        if (float.IsNaN(value)) return new BFloat16(0x7FC0);
        uint bits = BitConverter.SingleToUInt32Bits(value);
        uint roundingBias = 0x7FFF + ((bits >> 16) & 1);
        return new BFloat16((ushort)((bits + roundingBias) >> 16));
    }

    /// <summary>The exact float32 value.</summary>
    public float ToSingle() => BitConverter.UInt32BitsToSingle((uint)Bits << 16);

    /// <summary>Converts by rounding to nearest.</summary>
    public static explicit operator BFloat16(float value) => FromSingle(value);
    /// <summary>Widens exactly.</summary>
    public static implicit operator float(BFloat16 value) => value.ToSingle();

    /// <inheritdoc />
    public bool Equals(BFloat16 other) => Bits == other.Bits;
    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is BFloat16 other && Equals(other);
    /// <inheritdoc />
    public override int GetHashCode() => Bits;
    /// <inheritdoc />
    public override string ToString() => ToSingle().ToString(System.Globalization.CultureInfo.InvariantCulture);
}
