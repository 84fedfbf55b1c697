using System;
using Composer.Tensors;

namespace Composer.Layers;

/// <summary>
/// Token vectors (<c>torch.nn.Embedding</c>), optionally scaled by √C as in the Transformer paper;
/// parameter <c>weight</c> (count, dim) initialised N(0, 1/dim) like fairseq.
/// </summary>
public sealed class Embedding : Module
{
    private readonly double _scale;

    /// <summary>The table, (count, dim).</summary>
    public Tensor Weight { get; }
    /// <summary>Vector width.</summary>
    public int Dim { get; }

    /// <summary>Creates the table; <paramref name="scaled"/> multiplies looked-up vectors by √dim.</summary>
    public Embedding(ModuleContext context, int count, int dim, bool scaled = false)
    {
        if (count <= 0 || dim <= 0)
            throw new ArgumentOutOfRangeException(nameof(count), $"Embedding needs positive sizes, got {count} × {dim}");
        Dim = dim;
        _scale = scaled ? Math.Sqrt(dim) : 1.0;
        Weight = RegisterParameter("weight", Initialise.Normal(context, [count, dim], 1.0 / Math.Sqrt(dim)));
    }

    /// <summary>Looks up int64 indices of any shape; returns (…, dim).</summary>
    public Tensor Forward(Tensor indices)
    {
        var vectors = Functional.Embedding(indices, Weight);
        return _scale == 1.0 ? vectors : vectors * _scale;
    }
}
