using System;

namespace Composer.Data;

/// <summary>How data is read and batched; the defaults suit the sample models on a CPU.</summary>
public sealed record DataOptions
{
    /// <summary>Seeds shuffling, the validation split and built-in task generation.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>The most tokens a batch may hold, padding included (rows × longest row).</summary>
    public int TokensPerBatch { get; init; } = 4096;

    /// <summary>Language-model text files: tokens per training window (T).</summary>
    public int WindowLength { get; init; } = 256;

    /// <summary>
    /// The model's maximum sequence length, or null when it has none: longer examples are refused
    /// with their file and line, and a longer window is refused.
    /// </summary>
    public int? MaxLength { get; init; }

    /// <summary>The fraction of the training file held out for validation when no validation file is given (0 ≤ f &lt; 1).</summary>
    public double ValidationFraction { get; init; } = 0.05;

    /// <summary>Text corpora: the most bytes read at once while checking the file (it is never loaded whole).</summary>
    public int ReadBufferBytes { get; init; } = TextCorpus.DefaultReadBufferBytes;

    /// <summary>Throws for settings that cannot work.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (TokensPerBatch < 1) throw new ArgumentException($"the token budget per batch must be at least 1, not {TokensPerBatch}");
        if (WindowLength < 1) throw new ArgumentException($"the window length must be at least 1, not {WindowLength}");
        if (MaxLength is < 1) throw new ArgumentException($"the maximum length must be at least 1, not {MaxLength}");
        if (!(ValidationFraction >= 0 && ValidationFraction < 1)) throw new ArgumentException($"the validation fraction must be at least 0 and below 1, not {ValidationFraction}");
        if (ReadBufferBytes < 64) throw new ArgumentException($"the read buffer must hold at least 64 bytes, not {ReadBufferBytes}");
    }

    /// <summary>Refuses an example longer than the maximum length or the token budget; <paramref name="where"/> names it ("train.tsv:12").</summary>
    /// <exception cref="DataException">The example does not fit.</exception>
    internal void CheckLength(int length, string where)
    {
        if (MaxLength is { } max && length > max)
            throw new DataException($"{where}: the example is {length} tokens long, more than the model's maximum length of {max}; shorten or remove it");
        if (length > TokensPerBatch)
            throw new DataException($"{where}: the example is {length} tokens long, more than the token budget of {TokensPerBatch} per batch; raise the budget");
    }
}
