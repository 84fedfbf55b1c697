using System;
using System.Collections.Generic;
using System.Linq;

namespace Composer.Data;

/// <summary>Accuracy of one distance bucket, with its Wilson 95% interval.</summary>
/// <param name="Distance">Subject–verb distance.</param>
/// <param name="Correct">Items the model got right.</param>
/// <param name="Total">Items evaluated.</param>
public readonly record struct ContrastiveScore(int Distance, long Correct, long Total)
{
    /// <summary>Correct / Total (0 when empty).</summary>
    public double Accuracy => Total == 0 ? 0 : (double)Correct / Total;

    /// <summary>The Wilson score interval at 95% (z = 1.96): better than ±1.96·√(p(1−p)/n) near 0 and 1 and for small n.</summary>
    public (double Low, double High) Wilson95
    {
        get
        {
            if (Total == 0) return (0, 1);
            const double z = 1.959963984540054;
            double n = Total, p = Accuracy, z2 = z * z;
            double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
            double half = z / (1 + z2 / n) * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
            return (Math.Max(0, centre - half), Math.Min(1, centre + half));
        }
    }
}

/// <summary>Collects contrastive judgements per distance (what the agreement report plots: accuracy against distance).</summary>
public sealed class ContrastiveTally
{
    private readonly SortedDictionary<int, (long Correct, long Total)> _counts = new();

    /// <summary>Adds the judgements of <paramref name="batch"/> (from <see cref="ContrastiveBatch.Judge"/>).</summary>
    public void Add(ContrastiveBatch batch, IReadOnlyList<bool> correct)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(correct);
        if (correct.Count != batch.Targets.Count) throw new ArgumentException($"{correct.Count} judgements for a batch of {batch.Targets.Count} rows");
        for (int r = 0; r < correct.Count; r++)
        {
            int d = batch.Targets[r].Distance;
            var (c, t) = _counts.GetValueOrDefault(d);
            _counts[d] = (c + (correct[r] ? 1 : 0), t + 1);
        }
    }

    /// <summary>One score per distance, ascending.</summary>
    public IReadOnlyList<ContrastiveScore> ByDistance => _counts.Select(kv => new ContrastiveScore(kv.Key, kv.Value.Correct, kv.Value.Total)).ToArray();

    /// <summary>All items together (Distance = 0).</summary>
    public ContrastiveScore Overall => new(0, _counts.Values.Sum(v => v.Correct), _counts.Values.Sum(v => v.Total));
}
