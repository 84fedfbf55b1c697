using System;

namespace Composer.Data;

/// <summary>A classification example: a token sequence and its class id.</summary>
public sealed class ClassifierExample : IExample<ClassifierExample>
{
    /// <summary>An example.</summary>
    /// <exception cref="ArgumentException">No tokens, or a negative class.</exception>
    public ClassifierExample(int[] tokens, int @class)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (tokens.Length == 0) throw new ArgumentException("a classification example needs at least one token", nameof(tokens));
        ArgumentOutOfRangeException.ThrowIfNegative(@class);
        Tokens = tokens;
        Class = @class;
    }

    /// <summary>The sequence to classify.</summary>
    public int[] Tokens { get; }

    /// <summary>The class id.</summary>
    public int Class { get; }

    /// <summary>Number of tokens.</summary>
    public int Length => Tokens.Length;

    /// <summary>Input (B, T) with its padding; target (B) class ids.</summary>
    public static Batch Collate(ReadOnlySpan<ClassifierExample> examples)
    {
        int rows = examples.Length, length = 0;
        var lengths = new int[rows];
        var classes = new long[rows];
        for (int r = 0; r < rows; r++)
        {
            length = Math.Max(length, lengths[r] = examples[r].Length);
            classes[r] = examples[r].Class;
        }
        var items = examples.ToArray();
        var input = BatchTensors.Tokens(rows, length, r => items[r].Tokens, SpecialTokens.Pad);
        return new Batch(input, BatchTensors.Mask(lengths, length), BatchTensors.Longs(classes, rows), null, null, rows, BatchTensors.Sum(lengths));
    }
}
