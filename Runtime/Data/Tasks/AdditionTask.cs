using System;
using System.Globalization;
using System.Numerics;
using Composer.Models;

namespace Composer.Data.Tasks;

/// <summary>
/// Multi-digit addition: "123+4567" → "4690". Each operand has a digit count drawn from the range
/// and no leading zero; the number of digits is the difficulty (the carry chain grows with it).
/// </summary>
internal sealed class AdditionTask : TransductionTask
{
    // First: the instances below read it while they are constructed.
    private static readonly IntRange DefaultDigits = new(1, 5);

    /// <summary>The task.</summary>
    public static readonly AdditionTask Instance = new();

    private AdditionTask() { }

    /// <inheritdoc />
    public override TaskInfo Info { get; } = new("addition", "seq2seq/LM: add two random decimal numbers, \"123+4567\" → \"4690\"",
        [ModelKind.Seq2Seq, ModelKind.LanguageModel], SpecialTokens.Vocabulary,
        [$"{nameof(TaskOptions.Digits)} (default {DefaultDigits})", "TrainExamples (default 50000)", "ValidationExamples (default 1000)"], ByteTokenizer.Instance);

    /// <inheritdoc />
    protected override Func<SeededRandom, (int[] Source, int[] Target)> Generator(TaskOptions options, out string setting, out string settingName)
    {
        RefuseOthers(options, nameof(TaskOptions.Digits), nameof(TaskOptions.TrainExamples), nameof(TaskOptions.ValidationExamples));
        var digits = options.Digits ?? DefaultDigits;
        if (digits.Min < 1) throw new ArgumentException($"the addition task's digits must be at least 1, not {digits}");
        setting = $"digits per operand {digits}";
        settingName = nameof(TaskOptions.Digits);
        return random =>
        {
            string a = Number(random, random.Between(digits.Min, digits.Max));
            string b = Number(random, random.Between(digits.Min, digits.Max));
            // BigInteger: the digit range is a setting, so a sum may exceed 64 bits.
            var sum = BigInteger.Parse(a, CultureInfo.InvariantCulture) + BigInteger.Parse(b, CultureInfo.InvariantCulture);
            return (Ids(a + "+" + b), Ids(sum.ToString(CultureInfo.InvariantCulture)));
        };
    }

    private static string Number(SeededRandom random, int digits)
    {
        var chars = new char[digits];
        chars[0] = (char)((digits == 1 ? '0' : '1') + random.Next(digits == 1 ? 10 : 9));
        for (int i = 1; i < digits; i++) chars[i] = (char)('0' + random.Next(10));
        return new string(chars);
    }

    private static int[] Ids(string ascii)
    {
        var ids = new int[ascii.Length];
        for (int i = 0; i < ids.Length; i++) ids[i] = ascii[i];
        return ids;
    }
}
