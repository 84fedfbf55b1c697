using System;
using System.Linq;
using Composer.Layers;
using Composer.Mixers;
using Composer.Tests.Harness;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Tests.Mixers;

/// <summary>
/// Reformer's LSH attention against composer_reference/lsh.py (a dense mask per round there, sorted and
/// gathered chunks here): encoder and decoder with padding, values and every gradient; seeded, deterministic
/// evaluation; decoding through a full key-value cache, which equals the forward pass when the buckets show
/// every key; Reorder and leaks.
/// </summary>
public class LshAttentionTests
{
    private const string File = "mixers_lsh";
    private const int Width = 8, Heads = 2;

    private static LshAttention Mixer(bool causal, int buckets, int rounds, int chunk, int seed = 0, int layer = 0, double dropout = 0) =>
        new(new MixerContext(ModuleContext.Cpu, Width, Heads, Causal: causal, LayerIndex: layer, AttentionDropout: dropout),
            new LshAttentionOptions(buckets, rounds, chunk, seed));

    [Theory]
    [InlineData("lsh_encoder", false, 4, 2, 3)]
    [InlineData("lsh_decoder", true, 4, 2, 3)]
    [InlineData("lsh_encoder_one_round", false, 2, 1, 2)]
    [InlineData("lsh_decoder_ragged", true, 2, 3, 4)]
    public void WithPaddingMatchesPyTorch(string caseName, bool causal, int buckets, int rounds, int chunk)
    {
        using var mixer = Mixer(causal, buckets, rounds, chunk);
        mixer.eval();
        Reference.Check(File, caseName, mixer, c => mixer.forward(c.Input("x"), c.Input("padding")));
    }

    [Fact]
    public void DecoderWithoutPaddingAndARaggedLastChunkMatchesPyTorch()
    {
        using var mixer = Mixer(causal: true, buckets: 6, rounds: 3, chunk: 4);
        mixer.eval();
        Reference.Check(File, "lsh_decoder_unpadded", mixer, c => mixer.forward(c.Input("x"), null));
    }

    /// <summary>Zero rotations put every position in bucket 0 and one chunk holds the sequence: every key is in
    /// every window, so the forward pass is the full attention that decoding computes, value and gradient.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void StepMatchesCausalForwardWhenTheWindowsHoldEveryKey(int rounds)
    {
        using var mixer = Mixer(causal: true, buckets: 4, rounds: rounds, chunk: 8);
        using (no_grad()) mixer.Rotations.zero_();
        mixer.eval();
        using var x = AttentionTestData.Sequence(3, 7, seed: 61, scale: 2);
        MixerChecks.StepMatchesForward(mixer, x);
    }

    [Fact]
    public void DecodingSeesEveryEarlierPositionWhereTheBucketsShowSome()
    {
        // The documented fallback: with real buckets and small chunks a query's window is a subset of its past,
        // so the full-cache step differs from the forward pass (and agrees with it on the first position).
        using var mixer = Mixer(causal: true, buckets: 4, rounds: 1, chunk: 2);
        mixer.eval();
        using var x = AttentionTestData.Sequence(1, 12, seed: 62, scale: 2);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var full = mixer.forward(x, null);
        using var state = mixer.NewState(1);
        var stepped = cat(Enumerable.Range(0, 12).Select(t => mixer.Step(x.narrow(1, t, 1), state)).ToArray(), 1);
        Assert.True(stepped.narrow(1, 0, 1).allclose(full.narrow(1, 0, 1), rtol: 1e-5, atol: 1e-6));
        Assert.False(stepped.allclose(full, rtol: 1e-3, atol: 1e-4));
    }

    [Fact]
    public void EvaluationIsDeterministicAndSeededWhileTrainingRehashes()
    {
        using var a = Mixer(causal: false, buckets: 4, rounds: 2, chunk: 2, seed: 7, layer: 3);
        using var b = Mixer(causal: false, buckets: 4, rounds: 2, chunk: 2, seed: 7, layer: 3);
        using var otherLayer = Mixer(causal: false, buckets: 4, rounds: 2, chunk: 2, seed: 7, layer: 4);
        using var otherSeed = Mixer(causal: false, buckets: 4, rounds: 2, chunk: 2, seed: 8, layer: 3);
        Assert.True(a.Rotations.equal(b.Rotations).all().item<bool>());
        Assert.False(a.Rotations.allclose(otherLayer.Rotations));
        Assert.False(a.Rotations.allclose(otherSeed.Rotations));
        Assert.Equal(new long[] { Heads, 2, Width / Heads, 2 }, a.Rotations.shape);
        Assert.Contains("rotations", a.state_dict().Keys);
        Assert.DoesNotContain(a.named_parameters(), p => p.name == "rotations");

        // Same seed, different parameters (the global generator moved on): copy them, then compare outputs.
        using (no_grad())
        {
            var source = a.state_dict();
            foreach (var (name, p) in b.named_parameters()) p.copy_(source[name]);
        }
        using var x = AttentionTestData.Sequence(2, 16, seed: 63, scale: 2);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        a.eval();
        b.eval();
        var first = a.forward(x, null);
        Assert.True(a.forward(x, null).equal(first).all().item<bool>());
        Assert.True(b.forward(x, null).equal(first).all().item<bool>());
        a.train();
        manual_seed(1);
        var trained = a.forward(x, null);
        manual_seed(2);
        Assert.False(a.forward(x, null).allclose(trained), "training draws new rotations at every forward pass");
        manual_seed(1);
        Assert.True(a.forward(x, null).equal(trained).all().item<bool>(), "from libtorch's seeded generator");
    }

