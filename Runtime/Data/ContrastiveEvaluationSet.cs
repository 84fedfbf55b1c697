using System;
using System.Collections.Generic;
using System.Linq;

namespace Composer.Data;

/// <summary>
/// An evaluation set whose items each compare a correct and a wrong answer (the agreement task's
/// verb numbers, MIXERS.md §11a), batched by distance so accuracy per distance bucket is easy to
/// collect: for each <see cref="ContrastiveBatch"/>, <see cref="ContrastiveBatch.Judge"/> the
/// model's logits and add the result to a <see cref="ContrastiveTally"/>. As a plain
/// <see cref="IEvaluationSet"/> it gives the same batches for the loss.
/// </summary>
public sealed class ContrastiveEvaluationSet : IEvaluationSet
{
    private readonly ContrastiveTarget[] _targets;
    private readonly List<int[]> _plan;
    private readonly Func<int[], Batch> _collate;

    private ContrastiveEvaluationSet(ContrastiveTarget[] targets, List<int[]> plan, Func<int[], Batch> collate)
    {
        _targets = targets;
        _plan = plan;
        _collate = collate;
        Distances = targets.Select(t => t.Distance).Distinct().Order().ToArray();
    }

    /// <summary>
    /// A set over <paramref name="examples"/> and their <paramref name="targets"/> (same order),
    /// batched per distance by <paramref name="tokenBudget"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The lists differ in length, or an example is longer than the budget.</exception>
    public static ContrastiveEvaluationSet Create<T>(IReadOnlyList<T> examples, IReadOnlyList<ContrastiveTarget> targets, int tokenBudget)
        where T : class, IExample<T>
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(targets);
        if (examples.Count != targets.Count) throw new ArgumentException($"{examples.Count} examples but {targets.Count} contrastive targets; give one target per example");
        if (tokenBudget < 1) throw new ArgumentOutOfRangeException(nameof(tokenBudget), $"the token budget per batch must be at least 1, not {tokenBudget}");
        var items = examples.ToArray();
        var lengths = items.Select(e => e.Length).ToArray();
        int longest = lengths.Length == 0 ? 0 : lengths.Max();
        if (longest > tokenBudget) throw new ArgumentException($"an evaluation example is {longest} tokens long, more than the token budget of {tokenBudget} per batch; raise the budget");

        var plan = new List<int[]>();
        foreach (var group in Enumerable.Range(0, items.Length).GroupBy(i => targets[i].Distance).OrderBy(g => g.Key))
        {
            var members = group.ToArray();
            var groupLengths = members.Select(i => lengths[i]).ToArray();
            foreach (var batch in BatchPlanner.PlanInOrder(groupLengths, tokenBudget))
                plan.Add(batch.Select(j => members[j]).ToArray());
        }
        return new ContrastiveEvaluationSet(targets.ToArray(), plan, indices => T.Collate(indices.Select(i => items[i]).ToArray()));
    }

    /// <summary>Number of items.</summary>
    public int Count => _targets.Length;

    /// <summary>The distances present, ascending.</summary>
    public IReadOnlyList<int> Distances { get; }

    /// <summary>Every item's target, in the original order.</summary>
    public IReadOnlyList<ContrastiveTarget> Targets => _targets;

    /// <summary>Number of batches.</summary>
    public int BatchCount => _plan.Count;

    /// <summary>The batches with their comparisons, ascending distance (each disposed by the caller).</summary>
    public IEnumerable<ContrastiveBatch> ContrastiveBatches()
    {
        foreach (var indices in _plan)
            yield return new ContrastiveBatch(_collate(indices), indices.Select(i => _targets[i]).ToArray());
    }

    /// <inheritdoc />
    public IEnumerable<Batch> Batches()
    {
        foreach (var indices in _plan) yield return _collate(indices);
    }
}
