using System;
using Composer.Tensors;

namespace Composer.Layers;

/// <summary>
/// The position-wise feed-forward sublayer: <c>fc2(dropout(act(fc1(x))))</c>, C → inner → C
/// (fairseq's names <c>fc1</c>, <c>fc2</c>).
/// </summary>
public sealed class FeedForward : Module
{
    private readonly Activation _activation;
    private readonly Dropout _dropout;

    /// <summary>C → inner.</summary>
    public Linear Fc1 { get; }
    /// <summary>inner → C.</summary>
    public Linear Fc2 { get; }

    /// <summary>Creates the sublayer.</summary>
    public FeedForward(ModuleContext context, int width, int inner, Activation activation = Activation.Gelu, double activationDropout = 0)
    {
        _activation = activation;
        Fc1 = RegisterModule("fc1", new Linear(context, width, inner));
        Fc2 = RegisterModule("fc2", new Linear(context, inner, width));
        _dropout = RegisterModule("dropout", new Dropout(activationDropout));
    }

    /// <summary>(…, C) → (…, C).</summary>
    public Tensor Forward(Tensor x)
    {
        var hidden = Fc1.Forward(x);
        hidden = _activation switch
        {
            Activation.Relu => hidden.Relu(),
            Activation.Gelu => hidden.Gelu(),
            Activation.Silu => hidden.Silu(),
            _ => throw new ArgumentOutOfRangeException(nameof(_activation), _activation, "unknown activation"),
        };
        return Fc2.Forward(_dropout.Forward(hidden));
    }
}
