using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Numerics;
using Composer.Data;
using Composer.Data.Tasks;
using Composer.Models;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Tests.Data;

/// <summary>Every built-in task makes valid examples of the kinds it serves, deterministically from the seed.</summary>
public class BuiltInTaskTests
{
    private static readonly TaskOptions Small = new() { TrainExamples = 2000, ValidationExamples = 300 };

    private static string Text(int[] ids) => new(ids.Select(i => (char)i).ToArray());

    private static IReadOnlyList<Seq2SeqExample> Train(TrainingData data) => ((ExampleBatchSource<Seq2SeqExample>)data.Train).Examples;
    private static IReadOnlyList<Seq2SeqExample> Validation(TrainingData data) => ((ExampleEvaluationSet<Seq2SeqExample>)data.Validation).Examples;

    [Theory]
    [InlineData("copy")]
    [InlineData("reverse")]
    [InlineData("sort")]
    public void SymbolTasksTransformTheirSource(string name)
    {
        using var data = BuiltInTasks.Create(name, ModelKind.Seq2Seq, options: Small with { Lengths = new IntRange(3, 12) });
        Assert.Equal(2000, Train(data).Count);
        Assert.Equal(300, Validation(data).Count);
        foreach (var e in Train(data).Concat(Validation(data)))
        {
            string source = Text(e.Source), target = Text(e.Target);
            Assert.InRange(source.Length, 3, 12);
            Assert.All(source, c => Assert.InRange(c, 'a', 'z'));
            string expected = name switch
            {
                "copy" => source,
                "reverse" => new string(source.Reverse().ToArray()),
                _ => new string(source.Order().ToArray()),
            };
            Assert.Equal(expected, target);
        }
        Assert.Equal(13, data.LongestSequence);
    }

    [Fact]
    public void AdditionSumsAreCorrect()
    {
        using var data = BuiltInTasks.Create("addition", ModelKind.Seq2Seq, options: Small with { Digits = new IntRange(2, 25) });
        foreach (var e in Train(data).Concat(Validation(data)))
        {
            var parts = Text(e.Source).Split('+');
            Assert.Equal(2, parts.Length);
            foreach (var operand in parts)
            {
                Assert.InRange(operand.Length, 2, 25);
                Assert.NotEqual('0', operand[0]);
                Assert.All(operand, c => Assert.True(char.IsAsciiDigit(c)));
            }
            var sum = BigInteger.Parse(parts[0], CultureInfo.InvariantCulture) + BigInteger.Parse(parts[1], CultureInfo.InvariantCulture);
            Assert.Equal(sum.ToString(CultureInfo.InvariantCulture), Text(e.Target));
        }
    }

