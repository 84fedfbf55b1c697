using Composer.Tensors;

namespace Composer.Layers;

/// <summary>Layer normalisation over the last dimension (<c>torch.nn.LayerNorm</c>); parameters <c>weight</c> and <c>bias</c>.</summary>
public sealed class LayerNorm : Module
{
    private readonly long _dim;
    private readonly double _eps;

    /// <summary>The scale γ, (dim), initialised to ones.</summary>
    public Tensor Weight { get; }
    /// <summary>The shift β, (dim), initialised to zeros.</summary>
    public Tensor Bias { get; }

    /// <summary>Creates the layer.</summary>
    public LayerNorm(ModuleContext context, int dim, double eps = 1e-5)
    {
        _dim = dim;
        _eps = eps;
        Weight = RegisterParameter("weight", Initialise.Ones(context, [dim]));
        Bias = RegisterParameter("bias", Initialise.Zeros(context, [dim]));
    }

    /// <summary>Normalises the last dimension.</summary>
    public Tensor Forward(Tensor x) => Functional.LayerNorm(x, [_dim], Weight, Bias, _eps);
}
