using System;
using Composer.Tensors;

namespace Composer.Layers;

/// <summary>
/// The fixed positional encoding of the Transformer paper, interleaved:
/// PE(p, 2i) = sin(p / 10000^(2i/C)), PE(p, 2i+1) = cos(p / 10000^(2i/C)). No parameters; the table
/// grows on demand and is not part of the state dict.
/// </summary>
public sealed class SinusoidalPositions : Module
{
    private readonly ModuleContext _context;
    private readonly int _width;
    private Tensor? _table;

    /// <summary>
    /// Creates the encoding for <paramref name="width"/> channels (even), with the table computed up front
    /// for <paramref name="length"/> positions (the model's maximum length) so forward passes allocate nothing lasting.
    /// </summary>
    public SinusoidalPositions(ModuleContext context, int width, int length = 1024)
    {
        if (width <= 0 || width % 2 != 0) throw new ArgumentOutOfRangeException(nameof(width), width, "sinusoidal positions need a positive, even width");
        _context = context;
        _width = width;
        Grow(Math.Max(length, 1));
    }

    /// <summary>The encodings of positions [offset, offset + length), (length, C).</summary>
    public Tensor Encodings(long offset, long length)
    {
        long needed = offset + length;
        if (_table is null || _table.Size(0) < needed) Grow(Math.Max(needed, 2 * (_table?.Size(0) ?? 64)));
        return _table!.Narrow(0, offset, length);
    }

    /// <summary>Adds the encodings of positions [offset, offset + T) to <paramref name="x"/> (B, T, C).</summary>
    public Tensor Forward(Tensor x, long offset = 0) => x + Encodings(offset, x.Size(1));

    private void Grow(long length)
    {
        using var scope = new TensorScope();
        using var noGrad = Torch.NoGrad();
        var position = Torch.Arange(0.0, length, 1.0, DType.Float64).Unsqueeze(1);               // (L, 1)
        var frequency = (Torch.Arange(0.0, _width, 2.0, DType.Float64) * (-Math.Log(10000.0) / _width)).Exp(); // (C/2)
        var angle = position * frequency;                                                       // (L, C/2)
        var table = Torch.Stack([angle.Sin(), angle.Cos()], 2).Reshape(length, _width);          // interleave sin, cos
        var next = table.To(_context.Device, _context.DType).Persist();
        _table?.Dispose();
        _table = next;
    }

    /// <summary>Releases the cached table.</summary>
    protected override void DisposeExtra() => _table?.Dispose();
}
