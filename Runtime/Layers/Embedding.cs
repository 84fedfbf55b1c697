using System;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Composer.Layers;

/// <summary>
/// Token vectors (<c>torch.nn.Embedding</c>), optionally scaled by √C as in the Transformer paper;
/// parameter <c>weight</c> (count, dim) initialised N(0, 1/dim) like fairseq.
/// </summary>
public sealed class Embedding : nn.Module<Tensor, Tensor>
{
    private readonly Scalar? _scale;
    [ComponentName(Name = "weight")] private Parameter _weight;

    /// <summary>Creates the table; <paramref name="scaled"/> multiplies looked-up vectors by √dim.</summary>
    public Embedding(ModuleContext context, int count, int dim, bool scaled = false) : base("Embedding")
    {
        if (count <= 0 || dim <= 0)
            throw new ArgumentOutOfRangeException(nameof(count), $"Embedding needs positive sizes, got {count} × {dim}");
        Dim = dim;
        // One native scalar for the module's life: `x * double` would make (and leak to the finalizer) one per call.
        if (scaled) _scale = Math.Sqrt(dim);
        _weight = this.RegisterParameter("weight", Initialise.Normal(context, [count, dim], 1.0 / Math.Sqrt(dim)));
    }

    /// <summary>The table, (count, dim).</summary>
    public Parameter Weight => _weight;

    /// <summary>Vector width.</summary>
    public int Dim { get; }

    /// <summary>Looks up int64 indices of any shape; returns (…, dim).</summary>
    public override Tensor forward(Tensor indices)
    {
        // at::embedding's own composition: one gather of rows, viewed back to the indices' shape.
        // Scaled in place: index_select's backward needs the indices, not its output.
        long[] shape = [.. indices.shape, Dim];
        var rows = _weight.index_select(0, indices.reshape(-1));
        if (_scale is not null) rows.mul_(_scale);
        return rows.view(shape);
    }

    /// <inheritdoc />
    protected override void RegisterComponents() { }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) _scale?.Dispose();
        base.Dispose(disposing);
    }
}
