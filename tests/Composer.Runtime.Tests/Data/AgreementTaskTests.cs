using System;
using System.Collections.Generic;
using System.Linq;
using Composer.Data;
using Composer.Data.Tasks;
using Composer.Models;
using Xunit;
using static TorchSharp.torch;
using V = Composer.Data.Tasks.AgreementVocabulary;

namespace Composer.Tests.Data;

/// <summary>The long-range agreement task of MIXERS.md §11a: sequences, objectives and contrastive evaluation.</summary>
public class AgreementTaskTests
{
    private static readonly TaskOptions Small = new()
    {
        TrainExamples = 3000, ValidationExamples = 200, TestExamplesPerDistance = 20, TestDistances = [1, 3, 8, 40],
    };

    private static List<AgreementItem> Items(int count, int distance, long seed = 1)
    {
        var random = new SeededRandom(seed, 99);
        return Enumerable.Range(0, count).Select(_ => AgreementItem.Sample(random, distance)).ToList();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(17)]
    [InlineData(96)]
    public void ItemsHaveTheSubjectsNumberAndTheRequestedDistance(int distance)
    {
        foreach (var item in Items(300, distance))
        {
            var t = item.Tokens;
            Assert.Equal(SpecialTokens.Bos, t[0]);
            Assert.Equal(V.Verb, t[^1]);
            Assert.Equal(distance, item.Distance);
            Assert.Equal(distance, item.VerbPosition - item.SubjectPosition);
            Assert.True(V.IsSubject(t[item.SubjectPosition]));
            Assert.Equal(item.Number, V.NumberOf(t[item.SubjectPosition]));
            Assert.Single(t, V.IsSubject);
            Assert.InRange(item.SubjectPosition - 1, 0, AgreementItem.MaxPrefix);
            // The prefix holds fillers only; between subject and verb, fillers and attractors.
            Assert.All(t[1..item.SubjectPosition], id => Assert.True(V.IsFiller(id)));
            Assert.All(t[(item.SubjectPosition + 1)..^1], id => Assert.True(V.IsFiller(id) || V.IsAttractor(id)));
            Assert.Equal(V.Answer(item.Number), item.Answer);
            Assert.Equal(V.Answer(1 - item.Number), item.WrongAnswer);
        }
    }

    [Fact]
    public void AttractorsArePlacedAsSection11aSays()
    {
        const int distance = 12;
        var items = Items(20_000, distance, seed: 3);
        // The token before VERB: forced opposite attractor half the time, otherwise an ordinary slot
        // (attractor with p 0.3, of either number): P(opposite attractor) = 0.5 + 0.5 · 0.3 · 0.5.
        double oppositeBeforeVerb = items.Average(i =>
            V.IsAttractor(i.Tokens[^2]) && V.NumberOf(i.Tokens[^2]) != i.Number ? 1.0 : 0.0);
        Assert.InRange(oppositeBeforeVerb, 0.575 - 0.015, 0.575 + 0.015);

        // Other slots between subject and verb: attractors with p 0.3, numbers balanced and independent of the subject.
        var slots = items.SelectMany(i => i.Tokens[(i.SubjectPosition + 1)..^2].Select(id => (Id: id, Subject: i.Number))).ToList();
        Assert.Equal(items.Count * (distance - 2), slots.Count);
        var attractors = slots.Where(s => V.IsAttractor(s.Id)).ToList();
        Assert.InRange((double)attractors.Count / slots.Count, 0.29, 0.31);
        Assert.InRange(attractors.Average(s => V.NumberOf(s.Id)), 0.48, 0.52);
        Assert.InRange(attractors.Average(s => V.NumberOf(s.Id) == s.Subject ? 1.0 : 0.0), 0.48, 0.52);

        Assert.InRange(items.Average(i => i.Number), 0.48, 0.52);
        var prefixes = items.Select(i => i.SubjectPosition - 1).ToHashSet();
        Assert.Equal(Enumerable.Range(0, AgreementItem.MaxPrefix + 1), prefixes.Order());
    }