    [Fact]
    public void SingleDigitOperandsIncludeZero()
    {
        using var data = BuiltInTasks.Create("addition", ModelKind.Seq2Seq, options: new TaskOptions { Digits = new IntRange(1, 1), TrainExamples = 50, ValidationExamples = 1 });
        Assert.Contains(Train(data), e => Text(e.Source).StartsWith("0+", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("copy")]
    [InlineData("addition")]
    public void ValidationSourcesNeverOccurInTraining(string name)
    {
        using var data = BuiltInTasks.Create(name, ModelKind.Seq2Seq, options: new TaskOptions { TrainExamples = 5000, ValidationExamples = 500 });
        var train = Train(data).Select(e => Text(e.Source)).ToHashSet();
        Assert.DoesNotContain(Validation(data), e => train.Contains(Text(e.Source)));
    }

    [Fact]
    public void TooSmallASpaceForUnseenValidationIsAUsageError()
    {
        var e = Assert.Throws<ArgumentException>(() => BuiltInTasks.Create("copy", ModelKind.Seq2Seq,
            options: new TaskOptions { Lengths = new IntRange(1, 1), TrainExamples = 1000, ValidationExamples = 10 }));
        Assert.Contains("too few different sources", e.Message);
    }

    [Fact]
    public void Seq2SeqBatchesHaveBosEosAndPadding()
    {
        using var data = BuiltInTasks.Create("reverse", ModelKind.Seq2Seq, options: Small);
        var examples = Train(data);
        using var batch = Seq2SeqExample.Collate([examples[0], examples[1], examples[2]]);
        long rows = 3, s = batch.Input.shape[1], t = batch.DecoderInput!.shape[1];
        Assert.Equal(examples.Take(3).Max(e => e.Source.Length), s);
        Assert.Equal(examples.Take(3).Max(e => e.Target.Length) + 1, t);
        var source = batch.Input.data<long>().ToArray();
        var decoder = batch.DecoderInput.data<long>().ToArray();
        var target = batch.Target.data<long>().ToArray();
        bool[]? sourcePad = batch.InputPadding?.data<bool>().ToArray(), targetPad = batch.DecoderPadding?.data<bool>().ToArray();
        for (int r = 0; r < rows; r++)
        {
            var e = examples[r];
            for (int i = 0; i < s; i++)
            {
                Assert.Equal(i < e.Source.Length ? e.Source[i] : SpecialTokens.Pad, source[r * s + i]);
                Assert.Equal(i >= e.Source.Length, sourcePad?[r * s + i] ?? false);
            }
            for (int i = 0; i < t; i++)
            {
                long expectedInput = i == 0 ? SpecialTokens.Bos : i <= e.Target.Length ? e.Target[i - 1] : SpecialTokens.Pad;
                long expectedTarget = i < e.Target.Length ? e.Target[i] : i == e.Target.Length ? SpecialTokens.Eos : Batch.IgnoreIndex;
                Assert.Equal(expectedInput, decoder[r * t + i]);
                Assert.Equal(expectedTarget, target[r * t + i]);
                Assert.Equal(i > e.Target.Length, targetPad?[r * t + i] ?? false);
            }
        }
        Assert.Equal(examples.Take(3).Sum(e => e.Target.Length + 1), batch.TargetTokens);
        // The model reads the source and the decoder input (BOS + target), padding excluded.
        Assert.Equal(examples.Take(3).Sum(e => e.Source.Length + e.Target.Length + 1), batch.InputTokens);
    }

    [Fact]
    public void LanguageModelFormScoresOnlyTheAnswer()
    {
        using var data = BuiltInTasks.Create("addition", ModelKind.LanguageModel, options: Small);
        var examples = ((ExampleBatchSource<LanguageModelExample>)data.Train).Examples;
        foreach (var e in examples.Take(100))
        {
            var text = Text(e.Tokens[1..^1]);
            Assert.Equal(SpecialTokens.Bos, e.Tokens[0]);
            Assert.Equal(SpecialTokens.Eos, e.Tokens[^1]);
            var parts = text.Split('=');
            Assert.Equal(parts[0].Length + 1, e.LossFrom);
            Assert.Equal('=', e.Tokens[e.LossFrom]);
        }
        using var batch = LanguageModelExample.Collate([examples[0]]);
        var input = batch.Input.data<long>().ToArray();
        var target = batch.Target.data<long>().ToArray();
        var first = examples[0];
        for (int i = 0; i < first.Length; i++)
        {
            Assert.Equal(first.Tokens[i], input[i]);
            Assert.Equal(i >= first.LossFrom ? first.Tokens[i + 1] : Batch.IgnoreIndex, target[i]);
        }
        Assert.Equal(first.Length - first.LossFrom, batch.TargetTokens);
        Assert.Equal(first.Length, batch.InputTokens); // the prompt is read too, though not scored
    }

    [Fact]
    public void SameSeedSameDataOtherSeedOtherData()
    {
        List<string> Sources(long seed)
        {
            using var data = BuiltInTasks.Create("sort", ModelKind.Seq2Seq, new DataOptions { Seed = seed }, Small);
            return Train(data).Select(e => Text(e.Source)).ToList();
        }
        Assert.Equal(Sources(1), Sources(1));
        Assert.NotEqual(Sources(1), Sources(2));
    }

    [Fact]
    public void ChoicesThatCannotWorkAreUsageErrors()
    {
        var unknown = Assert.Throws<ArgumentException>(() => BuiltInTasks.Create("translate", ModelKind.Seq2Seq));
        Assert.Equal("there is no built-in task 'translate'; the tasks are copy, reverse, sort, addition, agreement", unknown.Message);
        var kind = Assert.Throws<ArgumentException>(() => BuiltInTasks.Create("copy", ModelKind.Classifier));
        Assert.Equal("the copy task trains seq2seq models and language models, not classifiers; tasks for classifiers: agreement", kind.Message);
        var setting = Assert.Throws<ArgumentException>(() => BuiltInTasks.Create("reverse", ModelKind.Seq2Seq, options: new TaskOptions { Digits = new IntRange(1, 3) }));
        Assert.Equal("the reverse task has no Digits setting; it takes Lengths, TrainExamples, ValidationExamples", setting.Message);
        var tooLong = Assert.Throws<ArgumentException>(() => BuiltInTasks.Create("agreement", ModelKind.LanguageModel, new DataOptions { MaxLength = 64 }));
        Assert.Equal("the agreement task's longest sequence is 106 tokens, more than the model's maximum length of 64; lower MaxDistance or TestDistances", tooLong.Message);
        Assert.Equal(new IntRange(3, 9), IntRange.Parse("3..9"));
        Assert.Equal(new IntRange(4, 4), IntRange.Parse("4"));
        Assert.Throws<FormatException>(() => IntRange.Parse("9..3"));
    }

    [Fact]
    public void TaskListNamesKindsAndVocabulary()
    {
        Assert.Equal(["copy", "reverse", "sort", "addition", "agreement"], BuiltInTasks.All.Select(t => t.Name));
        Assert.All(BuiltInTasks.All, t => Assert.True(t.Vocabulary <= 256));
        Assert.Equal([ModelKind.LanguageModel, ModelKind.Classifier], BuiltInTasks.Find("Agreement")!.Kinds);
        Assert.Null(BuiltInTasks.Find("nope"));
        Assert.Same(AgreementVocabulary.Instance, BuiltInTasks.Find("agreement")!.Tokenizer);
        Assert.Same(ByteTokenizer.Instance, BuiltInTasks.Find("addition")!.Tokenizer);
    }
}
