using System.Runtime.InteropServices;

namespace Composer.Tensors;

/// <summary>
/// A number used as an operand (<c>t * 2</c>, <c>t.Fill(0.5)</c>). Like a Python number it keeps its
/// kind: an integral scalar added to an integer tensor stays integral, a floating one promotes.
/// Passed to the shim by value (its layout matches <c>cmp_scalar</c>).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct Scalar
{
    internal readonly double Floating;
    internal readonly long Integral;
    internal readonly int Kind; // 0 floating, 1 integral, 2 boolean

    private Scalar(double floating, long integral, int kind)
    {
        Floating = floating;
        Integral = integral;
        Kind = kind;
    }

    /// <summary>A floating-point scalar.</summary>
    public static implicit operator Scalar(double value) => new(value, 0, 0);
    /// <summary>A floating-point scalar.</summary>
    public static implicit operator Scalar(float value) => new(value, 0, 0);
    /// <summary>An integral scalar.</summary>
    public static implicit operator Scalar(long value) => new(0, value, 1);
    /// <summary>An integral scalar.</summary>
    public static implicit operator Scalar(int value) => new(0, value, 1);
    /// <summary>A boolean scalar.</summary>
    public static implicit operator Scalar(bool value) => new(0, value ? 1 : 0, 2);

    /// <summary>The value as a double.</summary>
    public double ToDouble() => Kind == 0 ? Floating : Integral;

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        0 => Floating.ToString(System.Globalization.CultureInfo.InvariantCulture),
        1 => Integral.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => Integral != 0 ? "true" : "false",
    };
}
