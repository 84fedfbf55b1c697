using System;
using System.Collections.Generic;
using System.Linq;
using Composer.Layers;
using Composer.Mixers;
using Composer.Tests.Harness;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Tests.Mixers;

/// <summary>
/// The attention review's score and distribution functions (ScoredAttention, ScoredCrossAttention,
/// LocationAttention) against composer_reference/review.py: every score with every distribution, encoder and
/// decoder with padding, values and every gradient; Step, Reorder and leaks; the additive scores' tiles.
/// </summary>
public class ScoredAttentionTests
{
    private const string File = "mixers_review";
    private const int Width = 8, Heads = 2, MaxLength = 8;

    private static MixerContext Context(bool causal, double dropout = 0) =>
        new(ModuleContext.Cpu, Width, Heads, MaxLength: MaxLength, Causal: causal, AttentionDropout: dropout);

    private static ScoredAttention Scored(AttentionScore score, AttentionDistribution distribution, bool causal, double dropout = 0) =>
        new(Context(causal, dropout), new ScoredAttentionOptions(score, distribution));

    private static Tensor Sequence(long batch, long length, long seed, double scale = 1) =>
        AttentionTestData.Sequence(batch, length, seed, scale);

    public static TheoryData<AttentionScore, AttentionDistribution> KeyScores()
    {
        var data = new TheoryData<AttentionScore, AttentionDistribution>();
        foreach (var score in new[] { AttentionScore.Additive, AttentionScore.General, AttentionScore.Dot, AttentionScore.ScaledDot })
            foreach (var distribution in new[] { AttentionDistribution.Softmax, AttentionDistribution.Sigmoid, AttentionDistribution.Sparsemax })
                data.Add(score, distribution);
        return data;
    }

    private static string Name(AttentionScore score) => score switch
    {
        AttentionScore.ScaledDot => "scaled_dot",
        _ => score.ToString().ToLowerInvariant(),
    };

    [Theory]
    [MemberData(nameof(KeyScores))]
    public void EncoderAndDecoderWithPaddingMatchPyTorch(AttentionScore score, AttentionDistribution distribution)
    {
        foreach (bool causal in new[] { false, true })
        {
            using var mixer = Scored(score, distribution, causal);
            mixer.eval();
            string name = $"scored_{Name(score)}_{distribution.ToString().ToLowerInvariant()}_{(causal ? "decoder" : "encoder")}";
            Reference.Check(File, name, mixer, c => mixer.forward(c.Input("x"), c.Input("padding")));
        }
    }

    [Fact]
    public void DecoderWithoutPaddingMatchesPyTorch()
    {
        using var mixer = Scored(AttentionScore.Additive, AttentionDistribution.Softmax, causal: true);
        mixer.eval();
        Reference.Check(File, "scored_additive_softmax_unpadded", mixer, c => mixer.forward(c.Input("x"), null));
    }

    [Theory]
    [InlineData(AttentionScore.Additive, AttentionDistribution.Softmax)]
    [InlineData(AttentionScore.General, AttentionDistribution.Softmax)]
    [InlineData(AttentionScore.Dot, AttentionDistribution.Softmax)]
    [InlineData(AttentionScore.ScaledDot, AttentionDistribution.Softmax)]
    [InlineData(AttentionScore.Additive, AttentionDistribution.Sigmoid)]
    [InlineData(AttentionScore.General, AttentionDistribution.Sparsemax)]
    public void CrossWithMemoryPaddingMatchesPyTorch(AttentionScore score, AttentionDistribution distribution)
    {
        using var mixer = new ScoredCrossAttention(Context(causal: false), new ScoredCrossAttentionOptions(score, distribution));
        mixer.eval();
        Reference.Check(File, $"scored_cross_{Name(score)}_{distribution.ToString().ToLowerInvariant()}", mixer,
            c => mixer.forward(c.Input("query"), c.Input("memory"), c.Input("memory_padding")));
    }

