using System;
using System.Linq;
using Composer.Models;

namespace Composer.Data.Tasks;

/// <summary>
/// copy, reverse and sort: a random string of lowercase letters a–z maps to itself, its reverse or
/// its letters in ascending order. Length is the difficulty: a model must carry every symbol across
/// the whole sequence.
/// </summary>
internal sealed class SymbolTask : TransductionTask
{
    // First: the instances below read it while they are constructed.
    private static readonly IntRange DefaultLengths = new(1, 20);

    /// <summary>Target = source.</summary>
    public static readonly SymbolTask Copy = new("copy", "seq2seq/LM: reproduce a random string of letters a–z", s => s.ToArray());

    /// <summary>Target = source reversed.</summary>
    public static readonly SymbolTask Reverse = new("reverse", "seq2seq/LM: reverse a random string of letters a–z", s => s.Reverse().ToArray());

    /// <summary>Target = source's letters in ascending order.</summary>
    public static readonly SymbolTask Sort = new("sort", "seq2seq/LM: sort the letters of a random string a–z", s => s.Order().ToArray());

    private readonly Func<int[], int[]> _transform;

    private SymbolTask(string name, string description, Func<int[], int[]> transform)
    {
        _transform = transform;
        Info = new TaskInfo(name, description, [ModelKind.Seq2Seq, ModelKind.LanguageModel], SpecialTokens.Vocabulary,
            [$"{nameof(TaskOptions.Lengths)} (default {DefaultLengths})", "TrainExamples (default 50000)", "ValidationExamples (default 1000)"], ByteTokenizer.Instance);
    }

    /// <inheritdoc />
    public override TaskInfo Info { get; }

    /// <summary>The target for <paramref name="source"/> (tests check tasks against this).</summary>
    public int[] Transform(int[] source) => _transform(source);

    /// <inheritdoc />
    protected override Func<SeededRandom, (int[] Source, int[] Target)> Generator(TaskOptions options, out string setting, out string settingName)
    {
        RefuseOthers(options, nameof(TaskOptions.Lengths), nameof(TaskOptions.TrainExamples), nameof(TaskOptions.ValidationExamples));
        var lengths = options.Lengths ?? DefaultLengths;
        if (lengths.Min < 1) throw new ArgumentException($"the {Info.Name} task's lengths must be at least 1, not {lengths}");
        setting = $"lengths {lengths} over a–z";
        settingName = nameof(TaskOptions.Lengths);
        return random =>
        {
            var source = new int[random.Between(lengths.Min, lengths.Max)];
            for (int i = 0; i < source.Length; i++) source[i] = 'a' + random.Next(26);
            return (source, _transform(source));
        };
    }
}
