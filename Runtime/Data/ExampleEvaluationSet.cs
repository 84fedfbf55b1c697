using System;
using System.Collections.Generic;

namespace Composer.Data;

/// <summary>
/// A fixed evaluation set of examples held in memory, batched by a token budget after sorting by
/// length (little padding, no randomness): every call to <see cref="Batches"/> gives the same batches.
/// </summary>
/// <typeparam name="T">The example kind.</typeparam>
public sealed class ExampleEvaluationSet<T> : IEvaluationSet where T : class, IExample<T>
{
    private readonly T[] _examples;
    private readonly List<int[]> _plan;

    /// <summary>An evaluation set over <paramref name="examples"/> (may be empty), at most <paramref name="tokenBudget"/> padded tokens per batch.</summary>
    /// <exception cref="ArgumentException">A budget below 1, or an example longer than the budget.</exception>
    public ExampleEvaluationSet(IReadOnlyList<T> examples, int tokenBudget)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (tokenBudget < 1) throw new ArgumentOutOfRangeException(nameof(tokenBudget), $"the token budget per batch must be at least 1, not {tokenBudget}");
        _examples = new T[examples.Count];
        var lengths = new int[examples.Count];
        for (int i = 0; i < _examples.Length; i++)
        {
            _examples[i] = examples[i];
            lengths[i] = examples[i].Length;
            if (lengths[i] > tokenBudget)
                throw new ArgumentException($"evaluation example {i} is {lengths[i]} tokens long, more than the token budget of {tokenBudget} per batch; raise the budget");
        }
        _plan = BatchPlanner.PlanInOrder(lengths, tokenBudget);
    }

    /// <summary>The examples, in their original order (for metrics beyond the loss, e.g. exact match after generation).</summary>
    public IReadOnlyList<T> Examples => _examples;

    /// <summary>Number of batches <see cref="Batches"/> yields.</summary>
    public int BatchCount => _plan.Count;

    /// <summary>The example indices of each batch, in the order <see cref="Batches"/> yields them.</summary>
    public IReadOnlyList<IReadOnlyList<int>> BatchIndices => _plan;

    /// <inheritdoc />
    public IEnumerable<Batch> Batches()
    {
        foreach (var indices in _plan)
        {
            var items = new T[indices.Length];
            for (int i = 0; i < items.Length; i++) items[i] = _examples[indices[i]];
            yield return T.Collate(items);
        }
    }
}
