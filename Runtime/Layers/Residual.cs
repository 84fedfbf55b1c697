using System;
using Composer.Tensors;

namespace Composer.Layers;

/// <summary>
/// The residual connection around a sublayer, with its layer norm and residual dropout:
/// pre-norm <c>x + dropout(f(norm(x)))</c> or post-norm <c>norm(x + dropout(f(x)))</c>.
/// Parameters: <c>norm.weight</c>, <c>norm.bias</c>.
/// </summary>
public sealed class Residual : Module
{
    private readonly Dropout _dropout;

    /// <summary>Where the norm sits.</summary>
    public NormPlacement Placement { get; }
    /// <summary>The layer norm.</summary>
    public LayerNorm Norm { get; }

    /// <summary>Creates the connection.</summary>
    public Residual(ModuleContext context, int width, NormPlacement placement, double dropout)
    {
        Placement = placement;
        Norm = RegisterModule("norm", new LayerNorm(context, width));
        _dropout = RegisterModule("dropout", new Dropout(dropout));
    }

    /// <summary>Applies <paramref name="sublayer"/> with the residual connection.</summary>
    public Tensor Forward(Tensor x, Func<Tensor, Tensor> sublayer) => Placement switch
    {
        NormPlacement.Pre => x + _dropout.Forward(sublayer(Norm.Forward(x))),
        NormPlacement.Post => Norm.Forward(x + _dropout.Forward(sublayer(x))),
        _ => throw new ArgumentOutOfRangeException(nameof(Placement), Placement, "unknown norm placement"),
    };
}
