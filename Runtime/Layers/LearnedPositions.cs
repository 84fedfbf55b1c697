using System;
using Composer.Tensors;

namespace Composer.Layers;

/// <summary>A learned vector per position up to a maximum length; parameter <c>weight</c> (maxLength, C).</summary>
public sealed class LearnedPositions : Module
{
    /// <summary>The table, (maxLength, C).</summary>
    public Tensor Weight { get; }
    /// <summary>The longest sequence this table covers.</summary>
    public int MaxLength { get; }

    /// <summary>Creates the table, initialised N(0, 1/C).</summary>
    public LearnedPositions(ModuleContext context, int maxLength, int width)
    {
        if (maxLength <= 0) throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "learned positions need a positive maximum length");
        MaxLength = maxLength;
        Weight = RegisterParameter("weight", Initialise.Normal(context, [maxLength, width], 1.0 / Math.Sqrt(width)));
    }

    /// <summary>Adds the vectors of positions [offset, offset + T) to <paramref name="x"/> (B, T, C).</summary>
    /// <exception cref="ArgumentException">The positions run past <see cref="MaxLength"/>.</exception>
    public Tensor Forward(Tensor x, long offset = 0)
    {
        long length = x.Size(1);
        if (offset + length > MaxLength)
            throw new ArgumentException($"the sequence reaches position {offset + length - 1} but the model's learned positions stop at {MaxLength - 1}; declare a larger MaxLength or feed shorter sequences.");
        return x + Weight.Narrow(0, offset, length);
    }
}
