using System.Collections.Generic;

namespace Composer.Data.Tasks;

/// <summary>
/// Difficulty and size settings of built-in tasks. Leave a setting null for the task's default; a
/// setting the chosen task does not have is refused (see <see cref="TaskInfo.Settings"/>).
/// </summary>
public sealed record TaskOptions
{
    /// <summary>copy, reverse, sort: the range of sequence lengths (default 1..20).</summary>
    public IntRange? Lengths { get; init; }

    /// <summary>addition: the range of digits per operand (default 1..5).</summary>
    public IntRange? Digits { get; init; }

    /// <summary>agreement: the largest subject–verb distance in training and validation, D_train (default 48).</summary>
    public int? MaxDistance { get; init; }

    /// <summary>agreement: the distances of the test set (default 1, 2, 4, 8, 16, 24, 32, 48, 64, 96).</summary>
    public IReadOnlyList<int>? TestDistances { get; init; }

    /// <summary>agreement: test items per distance (default 1000).</summary>
    public int? TestExamplesPerDistance { get; init; }

    /// <summary>Training examples (default 50,000; agreement 20,000).</summary>
    public int? TrainExamples { get; init; }

    /// <summary>Validation examples (default 1,000), none of them a training example's source for seq2seq tasks.</summary>
    public int? ValidationExamples { get; init; }
}
