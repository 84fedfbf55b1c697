using System.Collections.Generic;

namespace Composer.Data;

/// <summary>A fixed validation or test set: the same batches in the same order every time.</summary>
public interface IEvaluationSet
{
    /// <summary>The batches (each disposed by the caller).</summary>
    IEnumerable<Batch> Batches();
}
