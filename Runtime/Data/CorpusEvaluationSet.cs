using System;
using System.Collections.Generic;

namespace Composer.Data;

/// <summary>Language-model evaluation windows of a text corpus, in file order, <c>budget / length</c> per batch.</summary>
public sealed class CorpusEvaluationSet : IEvaluationSet
{
    private readonly CorpusWindows _windows;
    private readonly int _rows;

    /// <summary>
    /// The <paramref name="windowCount"/> windows of <paramref name="windowLength"/> tokens from
    /// window <paramref name="firstWindow"/> of <paramref name="corpus"/> (kept open by the caller).
    /// </summary>
    /// <exception cref="ArgumentException">Windows outside the corpus, or a budget smaller than one window.</exception>
    public CorpusEvaluationSet(TextCorpus corpus, long firstWindow, long windowCount, int windowLength, int tokenBudget)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        if (tokenBudget < windowLength)
            throw new ArgumentException($"the token budget per batch ({tokenBudget}) is smaller than one window of {windowLength} tokens; raise the budget or shorten the windows");
        _windows = new CorpusWindows(corpus, firstWindow, windowCount, windowLength);
        _rows = tokenBudget / windowLength;
    }

    /// <summary>Number of windows.</summary>
    public long Windows => _windows.Count;

    /// <summary>Number of batches <see cref="Batches"/> yields.</summary>
    public long BatchCount => (_windows.Count + _rows - 1) / _rows;

    /// <inheritdoc />
    public IEnumerable<Batch> Batches()
    {
        for (long start = 0; start < _windows.Count; start += _rows)
        {
            var windows = new long[Math.Min(_rows, _windows.Count - start)];
            for (int i = 0; i < windows.Length; i++) windows[i] = start + i;
            yield return _windows.Collate(windows);
        }
    }
}
