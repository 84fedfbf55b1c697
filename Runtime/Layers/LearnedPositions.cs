using System;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Composer.Layers;

/// <summary>A learned vector per position up to a maximum length; parameter <c>weight</c> (maxLength, C).</summary>
public sealed class LearnedPositions : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "weight")] private Parameter _weight;

    /// <summary>Creates the table, initialised N(0, 1/C).</summary>
    public LearnedPositions(ModuleContext context, int maxLength, int width) : base("LearnedPositions")
    {
        if (maxLength <= 0) throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "learned positions need a positive maximum length");
        MaxLength = maxLength;
        _weight = this.RegisterParameter("weight", Initialise.Normal(context, [maxLength, width], 1.0 / Math.Sqrt(width)));
    }

    /// <summary>The table, (maxLength, C).</summary>
    public Parameter Weight => _weight;

    /// <summary>The longest sequence this table covers.</summary>
    public int MaxLength { get; }

    /// <summary>Adds the vectors of positions [0, T) to <paramref name="x"/> (B, T, C).</summary>
    public override Tensor forward(Tensor x) => forward(x, 0);

    /// <summary>Adds the vectors of positions [offset, offset + T) to <paramref name="x"/> (B, T, C).</summary>
    /// <exception cref="ArgumentException">The positions run past <see cref="MaxLength"/>.</exception>
    public Tensor forward(Tensor x, long offset)
    {
        long length = x.shape[1];
        if (offset + length > MaxLength)
            throw new ArgumentException($"the sequence reaches position {offset + length - 1} but the model's learned positions stop at {MaxLength - 1}; declare a larger MaxLength or feed shorter sequences.");
        return x + _weight.narrow(0, offset, length);
    }

    /// <inheritdoc />
    protected override void RegisterComponents() { }
}
