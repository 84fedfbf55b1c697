using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Layers;

/// <summary>Zeroes elements with probability p in training mode and rescales the rest; the identity in evaluation mode.</summary>
public sealed class Dropout : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the layer.</summary>
    public Dropout(double p) : base("Dropout")
    {
        if (!(p >= 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "dropout must be in [0, 1)");
        P = p;
    }

    /// <summary>The drop probability.</summary>
    public double P { get; }

    /// <summary>
    /// Applies dropout when training and p &gt; 0 (through <see cref="DropoutMasks"/>, so that data-parallel
    /// processes draw the masks one process would); otherwise returns the input itself (no op is recorded).
    /// </summary>
    public override Tensor forward(Tensor x) => training && P > 0 ? DropoutMasks.Apply(x, P) : x;

    /// <inheritdoc />
    protected override void RegisterComponents() { }
}
