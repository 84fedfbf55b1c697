using System;
using Composer.Tensors;

namespace Composer.Layers;

/// <summary>y = x Wᵀ + b (<c>torch.nn.Linear</c>); parameters <c>weight</c> (out, in) and <c>bias</c> (out).</summary>
public sealed class Linear : Module
{
    /// <summary>The weight, (out, in).</summary>
    public Tensor Weight { get; }
    /// <summary>The bias, (out), or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>Creates the layer with PyTorch's default initialisation, U(−1/√in, 1/√in) for weight and bias.</summary>
    public Linear(ModuleContext context, int inFeatures, int outFeatures, bool bias = true)
    {
        if (inFeatures <= 0 || outFeatures <= 0)
            throw new ArgumentOutOfRangeException(nameof(inFeatures), $"Linear needs positive sizes, got {inFeatures} → {outFeatures}");
        double bound = 1.0 / Math.Sqrt(inFeatures);
        Weight = RegisterParameter("weight", Initialise.Uniform(context, [outFeatures, inFeatures], bound));
        if (bias) Bias = RegisterParameter("bias", Initialise.Uniform(context, [outFeatures], bound));
    }

    /// <summary>Applies the layer to the last dimension of <paramref name="x"/>.</summary>
    public Tensor Forward(Tensor x) => Functional.Linear(x, Weight, Bias);
}
