using System.Linq;
using Composer.Data;
using Composer.Layers;
using Composer.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Tests.Distributed;

/// <summary>How a global batch is split between ranks, and dropout that does not see the split.</summary>
public class ShardingTests
{
    [Theory]
    [InlineData(8, 2)]
    [InlineData(8, 3)]
    [InlineData(5, 4)]
    [InlineData(2, 3)]
    public void EveryRowFallsToExactlyOneRankInOrder(int rows, int ranks)
    {
        var shares = Enumerable.Range(0, ranks).Select(r => DataParallel.RowsOf(rows, r, ranks)).ToArray();
        long next = 0;
        foreach (var (offset, count) in shares)
        {
            if (count == 0) continue;
            Assert.Equal(next, offset);
            next += count;
        }
        Assert.Equal(rows, next);
        Assert.True(shares.Max(s => s.Count) - shares.Min(s => s.Count) <= 1, "shares differ by more than one row");
    }

    [Fact]
    public void ABatchsRowsKeepTheirCounts()
    {
        using var scope = NewDisposeScope();
        var input = arange(12).reshape(3, 4);
        var padding = tensor(new[] { false, false, false, false, false, false, true, true, false, true, true, true }).reshape(3, 4);
        var target = tensor(new long[] { 1, 2, 3, 4, 5, 6, Batch.IgnoreIndex, Batch.IgnoreIndex, 7, Batch.IgnoreIndex, Batch.IgnoreIndex, Batch.IgnoreIndex }).reshape(3, 4);
        using var batch = new Batch(input, padding, target, null, null, TargetTokens: 7, InputTokens: 7);
        using var rows = batch.Rows(1, 2);
        Assert.Equal(2, rows.Size);
        Assert.Equal(3, rows.TargetTokens);
        Assert.Equal(3, rows.InputTokens);
        Assert.Equal(new long[] { 4, 5, 6, 7, 8, 9, 10, 11 }, rows.Input.data<long>().ToArray());
        Assert.Equal(3, batch.Size);   // the original batch is untouched
    }

    [Fact]
    public void ShardedDropoutKeepsTheWholeBatchsMaskRowsAndTheGeneratorInStep()
    {
        using var scope = NewDisposeScope();
        var x = randn(6, 5, 4);
        manual_seed(11);
        var whole = nn.functional.dropout(x, 0.3, training: true);
        double afterWhole = rand(1).item<float>();

        foreach (var (offset, count) in new[] { (0L, 3L), (3L, 3L), (2L, 1L) })
        {
            manual_seed(11);
            Tensor part;
            using (DropoutMasks.ForRows(offset, count, 6))
            {
                Assert.True(DropoutMasks.Sharded);
                part = DropoutMasks.Apply(x.narrow(0, offset, count), 0.3);
            }
            Assert.False(DropoutMasks.Sharded);
            Assert.True(part.eq(whole.narrow(0, offset, count)).all().item<bool>(), $"rows [{offset}, {offset + count}) differ from the whole batch's");
            Assert.Equal(afterWhole, rand(1).item<float>());
        }
    }
}
