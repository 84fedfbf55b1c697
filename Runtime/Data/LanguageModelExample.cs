using System;

namespace Composer.Data;

/// <summary>
/// A language-model example: a token sequence the model reads left to right, predicting each next
/// token. Input is <c>Tokens[..^1]</c>, target position i is <c>Tokens[i + 1]</c>; positions before
/// <see cref="LossFrom"/> are not scored (their target is <see cref="Batch.IgnoreIndex"/>), which is
/// how a task scores only the answer after a prompt.
/// </summary>
public sealed class LanguageModelExample : IExample<LanguageModelExample>
{
    /// <summary>An example; <paramref name="lossFrom"/> is the first input position whose next token is scored.</summary>
    /// <exception cref="ArgumentException">Fewer than two tokens, or <paramref name="lossFrom"/> outside the input.</exception>
    public LanguageModelExample(int[] tokens, int lossFrom = 0)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (tokens.Length < 2) throw new ArgumentException("a language-model example needs at least two tokens (an input and its next token)", nameof(tokens));
        if (lossFrom < 0 || lossFrom > tokens.Length - 2)
            throw new ArgumentOutOfRangeException(nameof(lossFrom), $"the first scored position must be an input position, 0–{tokens.Length - 2}, not {lossFrom}");
        Tokens = tokens;
        LossFrom = lossFrom;
    }

    /// <summary>The whole sequence: inputs plus the final next token.</summary>
    public int[] Tokens { get; }

    /// <summary>The first input position whose next token counts in the loss.</summary>
    public int LossFrom { get; }

    /// <summary>Input length (the sequence less its last token).</summary>
    public int Length => Tokens.Length - 1;

    /// <summary>Input (B, T) padded with <see cref="SpecialTokens.Pad"/>, target (B, T) with ignored prompt and padding.</summary>
    public static Batch Collate(ReadOnlySpan<LanguageModelExample> examples)
    {
        int rows = examples.Length, length = 0;
        var lengths = new int[rows];
        for (int r = 0; r < rows; r++) length = Math.Max(length, lengths[r] = examples[r].Length);
        var input = new long[rows * length];
        var target = new long[rows * length];
        long scored = 0;
        for (int r = 0; r < rows; r++)
        {
            var e = examples[r];
            var inRow = input.AsSpan(r * length, length);
            var outRow = target.AsSpan(r * length, length);
            inRow.Fill(SpecialTokens.Pad);
            outRow.Fill(Batch.IgnoreIndex);
            for (int i = 0; i < e.Length; i++)
            {
                inRow[i] = e.Tokens[i];
                if (i >= e.LossFrom) outRow[i] = e.Tokens[i + 1];
            }
            scored += e.Length - e.LossFrom;
        }
        return new Batch(
            BatchTensors.Longs(input, rows, length), BatchTensors.Mask(lengths, length),
            BatchTensors.Longs(target, rows, length), null, null, scored, BatchTensors.Sum(lengths));
    }
}
