using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Composer.Layers;

/// <summary>Layer normalisation over the last dimension (<c>torch.nn.LayerNorm</c>); parameters <c>weight</c> and <c>bias</c>.</summary>
public sealed class LayerNorm : nn.Module<Tensor, Tensor>
{
    private readonly long[] _shape;
    private readonly double _eps;
    [ComponentName(Name = "weight")] private Parameter _weight;
    [ComponentName(Name = "bias")] private Parameter _bias;

    /// <summary>Creates the layer: γ = 1, β = 0.</summary>
    public LayerNorm(ModuleContext context, int dim, double eps = 1e-5) : base("LayerNorm")
    {
        _shape = [dim];
        _eps = eps;
        _weight = this.RegisterParameter("weight", Initialise.Ones(context, [dim]));
        _bias = this.RegisterParameter("bias", Initialise.Zeros(context, [dim]));
    }

    /// <summary>The scale γ, (dim).</summary>
    public Parameter Weight => _weight;

    /// <summary>The shift β, (dim).</summary>
    public Parameter Bias => _bias;

    /// <summary>Normalises the last dimension.</summary>
    public override Tensor forward(Tensor x) => nn.functional.layer_norm(x, _shape, _weight, _bias, _eps);

    /// <inheritdoc />
    protected override void RegisterComponents() { }
}
