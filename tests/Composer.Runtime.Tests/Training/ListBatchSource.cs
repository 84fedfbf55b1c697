using Composer.Data;

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
        return new Batch(b.Input.Clone().Persist(), b.InputPadding?.Clone().Persist(), b.Target.Clone().Persist(), null, null, b.TargetTokens);
    }

    public void Dispose() { }
}
