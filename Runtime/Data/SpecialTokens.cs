namespace Composer.Data;

/// <summary>
/// The three token ids every Composer vocabulary reserves: padding, begin- and end-of-sequence.
/// </summary>
/// <remarks>
/// They are the bytes 0xFD, 0xFE and 0xFF, which never occur in valid UTF-8 (and every text input is
/// validated as UTF-8), so with the byte-level tokenizer they cannot collide with text and the whole
/// vocabulary still fits in 256 ids: a declaration's <c>Vocabulary = 256</c> covers text, specials
/// and every built-in task. Seq2seq decoding starts from <see cref="Bos"/> and stops at
/// <see cref="Eos"/>; padded input positions hold <see cref="Pad"/> (and are also flagged in the
/// batch's padding mask, so a model never has to recognise the id).
/// </remarks>
public static class SpecialTokens
{
    /// <summary>Padding (0xFD).</summary>
    public const int Pad = 0xFD;

    /// <summary>Begin of sequence (0xFE): the first decoder input of seq2seq models and the first token of built-in task sequences.</summary>
    public const int Bos = 0xFE;

    /// <summary>End of sequence (0xFF): the last target of seq2seq examples; decoding stops when it is produced.</summary>
    public const int Eos = 0xFF;

    /// <summary>The smallest vocabulary that holds every byte and the specials.</summary>
    public const int Vocabulary = 256;

    /// <summary>Whether <paramref name="id"/> is one of the reserved ids.</summary>
    public static bool IsSpecial(long id) => id is Pad or Bos or Eos;
}