    [Fact]
    public void RealPositionsSeeTheChunksOfTheUnpaddedSequence()
    {
        // Padding hashes to a bucket of its own after every real one, so a right-padded sequence gives its real
        // positions exactly what the unpadded prefix gives them.
        using var mixer = Mixer(causal: false, buckets: 4, rounds: 2, chunk: 3);
        mixer.eval();
        using var x = AttentionTestData.Sequence(1, 14, seed: 64, scale: 2);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var padding = arange(14).ge(10).view(1, 14);
        var padded = mixer.forward(x, padding).narrow(1, 0, 10);
        var prefix = mixer.forward(x.narrow(1, 0, 10), null);
        Reference.AssertClose(padded, prefix, "real positions of a right-padded sequence vs the unpadded prefix", 1e-6);
        Assert.True(mixer.forward(x, padding).narrow(1, 10, 4).allclose(mixer.OutProjBias().expand(1, 4, Width)), "padded queries output zeros before out_proj");
    }

    [Theory]
    [InlineData(new long[] { 2, 0, 1 })]
    [InlineData(new long[] { 1, 1, 1 })]
    public void ReorderContinuesInTheNewOrder(long[] order)
    {
        using var mixer = Mixer(causal: true, buckets: 4, rounds: 2, chunk: 2);
        using var x = AttentionTestData.Sequence(3, 7, seed: 65);
        MixerChecks.ReorderContinuesInTheNewOrder(mixer, x, prefix: 4, order);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ForwardBackwardAndStepLoopLeakNothing(bool causal)
    {
        using var mixer = Mixer(causal, buckets: 4, rounds: 3, chunk: 2);
        using var x = AttentionTestData.Sequence(3, 9, seed: 66);
        using var padding = AttentionTestData.Padding(9);
        MixerChecks.ForwardBackwardLeaksNothing(mixer, x, padding);
        MixerChecks.ForwardBackwardLeaksNothing(mixer, x, null);
        mixer.train();
        MixerChecks.ForwardBackwardLeaksNothing(mixer, x, padding);
        if (causal) MixerChecks.StepLoopLeaksNothing(mixer, x);
    }

    [Fact]
    public void LongSequencesHashIntoManyChunks()
    {
        using var mixer = Mixer(causal: true, buckets: 8, rounds: 2, chunk: 16);
        mixer.eval();
        using var x = AttentionTestData.Sequence(2, 300, seed: 67);
        using var scope = NewDisposeScope();
        var input = x.detach().requires_grad_();
        var output = mixer.forward(input, null);
        Assert.Equal(new long[] { 2, 300, Width }, output.shape);
        output.sum().backward();
        Assert.True(input.grad!.isfinite().all().item<bool>());
        mixer.zero_grad(set_to_none: true);
    }

    [Fact]
    public void FactsMatchAttribute()
    {
        using var mixer = Mixer(causal: false, buckets: 2, rounds: 1, chunk: 4);
        MixerChecks.FactsMatchAttribute(mixer);
        Assert.Equal(CostClass.LogLinear, mixer.Facts.Cost);
        Assert.False(mixer.Facts.AlignmentFree);
    }

    [Theory]
    [InlineData(3, 1, 4, "even number of buckets")]
    [InlineData(0, 1, 4, "even number of buckets")]
    [InlineData(2, 0, 4, "hashing round")]
    [InlineData(2, 1, 0, "chunks of at least one")]
    public void BadOptionsAreRefusedAndLeaveNoParameters(int buckets, int rounds, int chunk, string message)
    {
        long before = LiveTensors.Settled();
        Assert.Contains(message, Assert.Throws<ArgumentOutOfRangeException>(() => Mixer(causal: false, buckets, rounds, chunk)).Message);
        Assert.Equal(before, LiveTensors.Count);
    }
}

internal static class LshAttentionTestExtensions
{
    /// <summary>out_proj's bias: what a query with a zero head output produces.</summary>
    public static Tensor OutProjBias(this LshAttention mixer) =>
        mixer.named_parameters().Single(p => p.name == "out_proj.bias").parameter;
}
