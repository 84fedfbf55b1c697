using System;
using System.Collections.Generic;
using System.Linq;
using Composer.Generation;
using Composer.Tests.Harness;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Tests.Generation;

/// <summary>Greedy, sampled and beam-search generation through Step, against brute force on a state-dependent model.</summary>
public class GenerationTests
{
    private static readonly long[][] Prompts = [[1, 3], [4, 0], [2, 2]];

    [Fact]
    public void GreedyFollowsTheMostLikelyTokenOfTheWholeHistory()
    {
        using var model = new HistoryLm(seed: 1);
        var generated = SequenceGenerator.Continue(model, Prompts, maxNewTokens: 6, SamplingOptions.Greedy);
        for (int b = 0; b < Prompts.Length; b++)
        {
            var history = new List<long>(Prompts[b]);
            foreach (var token in generated[b])
            {
                var logProbs = model.LogProbs(history);
                Assert.Equal(Array.IndexOf(logProbs, logProbs.Max()), (int)token);
                history.Add(token);
            }
            Assert.Equal(6, generated[b].Length);
        }
    }

    [Fact]
    public void AStopTokenEndsASequence()
    {
        using var model = new HistoryLm(seed: 1);
        var greedy = SequenceGenerator.Continue(model, Prompts, 6, SamplingOptions.Greedy);
        long stop = greedy[0][1];
        var stopped = SequenceGenerator.Continue(model, Prompts, 6, SamplingOptions.Greedy, stopToken: stop);
        Assert.Equal(greedy[0].Take(Array.IndexOf(greedy[0], stop) + 1), stopped[0]);
    }

    [Fact]
    public void SamplingIsReproducibleBySeedAndTopKOfOneIsGreedy()
    {
        using var model = new HistoryLm(seed: 2);
        manual_seed(11);
        var first = SequenceGenerator.Continue(model, Prompts, 20, new SamplingOptions(Temperature: 1.0));
        manual_seed(11);
        var second = SequenceGenerator.Continue(model, Prompts, 20, new SamplingOptions(Temperature: 1.0));
        Assert.Equal(first, second);
        var greedy = SequenceGenerator.Continue(model, Prompts, 20, SamplingOptions.Greedy);
        Assert.NotEqual(greedy, first);
        Assert.Equal(greedy, SequenceGenerator.Continue(model, Prompts, 20, new SamplingOptions(TopK: 1)));
        Assert.Equal(greedy, SequenceGenerator.Continue(model, Prompts, 20, new SamplingOptions(TopP: 1e-6)));
    }

    [Fact]
    public void SamplingDrawsFromTheSoftmax()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var logits = tensor(new[] { 0f, (float)Math.Log(3) }, [1, 2]).expand(20000, 2);
        var draws = TokenSampler.Next(logits, new SamplingOptions()).data<long>().ToArray();
        double ones = draws.Count(d => d == 1) / (double)draws.Length;
        Assert.InRange(ones, 0.74, 0.76);  // p(1) = 3/4; 20,000 draws put 0.75 ± 0.01 at > 99.9%
    }

    [Fact]
    public void TopKAndTopPKeepTheRightTokens()
    {
        using var scope = NewDisposeScope();
        // probabilities 0.5, 0.25, 0.125, 0.125
        var logits = tensor(new[] { (float)Math.Log(4), (float)Math.Log(2), 0, 0 }, [1, 4]);
        var topK = TokenSampler.KeepTopK(logits, 2).data<float>().ToArray();
        Assert.True(float.IsNegativeInfinity(topK[2]) && float.IsNegativeInfinity(topK[3]) && !float.IsInfinity(topK[1]));
        var topP = TokenSampler.KeepTopP(logits, 0.7).data<float>().ToArray();   // 0.5 < 0.7 ≤ 0.75: keep two
        Assert.Equal(2, topP.Count(v => !float.IsNegativeInfinity(v)));
        var atLeastOne = TokenSampler.KeepTopP(logits, 0.1).data<float>().ToArray();
        Assert.Equal(1, atLeastOne.Count(v => !float.IsNegativeInfinity(v)));
    }

    [Fact]
    public void BeamSearchWithAWideBeamFindsTheExhaustiveBest()
    {
        using var model = new HistoryLm(seed: 5);
        const int length = 3;
        var hypotheses = BeamSearch.Continue(model, Prompts, beamSize: 25, maxNewTokens: length, lengthPenalty: 0);
        for (int b = 0; b < Prompts.Length; b++)
        {
            var (bestTokens, bestScore) = Exhaustive(model, Prompts[b], length);
            Assert.Equal(bestTokens, hypotheses[b][0].Tokens);
            Assert.Equal(bestScore, hypotheses[b][0].Score, 4);
            Assert.True(hypotheses[b].Zip(hypotheses[b].Skip(1)).All(p => p.First.NormalizedScore >= p.Second.NormalizedScore));
        }
    }

    [Fact]
    public void BeamSearchWithOneBeamIsGreedy()
    {
        using var model = new HistoryLm(seed: 6);
        var greedy = SequenceGenerator.Continue(model, Prompts, 5, SamplingOptions.Greedy);
        var beams = BeamSearch.Continue(model, Prompts, beamSize: 1, maxNewTokens: 5);
        Assert.Equal(greedy, beams.Select(h => h[0].Tokens).ToArray());
    }

    [Fact]
    public void GenerationLeavesNoTensorsBehind()
    {
        using var model = new HistoryLm(seed: 7);
        long before = LiveTensors.Settled();
        SequenceGenerator.Continue(model, Prompts, 10, new SamplingOptions(TopK: 3, TopP: 0.9));
        BeamSearch.Continue(model, Prompts, 4, 10, stopToken: 0);
        Assert.Equal(before, LiveTensors.Settled());
    }

    [Fact]
    public void BadArgumentsAreClearErrors()
    {
        using var model = new HistoryLm(seed: 8);
        Assert.Contains("same length", Assert.Throws<ArgumentException>(() => SequenceGenerator.Continue(model, [[1], [1, 2]], 3, SamplingOptions.Greedy)).Message);
        Assert.Contains("at least one token", Assert.Throws<ArgumentException>(() => SequenceGenerator.Continue(model, [[]], 3, SamplingOptions.Greedy)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => SequenceGenerator.Continue(model, Prompts, 3, new SamplingOptions(TopP: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => BeamSearch.Continue(model, Prompts, 0, 3));
    }

    private static (long[] Tokens, double Score) Exhaustive(HistoryLm model, long[] prompt, int length)
    {
        long[] best = [];
        double bestScore = double.NegativeInfinity;
        void Walk(List<long> history, List<long> generated, double score)
        {
            if (generated.Count == length)
            {
                if (score > bestScore) { bestScore = score; best = generated.ToArray(); }
                return;
            }
            var logProbs = model.LogProbs(history);
            for (int v = 0; v < HistoryLm.V; v++)
            {
                history.Add(v); generated.Add(v);
                Walk(history, generated, score + logProbs[v]);
                history.RemoveAt(history.Count - 1); generated.RemoveAt(generated.Count - 1);
            }
        }
        Walk(new List<long>(prompt), new List<long>(), 0);
        return (best, bestScore);
    }
}
