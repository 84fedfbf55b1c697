using System;
using Composer.Tensors;

namespace Composer.Layers;

/// <summary>Zeroes elements with probability p in training mode and rescales the rest; the identity in evaluation mode.</summary>
public sealed class Dropout : Module
{
    /// <summary>The drop probability.</summary>
    public double P { get; }

    /// <summary>Creates the layer.</summary>
    public Dropout(double p)
    {
        if (!(p >= 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "dropout must be in [0, 1)");
        P = p;
    }

    /// <summary>Applies dropout when training and p &gt; 0; otherwise returns the input itself.</summary>
    public Tensor Forward(Tensor x) => Training && P > 0 ? Functional.Dropout(x, P, true) : x;
}
