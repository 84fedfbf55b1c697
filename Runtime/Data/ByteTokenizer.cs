using System;
using System.Text;

namespace Composer.Data;

/// <summary>
/// The default tokenizer: no vocabulary file, every UTF-8 byte is its own id (0–255). Valid UTF-8
/// never contains the bytes 0xFD–0xFF, which is why <see cref="SpecialTokens"/> can live there.
/// </summary>
public sealed class ByteTokenizer : ITokenizer
{
    /// <summary>The tokenizer (it has no state).</summary>
    public static ByteTokenizer Instance { get; } = new();

    private ByteTokenizer() { }

    /// <inheritdoc />
    public int Vocabulary => SpecialTokens.Vocabulary;

    /// <summary>The UTF-8 bytes of <paramref name="text"/>.</summary>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Widen(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>
    /// The ids of UTF-8 <paramref name="bytes"/> after checking them; <paramref name="where"/> names
    /// the input for the error ("train.tsv:12") and <paramref name="offset"/> is the bytes' position
    /// in it, so the error gives the absolute offset of the bad byte.
    /// </summary>
    /// <exception cref="DataException">The bytes are not valid UTF-8.</exception>
    public static int[] EncodeUtf8(ReadOnlySpan<byte> bytes, string where, long offset = 0)
    {
        int bad = Utf8Check.FindInvalid(bytes);
        if (bad >= 0) throw new DataException($"{where}: {Utf8Check.Describe(offset + bad, bytes[bad])}");
        return Widen(bytes);
    }

    /// <summary>Text for <paramref name="ids"/>: bytes decoded as UTF-8 (invalid sequences become U+FFFD), specials as <c>&lt;bos&gt;</c> etc.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside 0–255.</exception>
    public string Decode(ReadOnlySpan<long> ids)
    {
        var text = new StringBuilder(ids.Length);
        var run = new byte[ids.Length];
        int count = 0;
        foreach (long id in ids)
        {
            if (id is < 0 or >= SpecialTokens.Vocabulary)
                throw new ArgumentOutOfRangeException(nameof(ids), $"token id {id} is not a byte; the byte tokenizer's ids are 0–255");
            if (SpecialTokens.IsSpecial(id))
            {
                text.Append(Encoding.UTF8.GetString(run, 0, count));
                count = 0;
                text.Append(SpecialName(id));
            }
            else run[count++] = (byte)id;
        }
        return text.Append(Encoding.UTF8.GetString(run, 0, count)).ToString();
    }

    /// <summary>Decodes int ids (as examples hold them).</summary>
    public string Decode(ReadOnlySpan<int> ids)
    {
        var wide = new long[ids.Length];
        for (int i = 0; i < ids.Length; i++) wide[i] = ids[i];
        return Decode(wide);
    }

    internal static string SpecialName(long id) => id switch
    {
        SpecialTokens.Pad => "<pad>",
        SpecialTokens.Bos => "<bos>",
        _ => "<eos>",
    };

    private static int[] Widen(ReadOnlySpan<byte> bytes)
    {
        var ids = new int[bytes.Length];
        for (int i = 0; i < bytes.Length; i++) ids[i] = bytes[i];
        return ids;
    }
}
