using System;
using Composer.Data;
using static TorchSharp.torch;

namespace Composer.Tests.Training;

/// <summary>
/// A fake <see cref="IBatchSource"/>: sequences following x[t+1] = (3·x[t] + 1) mod V from a random
/// start, some rows shorter than the others (padded, their targets ignored). Each batch is a pure
/// function of (seed, epoch, index), so <see cref="Seek"/> is exact. Uses its own managed generator,
/// never libtorch's, so it cannot disturb the trainer's random state.
/// </summary>
internal sealed class SyntheticBatches(int seed, int vocabulary = 16, int batchSize = 4, int length = 8, int batchesPerEpoch = 10) : IBatchSource
{
    public DataPosition Position { get; private set; }

    public void Seek(DataPosition position) => Position = position;

    public Batch Next()
    {
        var batch = Make(seed, Position.Epoch, Position.Batch, vocabulary, batchSize, length);
        Position = Position.Batch + 1 == batchesPerEpoch ? new DataPosition(Position.Epoch + 1, 0) : Position with { Batch = Position.Batch + 1 };
        return batch;
    }

    /// <summary>Batch <paramref name="index"/> of <paramref name="epoch"/>, tensors detached from any dispose scope (owned by the batch).</summary>
    public static Batch Make(int seed, long epoch, long index, int vocabulary, int batchSize, int length)
    {
        // Not HashCode.Combine: it is seeded at random per process, which made every batch, and whether
        // two batches differ in their target counts, change from one test run to the next.
        var random = new Random(unchecked((int)(((seed * 1_000_003L) ^ (epoch * 7_919L)) * 31L + index)));
        var input = new long[batchSize * length];
        var target = new long[batchSize * length];
        var padded = new bool[batchSize * length];
        long targets = 0, inputs = 0;
        for (int b = 0; b < batchSize; b++)
        {
            int used = b == 0 ? length : random.Next(length / 2, length + 1);
            inputs += used;
            long x = random.Next(vocabulary);
            for (int t = 0; t < length; t++)
            {
                long next = (3 * x + 1) % vocabulary;
                int i = b * length + t;
                if (t < used)
                {
                    input[i] = x;
                    target[i] = next;
                    targets++;
                }
                else
                {
                    input[i] = 0;
                    target[i] = Batch.IgnoreIndex;
                    padded[i] = true;
                }
                x = next;
            }
        }
        long[] shape = [batchSize, length];
        return new Batch(tensor(input, shape).DetachFromDisposeScope(), tensor(padded, shape).DetachFromDisposeScope(),
            tensor(target, shape).DetachFromDisposeScope(), null, null, targets, inputs);
    }

    public void Dispose() { }
}
