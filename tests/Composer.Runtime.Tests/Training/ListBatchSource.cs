using Composer.Data;
using static TorchSharp.torch;

namespace Composer.Tests.Training;

/// <summary>A fake <see cref="IBatchSource"/> cycling through given batches, handing out a copy each time.</summary>
internal sealed class ListBatchSource(Batch[] batches) : IBatchSource
{
    public DataPosition Position { get; private set; }

    public void Seek(DataPosition position) => Position = position;

    public Batch Next()
    {
        var b = batches[Position.Batch];
        Position = Position.Batch + 1 == batches.Length ? new DataPosition(Position.Epoch + 1, 0) : Position with { Batch = Position.Batch + 1 };
        return new Batch(Own(b.Input), b.InputPadding is null ? null : Own(b.InputPadding), Own(b.Target), null, null, b.TargetTokens, b.InputTokens);
    }

    private static Tensor Own(Tensor t) => t.clone().DetachFromDisposeScope();

    public void Dispose() { }
}