    [Theory]
    [InlineData(AttentionDistribution.Softmax)]
    [InlineData(AttentionDistribution.Sigmoid)]
    [InlineData(AttentionDistribution.Sparsemax)]
    public void LocationEncoderAndDecoderWithPaddingMatchPyTorch(AttentionDistribution distribution)
    {
        foreach (bool causal in new[] { false, true })
        {
            using var mixer = new LocationAttention(Context(causal), new LocationAttentionOptions(distribution));
            mixer.eval();
            Reference.Check(File, $"location_{distribution.ToString().ToLowerInvariant()}_{(causal ? "decoder" : "encoder")}", mixer,
                c => mixer.forward(c.Input("x"), c.Input("padding")));
        }
    }

    /// <summary>The additive scores in tiles of one, two and all queries give PyTorch's naive (B, H, T, S, D) result, gradients included.</summary>
    [Theory]
    [InlineData(2L * 3 * 7 * 4)]         // one query per tile
    [InlineData(2L * 3 * 7 * 4 * 2)]     // two: five queries make three tiles, the last one short
    [InlineData(AdditiveScores.TileElements)]
    public void AdditiveScoresInTilesMatchPyTorch(long tileElements)
    {
        Reference.Check(File, "additive_scores", c =>
        {
            var q = c.Input("q");
            Assert.Equal(tileElements == AdditiveScores.TileElements ? 5 : tileElements / (2 * 3 * 7 * 4), AdditiveScores.Tile(q, c.Input("k"), tileElements));
            return AdditiveScores.Compute(q, c.Input("k"), c.Input("w"), tileElements);
        });
    }

    [Fact]
    public void AdditiveScoresHoldOneTileOfSumsAtATime()
    {
        // 64 queries against 4096 keys of D = 16 would be 4 M sums per (batch, head): the tile holds 4 M / 65 536 = 64.
        using var q = zeros(1, 1, 64, 16);
        using var k = zeros(1, 1, 4096, 16);
        Assert.Equal(64, AdditiveScores.Tile(q, k, AdditiveScores.TileElements));
        using var longer = zeros(1, 1, 1000, 16);
        Assert.Equal(64, AdditiveScores.Tile(longer, k, AdditiveScores.TileElements));
        // Shapes only: expanded views hold one element.
        using var one = zeros(1, 1, 1, 1);
        Assert.Equal(1, AdditiveScores.Tile(one.expand(1, 1, 3, 1 << 20), one.expand(1, 1, 100, 1 << 20), AdditiveScores.TileElements));
    }

    public static TheoryData<AttentionScore, AttentionDistribution> StepCases() => new()
    {
        { AttentionScore.Additive, AttentionDistribution.Softmax },
        { AttentionScore.General, AttentionDistribution.Sigmoid },
        { AttentionScore.Dot, AttentionDistribution.Sparsemax },
        { AttentionScore.ScaledDot, AttentionDistribution.Sigmoid },
        { AttentionScore.Additive, AttentionDistribution.Sparsemax },
    };

    [Theory]
    [MemberData(nameof(StepCases))]
    public void StepMatchesCausalForward(AttentionScore score, AttentionDistribution distribution)
    {
        using var mixer = Scored(score, distribution, causal: true);
        using var x = Sequence(3, 7, seed: 41, scale: 2);
        MixerChecks.StepMatchesForward(mixer, x);
    }

    [Theory]
    [InlineData(AttentionDistribution.Softmax)]
    [InlineData(AttentionDistribution.Sparsemax)]
    public void LocationStepMatchesCausalForward(AttentionDistribution distribution)
    {
        using var mixer = new LocationAttention(Context(causal: true), new LocationAttentionOptions(distribution));
        using var x = Sequence(3, 6, seed: 42, scale: 2);
        MixerChecks.StepMatchesForward(mixer, x);
    }

