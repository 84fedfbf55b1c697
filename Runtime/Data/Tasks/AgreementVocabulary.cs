using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Composer.Data.Tasks;

/// <summary>
/// The synthetic word vocabulary of the agreement task (MIXERS.md §11a), one token per word:
/// subject nouns <c>n0</c>–<c>n19</c> (singular) and <c>n0s</c>–<c>n19s</c> (plural), attractor nouns
/// <c>a0</c>–<c>a19</c> / <c>a0s</c>–<c>a19s</c> (disjoint stems), fillers <c>w0</c>–<c>w29</c>, the verb
/// slot <c>VERB</c> and the answers <c>is</c> (singular) and <c>are</c> (plural). Text is the words
/// separated by spaces; the reserved ids are the usual <see cref="SpecialTokens"/>.
/// </summary>
public sealed class AgreementVocabulary : ITokenizer
{
    /// <summary>Stems per noun kind.</summary>
    public const int Stems = 20;
    /// <summary>Filler words.</summary>
    public const int Fillers = 30;

    /// <summary>First subject id (singular stems, then plural stems).</summary>
    public const int SubjectBase = 0;
    /// <summary>First attractor id (singular stems, then plural stems).</summary>
    public const int AttractorBase = SubjectBase + 2 * Stems;
    /// <summary>First filler id.</summary>
    public const int FillerBase = AttractorBase + 2 * Stems;
    /// <summary>The verb slot whose next token is the answer.</summary>
    public const int Verb = FillerBase + Fillers;
    /// <summary>The singular answer, "is".</summary>
    public const int VerbSingular = Verb + 1;
    /// <summary>The plural answer, "are".</summary>
    public const int VerbPlural = Verb + 2;

    /// <summary>The vocabulary (stateless).</summary>
    public static AgreementVocabulary Instance { get; } = new();

    private static readonly Dictionary<string, int> s_ids = BuildIds();

    private AgreementVocabulary() { }

    /// <summary>256: the words use ids 0–112 and the specials sit at 253–255 as in every Composer vocabulary.</summary>
    public int Vocabulary => SpecialTokens.Vocabulary;

    /// <summary>The subject noun of <paramref name="stem"/> in <paramref name="number"/> (0 singular, 1 plural).</summary>
    public static int Subject(int stem, int number) => SubjectBase + number * Stems + stem;
    /// <summary>The attractor noun of <paramref name="stem"/> in <paramref name="number"/>.</summary>
    public static int Attractor(int stem, int number) => AttractorBase + number * Stems + stem;
    /// <summary>Filler word <paramref name="index"/>.</summary>
    public static int Filler(int index) => FillerBase + index;
    /// <summary>The answer agreeing with <paramref name="number"/>.</summary>
    public static int Answer(int number) => VerbSingular + number;

    /// <summary>Whether <paramref name="id"/> is a subject noun.</summary>
    public static bool IsSubject(int id) => id is >= SubjectBase and < AttractorBase;
    /// <summary>Whether <paramref name="id"/> is an attractor noun.</summary>
    public static bool IsAttractor(int id) => id is >= AttractorBase and < FillerBase;
    /// <summary>Whether <paramref name="id"/> is a filler.</summary>
    public static bool IsFiller(int id) => id is >= FillerBase and < Verb;
    /// <summary>The number (0 singular, 1 plural) of a noun.</summary>
    public static int NumberOf(int noun) => IsSubject(noun) ? (noun - SubjectBase) / Stems
        : IsAttractor(noun) ? (noun - AttractorBase) / Stems
        : throw new ArgumentException($"token {noun} is not a noun", nameof(noun));

    /// <summary>The word of <paramref name="id"/>: "n3", "a7s", "w12", "VERB", "is", "&lt;bos&gt;", or "&lt;id&gt;" for an unused id.</summary>
    public static string Word(long id)
    {
        if (SpecialTokens.IsSpecial(id)) return ByteTokenizer.SpecialName(id);
        int i = (int)Math.Clamp(id, int.MinValue, int.MaxValue);
        string Noun(char kind, int offset) => string.Create(CultureInfo.InvariantCulture, $"{kind}{offset % Stems}{(offset >= Stems ? "s" : "")}");
        return i switch
        {
            _ when IsSubject(i) => Noun('n', i - SubjectBase),
            _ when IsAttractor(i) => Noun('a', i - AttractorBase),
            _ when IsFiller(i) => string.Create(CultureInfo.InvariantCulture, $"w{i - FillerBase}"),
            Verb => "VERB",
            VerbSingular => "is",
            VerbPlural => "are",
            _ => string.Create(CultureInfo.InvariantCulture, $"<{id}>"),
        };
    }

    /// <summary>The ids of space-separated words.</summary>
    /// <exception cref="DataException">A word is not in the vocabulary.</exception>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var ids = new int[words.Length];
        for (int i = 0; i < words.Length; i++)
        {
            if (!s_ids.TryGetValue(words[i], out ids[i]))
                throw new DataException($"word {i + 1} ('{words[i]}') is not in the agreement vocabulary: n0–n19 and n0s–n19s (subjects), a0–a19 and a0s–a19s (attractors), w0–w29, VERB, is, are, <bos>");
        }
        return ids;
    }

    /// <summary>The words of <paramref name="ids"/>, separated by spaces.</summary>
    public string Decode(ReadOnlySpan<long> ids)
    {
        var text = new StringBuilder();
        foreach (long id in ids)
        {
            if (text.Length > 0) text.Append(' ');
            text.Append(Word(id));
        }
        return text.ToString();
    }

    private static Dictionary<string, int> BuildIds()
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int id = 0; id <= VerbPlural; id++) ids.Add(Word(id), id);
        foreach (int special in new[] { SpecialTokens.Pad, SpecialTokens.Bos, SpecialTokens.Eos }) ids.Add(Word(special), special);
        return ids;
    }
}
