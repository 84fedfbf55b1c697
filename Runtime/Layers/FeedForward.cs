using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Layers;

/// <summary>
/// The position-wise feed-forward sublayer: <c>fc2(dropout(act(fc1(x))))</c>, C → inner → C
/// (fairseq's names <c>fc1</c>, <c>fc2</c>).
/// </summary>
public sealed class FeedForward : nn.Module<Tensor, Tensor>
{
    private readonly Activation _activation;
    private readonly Dropout _dropout;

    /// <summary>Creates the sublayer.</summary>
    public FeedForward(ModuleContext context, int width, int inner, Activation activation = Activation.Gelu, double activationDropout = 0) : base("FeedForward")
    {
        _activation = activation;
        register_module("fc1", Fc1 = new Linear(context, width, inner));
        register_module("fc2", Fc2 = new Linear(context, inner, width));
        register_module("dropout", _dropout = new Dropout(activationDropout));
    }

    /// <summary>C → inner.</summary>
    public Linear Fc1 { get; }

    /// <summary>inner → C.</summary>
    public Linear Fc2 { get; }

    /// <summary>(…, C) → (…, C).</summary>
    public override Tensor forward(Tensor x)
    {
        // ReLU in place: fc1's backward needs its input, not its output, and relu's backward needs only its result.
        var hidden = Fc1.forward(x);
        hidden = _activation switch
        {
            Activation.Relu => hidden.relu_(),
            Activation.Gelu => nn.functional.gelu(hidden),
            Activation.Silu => nn.functional.silu(hidden),
            _ => throw new ArgumentOutOfRangeException(nameof(x), _activation, "unknown activation"),
        };
        return Fc2.forward(_dropout.forward(hidden));
    }

    /// <inheritdoc />
    protected override void RegisterComponents() { }
}
