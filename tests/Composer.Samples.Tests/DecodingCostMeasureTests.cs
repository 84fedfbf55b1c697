using System;
using System.Linq;
using Composer.Bench;
using Composer.Data;
using Composer.Layers;
using Composer.Models;
using Composer.Samples.Probes;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Samples.Tests;

/// <summary>
/// The measuring code of <c>bench/run decode</c> (bench/Decode/DecodingCostMeasure.cs, shared as source) on a
/// short run: one time per position, and the tokens it fed are the model's own greedy continuation. Nothing
/// here is timed against a bound: the machine is shared.
/// </summary>
public class DecodingCostMeasureTests
{
    [Theory]
    [InlineData("AttentionProbe")]
    [InlineData("LinearAttentionProbe")]
    [InlineData("LightConvProbe")]
    [InlineData("DynamicConvProbe")]
    [InlineData("RecurrentProbe")]
    public void AShortRunTimesEveryPositionOfTheModelsGreedyDecoding(string name)
    {
        ModelEntry[] probes = [AttentionProbe.Entry, LinearAttentionProbe.Entry, LightConvProbe.Entry, DynamicConvProbe.Entry, RecurrentProbe.Entry];
        var entry = probes.Single(p => p.Description.Name == name);
        const int Length = 12;
        manual_seed(3);
        using var model = entry.Create(ModuleContext.Cpu);
        var lm = (ILanguageModel)model;

        var run = DecodingCostMeasure.Measure(lm, Length, rounds: 2);

        Assert.Equal(Length, run.MillisecondsPerPosition.Length);
        Assert.All(run.MillisecondsPerPosition, ms => Assert.True(double.IsFinite(ms) && ms > 0, $"a step took {ms} ms"));
        Assert.Equal(Length, run.Tokens.Length);
        Assert.Equal(SpecialTokens.Bos, run.Tokens[0]);
        // Each fed token is the argmax of the full forward pass over the tokens before it: Measure decodes
        // greedily through Step and its state, and what it timed is that decoding.
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var logits = lm.forward(tensor(run.Tokens, [1, Length]), null);                  // (1, T, V)
        var greedy = logits.argmax(-1)[0].data<long>().ToArray();
        Assert.Equal(greedy.Take(Length - 1), run.Tokens.Skip(1));
    }

    [Fact]
    public void GrowthIsTheLastTenthsMeanOverTheFirstTenths()
    {
        // 20 positions: tenths of 2; the first two average 1.5, the last two 6.
        double[] ms = [1, 2, .. Enumerable.Repeat(4.0, 16), 5, 7];
        Assert.Equal(4.0, DecodingCostMeasure.Growth(ms), 12);
        // Fewer than ten positions: one position each.
        Assert.Equal(3.0, DecodingCostMeasure.Growth([2, 9, 6]), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => DecodingCostMeasure.Measure(null!, 0, 1));
    }
}
