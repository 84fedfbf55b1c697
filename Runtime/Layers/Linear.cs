using System;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Composer.Layers;

/// <summary>y = x Wᵀ + b (<c>torch.nn.Linear</c>); parameters <c>weight</c> (out, in) and <c>bias</c> (out).</summary>
public sealed class Linear : nn.Module<Tensor, Tensor>
{
    // Fields named by their registered names, so Module.to() rebinds them to the moved parameters.
    [ComponentName(Name = "weight")] private Parameter _weight;
    [ComponentName(Name = "bias")] private Parameter? _bias;

    /// <summary>Creates the layer with PyTorch's default initialisation, U(−1/√in, 1/√in) for weight and bias.</summary>
    public Linear(ModuleContext context, int inFeatures, int outFeatures, bool bias = true) : base("Linear")
    {
        if (inFeatures <= 0 || outFeatures <= 0)
            throw new ArgumentOutOfRangeException(nameof(inFeatures), $"Linear needs positive sizes, got {inFeatures} → {outFeatures}");
        double bound = 1.0 / Math.Sqrt(inFeatures);
        _weight = this.RegisterParameter("weight", Initialise.Uniform(context, [outFeatures, inFeatures], bound));
        if (bias) _bias = this.RegisterParameter("bias", Initialise.Uniform(context, [outFeatures], bound));
    }

    /// <summary>The weight, (out, in).</summary>
    public Parameter Weight => _weight;

    /// <summary>The bias, (out), or null.</summary>
    public Parameter? Bias => _bias;

    /// <summary>Applies the layer to the last dimension of <paramref name="x"/>.</summary>
    public override Tensor forward(Tensor x) => nn.functional.linear(x, _weight, _bias);

    /// <inheritdoc />
    protected override void RegisterComponents() { }
}
