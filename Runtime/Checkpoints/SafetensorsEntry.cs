using System.Collections.Generic;

namespace Composer.Checkpoints;

/// <summary>
/// One tensor as a safetensors header describes it: name, element type, shape, and where its bytes lie
/// in the byte buffer that follows the header (row-major, little-endian).
/// </summary>
public sealed class SafetensorsEntry
{
    private readonly long[] _shape;

    internal SafetensorsEntry(string name, SafetensorsDType dtype, long[] shape, long begin, long end)
    {
        Name = name;
        DType = dtype;
        _shape = shape;
        Begin = begin;
        End = end;
    }

    /// <summary>The tensor's name (a key of the header).</summary>
    public string Name { get; }

    /// <summary>The element type.</summary>
    public SafetensorsDType DType { get; }

    /// <summary>The sizes of every dimension; empty for a 0-dimensional tensor.</summary>
    public IReadOnlyList<long> Shape => _shape;

    /// <summary>Offset of the first byte, relative to the start of the byte buffer (<c>data_offsets[0]</c>).</summary>
    public long Begin { get; }

    /// <summary>Offset one past the last byte, relative to the start of the byte buffer (<c>data_offsets[1]</c>).</summary>
    public long End { get; }

    /// <summary>Number of bytes of data (<see cref="End"/> − <see cref="Begin"/>).</summary>
    public long ByteLength => End - Begin;

    /// <summary>Number of elements (the product of the shape; 1 for a 0-dimensional tensor).</summary>
    public long ElementCount => ByteLength / DType.ElementSize();

    internal long[] ShapeArray => _shape;

    /// <inheritdoc />
    public override string ToString() =>
        $"{Name}: {DType.ToHeaderName()} [{string.Join(", ", _shape)}] at [{Begin}, {End})";
}