    [Theory]
    [InlineData(AttentionScore.Additive, true)]
    [InlineData(AttentionScore.General, false)]
    public void CrossStepMatchesForward(AttentionScore score, bool padded)
    {
        using var mixer = new ScoredCrossAttention(Context(causal: false), new ScoredCrossAttentionOptions(score, AttentionDistribution.Softmax));
        using var query = Sequence(3, 5, seed: 43, scale: 2);
        using var memory = Sequence(3, 7, seed: 44, scale: 2);
        using var padding = AttentionTestData.Padding(7);
        CrossMixerChecks.StepMatchesForward(mixer, query, memory, padded ? padding : null);
    }

    [Theory]
    [InlineData(new long[] { 2, 0, 1 })]
    [InlineData(new long[] { 1, 1, 1 })]
    public void ReorderContinuesInTheNewOrder(long[] order)
    {
        using var scored = Scored(AttentionScore.Additive, AttentionDistribution.Sigmoid, causal: true);
        using var location = new LocationAttention(Context(causal: true), new LocationAttentionOptions());
        using var cross = new ScoredCrossAttention(Context(causal: false), new ScoredCrossAttentionOptions(AttentionScore.General));
        using var x = Sequence(3, 7, seed: 45);
        using var memory = Sequence(3, 5, seed: 46);
        using var padding = AttentionTestData.Padding(5);
        MixerChecks.ReorderContinuesInTheNewOrder(scored, x, prefix: 4, order);
        MixerChecks.ReorderContinuesInTheNewOrder(location, x, prefix: 3, order);
        CrossMixerChecks.ReorderContinuesInTheNewOrder(cross, x, memory, padding, prefix: 2, order);
    }

    [Fact]
    public void ForwardBackwardAndStepLoopLeakNothing()
    {
        using var additive = Scored(AttentionScore.Additive, AttentionDistribution.Softmax, causal: true);
        using var general = Scored(AttentionScore.General, AttentionDistribution.Sparsemax, causal: false);
        using var location = new LocationAttention(Context(causal: true), new LocationAttentionOptions(AttentionDistribution.Sigmoid));
        using var cross = new ScoredCrossAttention(Context(causal: false), new ScoredCrossAttentionOptions());
        using var x = Sequence(3, 6, seed: 47);
        using var padding = AttentionTestData.Padding(6);
        foreach (IMixer mixer in new IMixer[] { additive, general, location })
        {
            MixerChecks.ForwardBackwardLeaksNothing(mixer, x, padding);
            MixerChecks.ForwardBackwardLeaksNothing(mixer, x, null);
        }
        MixerChecks.StepLoopLeaksNothing(additive, x);
        MixerChecks.StepLoopLeaksNothing(location, x);
        CrossMixerChecks.ForwardBackwardLeaksNothing(cross, x, x, padding);
        CrossMixerChecks.StepLoopLeaksNothing(cross, x, x, padding);
    }

