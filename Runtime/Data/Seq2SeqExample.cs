using System;

namespace Composer.Data;

/// <summary>
/// A seq2seq example: a source sequence and the target sequence to produce. Batched, the decoder
/// reads <see cref="SpecialTokens.Bos"/> + target and predicts target + <see cref="SpecialTokens.Eos"/>.
/// </summary>
public sealed class Seq2SeqExample : IExample<Seq2SeqExample>
{
    /// <summary>An example; the source must not be empty (the target may be: the model then learns to stop at once).</summary>
    /// <exception cref="ArgumentException">Empty source.</exception>
    public Seq2SeqExample(int[] source, int[] target)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        if (source.Length == 0) throw new ArgumentException("a seq2seq example needs a non-empty source", nameof(source));
        Source = source;
        Target = target;
    }

    /// <summary>Source tokens (the encoder's input).</summary>
    public int[] Source { get; }

    /// <summary>Target tokens, without BOS or EOS.</summary>
    public int[] Target { get; }

    /// <summary>The longer of the source and the decoder sequence (target + 1).</summary>
    public int Length => Math.Max(Source.Length, Target.Length + 1);

    /// <summary>Source (B, S) with its padding; decoder input BOS + target (B, T) with its padding; target + EOS (B, T).</summary>
    public static Batch Collate(ReadOnlySpan<Seq2SeqExample> examples)
    {
        int rows = examples.Length, sourceLength = 0, targetLength = 0;
        var sourceLengths = new int[rows];
        var targetLengths = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            sourceLength = Math.Max(sourceLength, sourceLengths[r] = examples[r].Source.Length);
            targetLength = Math.Max(targetLength, targetLengths[r] = examples[r].Target.Length + 1);
        }
        var items = examples.ToArray();
        var source = BatchTensors.Tokens(rows, sourceLength, r => items[r].Source, SpecialTokens.Pad);
        var decoderInput = BatchTensors.Tokens(rows, targetLength, r => items[r].Target, SpecialTokens.Pad, prefix: SpecialTokens.Bos);
        var target = BatchTensors.Tokens(rows, targetLength, r => items[r].Target, Batch.IgnoreIndex, suffix: SpecialTokens.Eos);
        // Every target token plus EOS is scored; the decoder reads BOS plus every target token, as many.
        long scored = BatchTensors.Sum(targetLengths);
        return new Batch(source, BatchTensors.Mask(sourceLengths, sourceLength), target,
            decoderInput, BatchTensors.Mask(targetLengths, targetLength), scored, BatchTensors.Sum(sourceLengths) + scored);
    }
}