    [Fact]
    public void DistanceOneHasNoRoomForAnAttractor()
    {
        Assert.All(Items(200, 1), i => Assert.Equal(i.SubjectPosition + 1, i.VerbPosition));
    }

    [Fact]
    public void LanguageModelIsScoredOnlyOnTheTokenAfterVerb()
    {
        using var data = BuiltInTasks.Create("agreement", ModelKind.LanguageModel, options: Small);
        Assert.Same(V.Instance, data.Tokenizer);
        var examples = ((ExampleBatchSource<LanguageModelExample>)data.Train).Examples;
        Assert.Equal(3000, examples.Count);
        Assert.All(examples, e => Assert.InRange(e.Length - e.LossFrom, 1, 1));
        var distances = examples.Select(e => e.Tokens.Length - 2 - Array.FindIndex(e.Tokens, V.IsSubject)).ToList();
        Assert.Equal(1, distances.Min());
        Assert.Equal(AgreementTask.DefaultMaxDistance, distances.Max());

        using var batch = data.Train.Next();
        var input = batch.Input.data<long>().ToArray();
        var target = batch.Target.data<long>().ToArray();
        long rows = batch.Size, t = batch.Input.shape[1];
        Assert.Equal(rows, batch.TargetTokens);
        // Tokens are every input position the model reads, padding excluded: dozens per scored verb.
        var padding = batch.InputPadding?.data<bool>().ToArray() ?? new bool[rows * t];
        Assert.Equal(padding.LongCount(p => !p), batch.InputTokens);
        Assert.Equal(input.LongCount(id => id != SpecialTokens.Pad), batch.InputTokens);
        Assert.True(batch.InputTokens > 10 * batch.TargetTokens, $"{batch.InputTokens} tokens for {batch.TargetTokens} targets");
        for (int r = 0; r < rows; r++)
        {
            var scored = Enumerable.Range(0, (int)t).Where(i => target[r * t + i] != Batch.IgnoreIndex).ToList();
            int at = Assert.Single(scored);
            Assert.Equal(V.Verb, input[r * t + at]);
            int subject = Enumerable.Range(0, (int)t).First(i => V.IsSubject((int)input[r * t + i]));
            Assert.Equal(V.Answer(V.NumberOf((int)input[r * t + subject])), target[r * t + at]);
        }
    }

    [Fact]
    public void ClassifierLearnsTheVerbNumber()
    {
        using var data = BuiltInTasks.Create("agreement", ModelKind.Classifier, options: Small);
        Assert.Equal(["singular", "plural"], data.Labels);
        Assert.All(((ExampleBatchSource<ClassifierExample>)data.Train).Examples, e =>
        {
            Assert.Equal(V.Verb, e.Tokens[^1]);
            Assert.Equal(V.NumberOf(e.Tokens.Single(V.IsSubject)), e.Class);
        });
    }

    [Theory]
    [InlineData(ModelKind.LanguageModel)]
    [InlineData(ModelKind.Classifier)]
    public void TestSetIsContrastivePerDistance(ModelKind kind)
    {
        using var data = BuiltInTasks.Create("agreement", kind, options: Small);
        var test = data.Test!;
        Assert.Equal([1, 3, 8, 40], test.Distances);
        Assert.Equal(80, test.Count);
        Assert.IsType<ContrastiveEvaluationSet>(data.Validation);
        int rowsSeen = 0;
        foreach (var cb in test.ContrastiveBatches())
            using (cb)
            {
                Assert.Single(cb.Targets.Select(x => x.Distance).Distinct());
                var input = cb.Batch.Input.data<long>().ToArray();
                long t = cb.Batch.Input.shape[1];
                for (int r = 0; r < cb.Targets.Count; r++)
                {
                    var target = cb.Targets[r];
                    int subject = Enumerable.Range(0, (int)t).First(i => V.IsSubject((int)input[r * t + i]));
                    int number = V.NumberOf((int)input[r * t + subject]);
                    if (kind == ModelKind.LanguageModel)
                    {
                        Assert.Equal(V.Verb, input[r * t + target.Position]);
                        Assert.Equal(target.Distance, target.Position - subject);
                        Assert.Equal((V.Answer(number), V.Answer(1 - number)), (target.Correct, target.Wrong));
                    }
                    else
                    {
                        Assert.Equal(-1, target.Position);
                        Assert.Equal((number, 1 - number), (target.Correct, target.Wrong));
                    }
                }
                rowsSeen += cb.Targets.Count;
            }
        Assert.Equal(80, rowsSeen);
    }

