using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Layers;

/// <summary>
/// The residual connection around a sublayer, with its layer norm and residual dropout:
/// pre-norm <c>x + dropout(f(norm(x)))</c> or post-norm <c>norm(x + dropout(f(x)))</c>.
/// Parameters: <c>norm.weight</c>, <c>norm.bias</c>. Generated models write this wiring out inline;
/// this module is the same rule for hand-written models.
/// </summary>
public sealed class Residual : nn.Module<Tensor, Func<Tensor, Tensor>, Tensor>
{
    private readonly Dropout _dropout;

    /// <summary>Creates the connection.</summary>
    public Residual(ModuleContext context, int width, NormPlacement placement, double dropout) : base("Residual")
    {
        Placement = placement;
        register_module("norm", Norm = new LayerNorm(context, width));
        register_module("dropout", _dropout = new Dropout(dropout));
    }

    /// <summary>Where the norm sits.</summary>
    public NormPlacement Placement { get; }

    /// <summary>The layer norm.</summary>
    public LayerNorm Norm { get; }

    /// <summary>Applies <paramref name="sublayer"/> to <paramref name="x"/> with the residual connection.</summary>
    public override Tensor forward(Tensor x, Func<Tensor, Tensor> sublayer) => Placement switch
    {
        NormPlacement.Pre => x + _dropout.forward(sublayer(Norm.forward(x))),
        NormPlacement.Post => Norm.forward(x + _dropout.forward(sublayer(x))),
        _ => throw new ArgumentOutOfRangeException(nameof(x), Placement, "unknown norm placement"),
    };

    /// <inheritdoc />
    protected override void RegisterComponents() { }
}
