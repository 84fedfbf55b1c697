using System.Collections.Generic;
using Composer.Data;

namespace Composer.Tests.Training;

/// <summary>A fake <see cref="IEvaluationSet"/>: a few synthetic batches from their own seed, the same every time.</summary>
internal sealed class FixedEvaluationSet(int seed = 999, int batches = 3, int vocabulary = 16) : IEvaluationSet
{
    public IEnumerable<Batch> Batches()
    {
        for (int i = 0; i < batches; i++) yield return SyntheticBatches.Make(seed, 0, i, vocabulary, 4, 8);
    }
}