    [Fact]
    public void JudgeComparesTheTwoAnswersAtTheVerb()
    {
        using var data = BuiltInTasks.Create("agreement", ModelKind.LanguageModel, options: Small);
        using var cb = data.Test!.ContrastiveBatches().First();
        int rows = cb.Targets.Count;
        long t = cb.Batch.Input.shape[1];
        var logits = new float[rows * t * 256];
        for (int r = 0; r < rows; r++)
        {
            var target = cb.Targets[r];
            int favoured = r % 2 == 0 ? target.Correct : target.Wrong;
            logits[(r * t + target.Position) * 256 + favoured] = 2f;
            // Other positions favour the wrong answer, so reading the wrong position would show.
            if (target.Position > 0) logits[(r * t + target.Position - 1) * 256 + (r % 2 == 0 ? target.Wrong : target.Correct)] = 5f;
        }
        bool[] judged;
        using (var scores = tensor(logits, [rows, t, 256])) judged = cb.Judge(scores);
        Assert.Equal(Enumerable.Range(0, rows).Select(r => r % 2 == 0), judged);

        var tally = new ContrastiveTally();
        tally.Add(cb, judged);
        var score = Assert.Single(tally.ByDistance);
        Assert.Equal((cb.Targets[0].Distance, (long)(rows + 1) / 2, (long)rows), (score.Distance, score.Correct, score.Total));
    }

    [Fact]
    public void JudgeReadsClassifierLogits()
    {
        using var data = BuiltInTasks.Create("agreement", ModelKind.Classifier, options: Small);
        using var cb = data.Test!.ContrastiveBatches().First();
        int rows = cb.Targets.Count;
        var logits = new float[rows * 2];
        for (int r = 0; r < rows; r++) logits[r * 2 + cb.Targets[r].Correct] = r < 3 ? -1f : 1f;
        using var scores = tensor(logits, [rows, 2]);
        Assert.Equal(Enumerable.Range(0, rows).Select(r => r >= 3), cb.Judge(scores));
        using var wrongShape = zeros(rows + 1, 2);
        Assert.Throws<ArgumentException>(() => cb.Judge(wrongShape));
    }

    [Fact]
    public void WilsonIntervalMatchesTheFormula()
    {
        var (low, high) = new ContrastiveScore(8, 50, 100).Wilson95;
        Assert.Equal(0.4038, low, 4);
        Assert.Equal(0.5962, high, 4);
        var (l0, h0) = new ContrastiveScore(8, 0, 10).Wilson95;
        Assert.Equal(0, l0, 6);
        Assert.Equal(0.2775, h0, 4);
    }

    [Fact]
    public void VocabularyRoundTripsWords()
    {
        const string text = "<bos> w3 w29 n7s a0 a19s w0 VERB are";
        var ids = V.Instance.Encode(text);
        Assert.Equal(text, V.Instance.Decode(ids.Select(i => (long)i).ToArray()));
        Assert.Equal([SpecialTokens.Bos, V.Filler(3), V.Filler(29), V.Subject(7, 1), V.Attractor(0, 0), V.Attractor(19, 1), V.Filler(0), V.Verb, V.VerbPlural], ids);
        Assert.True(V.VerbPlural < SpecialTokens.Pad);
        var e = Assert.Throws<DataException>(() => V.Instance.Encode("n3 dog"));
        Assert.StartsWith("word 2 ('dog') is not in the agreement vocabulary", e.Message);
        Assert.Equal("<200>", V.Word(200));
    }
}
