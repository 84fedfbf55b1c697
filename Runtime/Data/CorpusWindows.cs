using System;

namespace Composer.Data;

/// <summary>
/// Fixed-length language-model windows over a range of a <see cref="TextCorpus"/>: window i holds
/// <c>length + 1</c> bytes from <c>(first + i) × length</c>; its first <c>length</c> bytes are the
/// input and its last <c>length</c> bytes the targets, so consecutive windows tile the text and
/// every byte after the first is predicted once per epoch.
/// </summary>
internal sealed class CorpusWindows
{
    public CorpusWindows(TextCorpus corpus, long first, long count, int length)
    {
        if (length < 1) throw new ArgumentOutOfRangeException(nameof(length), $"the window length must be at least 1, not {length}");
        if (first < 0 || count < 0 || (first + count) * length + 1 > corpus.Length && count > 0)
            throw new ArgumentOutOfRangeException(nameof(count), $"windows {first}–{first + count} of {length} bytes do not fit in {corpus.Path}");
        Corpus = corpus;
        First = first;
        Count = count;
        Length = length;
    }

    public TextCorpus Corpus { get; }
    public long First { get; }
    public long Count { get; }
    public int Length { get; }

    /// <summary>How many whole windows of <paramref name="length"/> a file of <paramref name="bytes"/> holds.</summary>
    public static long Fit(long bytes, int length) => bytes <= length ? 0 : (bytes - 1) / length;

    /// <summary>The bytes of window <paramref name="index"/> (relative to <see cref="First"/>).</summary>
    public void Read(long index, Span<byte> destination) => Corpus.Read((First + index) * Length, destination[..(Length + 1)]);

    /// <summary>A batch of the given windows: input (B, T), target (B, T), nothing padded.</summary>
    public Batch Collate(ReadOnlySpan<long> windows)
    {
        int rows = windows.Length, t = Length;
        var bytes = new byte[t + 1];
        var input = new long[rows * t];
        var target = new long[rows * t];
        for (int r = 0; r < rows; r++)
        {
            Read(windows[r], bytes);
            for (int i = 0; i < t; i++)
            {
                input[r * t + i] = bytes[i];
                target[r * t + i] = bytes[i + 1];
            }
        }
        return new Batch(BatchTensors.Longs(input, rows, t), null, BatchTensors.Longs(target, rows, t), null, null, (long)rows * t, (long)rows * t);
    }
}
