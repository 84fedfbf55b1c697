using System;

namespace Composer.Data;

/// <summary>
/// Language-model training batches from a text corpus: fixed-length windows in an order shuffled per
/// epoch by the seed, <c>budget / length</c> windows per batch. The shuffle is computed per index
/// (<see cref="IndexPermutation"/>), so it needs no memory however large the corpus, and seeking is
/// exact and immediate.
/// </summary>
public sealed class CorpusBatchSource : IBatchSource
{
    private readonly CorpusWindows _windows;
    private readonly long _seed;
    private readonly int _rows;
    private readonly long _batchesPerEpoch;
    private long _permutationEpoch = -1;
    private IndexPermutation _permutation;
    private long _epoch;
    private long _batch;

    /// <summary>
    /// Batches of the <paramref name="windowCount"/> windows of <paramref name="windowLength"/> tokens
    /// starting at window <paramref name="firstWindow"/> of <paramref name="corpus"/> (which the caller
    /// keeps open and disposes).
    /// </summary>
    /// <exception cref="ArgumentException">No windows, windows outside the corpus, or a budget smaller than one window.</exception>
    public CorpusBatchSource(TextCorpus corpus, long firstWindow, long windowCount, int windowLength, int tokenBudget, long seed)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        if (windowCount < 1) throw new ArgumentException("a batch source needs at least one window", nameof(windowCount));
        if (tokenBudget < windowLength)
            throw new ArgumentException($"the token budget per batch ({tokenBudget}) is smaller than one window of {windowLength} tokens; raise the budget or shorten the windows");
        _windows = new CorpusWindows(corpus, firstWindow, windowCount, windowLength);
        _seed = seed;
        _rows = tokenBudget / windowLength;
        _batchesPerEpoch = (windowCount + _rows - 1) / _rows;
    }

    /// <summary>Number of windows.</summary>
    public long Windows => _windows.Count;

    /// <summary>Window length T (tokens per row).</summary>
    public int WindowLength => _windows.Length;

    /// <summary>Rows per batch (the last batch of an epoch may have fewer).</summary>
    public int Rows => _rows;

    /// <summary>Batches per epoch.</summary>
    public long BatchesPerEpoch => _batchesPerEpoch;

    /// <inheritdoc />
    public DataPosition Position => _batch == _batchesPerEpoch ? new(_epoch + 1, 0) : new(_epoch, _batch);

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">The position is negative or past the end of its epoch.</exception>
    public void Seek(DataPosition position)
    {
        if (position.Epoch < 0 || position.Batch < 0)
            throw new ArgumentOutOfRangeException(nameof(position), $"a data position cannot be negative (epoch {position.Epoch}, batch {position.Batch})");
        if (position.Batch > _batchesPerEpoch)
            throw new ArgumentOutOfRangeException(nameof(position), $"an epoch has {_batchesPerEpoch} batches, so batch {position.Batch} does not exist; was the checkpoint made with other data, window length or token budget?");
        _epoch = position.Epoch;
        _batch = position.Batch;
    }

    /// <inheritdoc />
    public Batch Next()
    {
        if (_batch >= _batchesPerEpoch)
        {
            _epoch++;
            _batch = 0;
        }
        var windows = WindowsOf(_epoch, _batch++);
        return _windows.Collate(windows);
    }

    /// <summary>The window indices of batch <paramref name="batch"/> of <paramref name="epoch"/> (tests and diagnostics).</summary>
    internal long[] WindowsOf(long epoch, long batch)
    {
        if (epoch != _permutationEpoch)
        {
            _permutation = new IndexPermutation(_windows.Count, SeededRandom.Key(_seed, SeededRandom.Streams.TrainOrder, epoch));
            _permutationEpoch = epoch;
        }
        long start = batch * _rows;
        var windows = new long[Math.Min(_rows, _windows.Count - start)];
        for (int i = 0; i < windows.Length; i++) windows[i] = _permutation[start + i];
        return windows;
    }

    /// <summary>Nothing to release: the corpus belongs to whoever opened it.</summary>
    public void Dispose() { }
}
