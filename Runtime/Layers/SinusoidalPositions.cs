using System;
using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Composer.Layers;

/// <summary>
/// The fixed positional encoding of the Transformer paper, interleaved:
/// PE(p, 2i) = sin(p / 10000^(2i/C)), PE(p, 2i+1) = cos(p / 10000^(2i/C)). No parameters; the table is a
/// non-persistent buffer (it moves with <c>to()</c> but is not in the state dict) and grows on demand.
/// </summary>
public sealed class SinusoidalPositions : nn.Module<Tensor, Tensor>
{
    private readonly int _width;
    [ComponentName(Name = "table")] private Tensor _table;

    /// <summary>
    /// Creates the encoding for <paramref name="width"/> channels (even), with the table computed up front
    /// for <paramref name="length"/> positions (the model's maximum length) so forward passes allocate nothing lasting.
    /// </summary>
    public SinusoidalPositions(ModuleContext context, int width, int length = 1024) : base("SinusoidalPositions")
    {
        if (width <= 0 || width % 2 != 0) throw new ArgumentOutOfRangeException(nameof(width), width, "sinusoidal positions need a positive, even width");
        _width = width;
        _table = Table(Math.Max(length, 1), context.DType, context.Device);
        this.RegisterBuffer("table", _table, persistent: false);
    }

    /// <summary>The encodings of positions [offset, offset + length), (length, C).</summary>
    public Tensor Encodings(long offset, long length)
    {
        long needed = offset + length;
        if (_table.shape[0] < needed)
        {
            var grown = Table(Math.Max(needed, 2 * _table.shape[0]), _table.dtype, _table.device).DetachFromDisposeScope();
            _table.Dispose();
            _table = grown;
            ConditionallyRegisterBuffer("table", _table, persistent: false);
        }
        return _table.narrow(0, offset, length);
    }

    /// <summary>Adds the encodings of positions [0, T) to <paramref name="x"/> (B, T, C).</summary>
    public override Tensor forward(Tensor x) => x + Encodings(0, x.shape[1]);

    /// <summary>Adds the encodings of positions [offset, offset + T) to <paramref name="x"/> (B, T, C): decoding from position <paramref name="offset"/>.</summary>
    public Tensor forward(Tensor x, long offset) => x + Encodings(offset, x.shape[1]);

    private Tensor Table(long length, ScalarType dtype, Device device)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var position = arange(0.0, length, 1.0, ScalarType.Float64).unsqueeze(1);                        // (L, 1)
        var frequency = (arange(0.0, _width, 2.0, ScalarType.Float64) * (-Math.Log(10000.0) / _width)).exp(); // (C/2)
        var angle = position * frequency;                                                                // (L, C/2)
        var table = stack([angle.sin(), angle.cos()], 2).reshape(length, _width);                         // interleave sin, cos
        return table.to(dtype, device).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override void RegisterComponents() { }
}