    [Fact]
    public void SigmoidWeightsAreIndependentAndNotNormalised()
    {
        // One head of width 1 with the identity as every projection: the logit of query t and key j is
        // x_t · x_j (dot score), so the output is Σ_j σ(x_t x_j) x_j — and a sum that a softmax would cap.
        var context = new MixerContext(ModuleContext.Cpu, 1, 1);
        using var mixer = new ScoredAttention(context, new ScoredAttentionOptions(AttentionScore.Dot, AttentionDistribution.Sigmoid));
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            foreach (var (name, p) in mixer.named_parameters())
                p.copy_(name.EndsWith("bias", StringComparison.Ordinal) ? zeros_like(p) : ones_like(p));
        }
        var x = tensor(new float[] { 1, 2, 3 }, [1, 3, 1]);
        var output = mixer.forward(x, null).data<float>().ToArray();
        for (int t = 0; t < 3; t++)
        {
            double expected = 0;
            for (int j = 0; j < 3; j++) expected += 1 / (1 + Math.Exp(-(t + 1.0) * (j + 1))) * (j + 1);
            Assert.Equal(expected, output[t], 4);
        }
        Assert.True(output[2] > 3, "sigmoid weights are not normalised, so the output can exceed every value");
    }

    [Fact]
    public void AttentionDropoutActsInTrainingOnly()
    {
        using var mixer = Scored(AttentionScore.Additive, AttentionDistribution.Softmax, causal: false, dropout: 0.5);
        using var x = Sequence(2, 6, seed: 48);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        mixer.eval();
        var eval = mixer.forward(x, null);
        Assert.True(mixer.forward(x, null).equal(eval).all().item<bool>());
        mixer.train();
        Assert.False(mixer.forward(x, null).allclose(eval));
    }

    [Fact]
    public void ParametersAreNamedAsTheReferenceNamesThem()
    {
        using var additive = Scored(AttentionScore.Additive, AttentionDistribution.Softmax, false);
        using var general = Scored(AttentionScore.General, AttentionDistribution.Softmax, false);
        using var dot = Scored(AttentionScore.Dot, AttentionDistribution.Softmax, false);
        using var location = new LocationAttention(Context(false), new LocationAttentionOptions());
        Assert.Equal(["out_proj.bias", "out_proj.weight", "qkv_proj.bias", "qkv_proj.weight", "score_vector"], Names(additive));
        Assert.Equal(["bilinear", "out_proj.bias", "out_proj.weight", "qkv_proj.bias", "qkv_proj.weight"], Names(general));
        Assert.Equal(["out_proj.bias", "out_proj.weight", "qkv_proj.bias", "qkv_proj.weight"], Names(dot));
        Assert.Equal(["location", "out_proj.bias", "out_proj.weight", "qv_proj.bias", "qv_proj.weight"], Names(location));
        Assert.Equal(new long[] { Heads, MaxLength, Width / Heads }, location.named_parameters().Single(p => p.name == "location").parameter.shape);

        // As a sorted list: TorchSharp lists a module's own parameters before its submodules'.
        static string[] Names(nn.Module module) => module.named_parameters().Select(p => p.name).Order(StringComparer.Ordinal).ToArray();
    }

    [Fact]
    public void FactsMatchAttribute()
    {
        using var scored = Scored(AttentionScore.Dot, AttentionDistribution.Softmax, false);
        using var location = new LocationAttention(Context(false), new LocationAttentionOptions());
        using var cross = new ScoredCrossAttention(Context(false), new ScoredCrossAttentionOptions());
        MixerChecks.FactsMatchAttribute(scored);
        MixerChecks.FactsMatchAttribute(location);
        MixerChecks.FactsMatchAttribute(cross);
        Assert.True(scored.Facts.AlignmentFree);
        Assert.False(location.Facts.AlignmentFree);
        Assert.Equal(MixerNeeds.Heads | MixerNeeds.MaxLength, location.Facts.Needs);
    }

    [Fact]
    public void HardAttentionIsRefusedWithWhyAndARefusedMixerLeavesNoParameters()
    {
        long before = LiveTensors.Settled();
        var error = Assert.Throws<ArgumentException>(() => Scored(AttentionScore.Additive, AttentionDistribution.Hard, false));
        Assert.Contains("score-function", error.Message);
        Assert.Contains("REINFORCE", error.Message);
        Assert.Contains("LocationAttention", Assert.Throws<ArgumentException>(() => Scored(AttentionScore.Location, AttentionDistribution.Softmax, false)).Message);
        Assert.Contains("score-function", Assert.Throws<ArgumentException>(() => new LocationAttention(Context(false), new LocationAttentionOptions(AttentionDistribution.Hard))).Message);
        Assert.Contains("MaxLength", Assert.Throws<ArgumentException>(() => new LocationAttention(new MixerContext(ModuleContext.Cpu, Width, Heads), new LocationAttentionOptions())).Message);
        Assert.Equal(before, LiveTensors.Count);
    }
}
