using System;
using System.Collections.Generic;

namespace Composer.Data;

/// <summary>
/// Training batches over examples held in memory (TSV files, built-in tasks): every epoch visits each
/// example exactly once, in an order fixed by the seed and the epoch number, batched by a token
/// budget with length bucketing (see <see cref="BatchPlanner"/>).
/// </summary>
/// <typeparam name="T">The example kind.</typeparam>
public sealed class ExampleBatchSource<T> : IBatchSource where T : class, IExample<T>
{
    private readonly T[] _examples;
    private readonly int[] _lengths;
    private readonly int _budget;
    private readonly long _seed;
    private long _planEpoch = -1;
    private List<int[]> _plan = [];
    private long _epoch;
    private long _batch;

    /// <summary>A source over <paramref name="examples"/>, at most <paramref name="tokenBudget"/> padded tokens per batch, shuffled by <paramref name="seed"/>.</summary>
    /// <exception cref="ArgumentException">No examples, a budget below 1, or an example longer than the budget.</exception>
    public ExampleBatchSource(IReadOnlyList<T> examples, int tokenBudget, long seed)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (examples.Count == 0) throw new ArgumentException("a batch source needs at least one example", nameof(examples));
        if (tokenBudget < 1) throw new ArgumentOutOfRangeException(nameof(tokenBudget), $"the token budget per batch must be at least 1, not {tokenBudget}");
        _examples = new T[examples.Count];
        _lengths = new int[examples.Count];
        for (int i = 0; i < _examples.Length; i++)
        {
            _examples[i] = examples[i];
            _lengths[i] = examples[i].Length;
            if (_lengths[i] > tokenBudget)
                throw new ArgumentException($"example {i} is {_lengths[i]} tokens long, more than the token budget of {tokenBudget} per batch; raise the budget");
        }
        _budget = tokenBudget;
        _seed = seed;
    }

    /// <summary>The examples, in their original order.</summary>
    public IReadOnlyList<T> Examples => _examples;

    /// <summary>The most padded tokens a batch holds.</summary>
    public int TokenBudget => _budget;

    /// <inheritdoc />
    public DataPosition Position => _batch == Plan(_epoch).Count ? new(_epoch + 1, 0) : new(_epoch, _batch);

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">The position is negative or past the end of its epoch.</exception>
    public void Seek(DataPosition position)
    {
        if (position.Epoch < 0 || position.Batch < 0)
            throw new ArgumentOutOfRangeException(nameof(position), $"a data position cannot be negative (epoch {position.Epoch}, batch {position.Batch})");
        int count = Plan(position.Epoch).Count;
        if (position.Batch > count)
            throw new ArgumentOutOfRangeException(nameof(position), $"epoch {position.Epoch} has {count} batches, so batch {position.Batch} does not exist; was the checkpoint made with other data, seed or token budget?");
        _epoch = position.Epoch;
        _batch = position.Batch;
    }

    /// <inheritdoc />
    public Batch Next()
    {
        if (_batch >= Plan(_epoch).Count)
        {
            _epoch++;
            _batch = 0;
        }
        var indices = Plan(_epoch)[(int)_batch++];
        return Collate(indices);
    }

    /// <summary>The batches of <paramref name="epoch"/> as example indices (tests and diagnostics).</summary>
    internal IReadOnlyList<int[]> Plan(long epoch)
    {
        if (epoch != _planEpoch)
        {
            _plan = BatchPlanner.PlanEpoch(_lengths, _budget, new SeededRandom(_seed, SeededRandom.Streams.TrainOrder, epoch));
            _planEpoch = epoch;
        }
        return _plan;
    }

    private Batch Collate(int[] indices)
    {
        var items = new T[indices.Length];
        for (int i = 0; i < items.Length; i++) items[i] = _examples[indices[i]];
        return T.Collate(items);
    }

    /// <summary>Nothing to release: the examples are managed memory.</summary>
    public void Dispose() { }
}
