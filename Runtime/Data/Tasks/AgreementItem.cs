using System.Collections.Generic;

namespace Composer.Data.Tasks;

/// <summary>
/// One agreement sequence (MIXERS.md §11a): <c>[BOS] w* SUBJ (w | A)^(d−1) VERB</c>, whose answer is
/// the verb form of the subject's number.
/// </summary>
/// <param name="Tokens">The sequence, ending with VERB (the answer is not included).</param>
/// <param name="Number">The subject's number: 0 singular, 1 plural.</param>
/// <param name="Distance">d: VERB's position minus the subject's.</param>
/// <param name="SubjectPosition">Where the subject is.</param>
internal sealed record AgreementItem(int[] Tokens, int Number, int Distance, int SubjectPosition)
{
    /// <summary>Longest filler prefix, which moves the subject so absolute positions give nothing away.</summary>
    public const int MaxPrefix = 8;
    /// <summary>Chance that a token between subject and verb is an attractor rather than a filler.</summary>
    public const double AttractorProbability = 0.3;
    /// <summary>Chance that the token just before VERB is forced to an attractor of the opposite number (defeats "copy the nearest noun").</summary>
    public const double ForcedAttractorProbability = 0.5;

    /// <summary>Position of VERB (the last token), where a language model predicts the answer.</summary>
    public int VerbPosition => Tokens.Length - 1;

    /// <summary>The correct answer token.</summary>
    public int Answer => AgreementVocabulary.Answer(Number);

    /// <summary>The wrong answer token.</summary>
    public int WrongAnswer => AgreementVocabulary.Answer(1 - Number);

    /// <summary>Draws an item at subject–verb distance <paramref name="distance"/> (≥ 1).</summary>
    public static AgreementItem Sample(SeededRandom random, int distance)
    {
        var tokens = new List<int>(MaxPrefix + distance + 2) { SpecialTokens.Bos };
        int prefix = random.Between(0, MaxPrefix);
        for (int i = 0; i < prefix; i++) tokens.Add(AgreementVocabulary.Filler(random.Next(AgreementVocabulary.Fillers)));

        int number = random.Next(2);
        int subjectPosition = tokens.Count;
        tokens.Add(AgreementVocabulary.Subject(random.Next(AgreementVocabulary.Stems), number));

        // Attractor numbers are a fair coin, independent of the subject's.
        for (int i = 1; i < distance; i++)
            tokens.Add(random.Chance(AttractorProbability)
                ? AgreementVocabulary.Attractor(random.Next(AgreementVocabulary.Stems), random.Next(2))
                : AgreementVocabulary.Filler(random.Next(AgreementVocabulary.Fillers)));
        if (distance >= 2 && random.Chance(ForcedAttractorProbability))
            tokens[^1] = AgreementVocabulary.Attractor(random.Next(AgreementVocabulary.Stems), 1 - number);

        tokens.Add(AgreementVocabulary.Verb);
        return new AgreementItem(tokens.ToArray(), number, distance, subjectPosition);
    }
}
