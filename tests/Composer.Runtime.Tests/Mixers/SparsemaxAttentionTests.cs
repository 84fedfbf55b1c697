using Composer.Mixers;
using Composer.Tests.Harness;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using static Composer.Tests.Mixers.AttentionTestData;

namespace Composer.Tests.Mixers;

/// <summary>Sparsemax attention against composer_reference/attention.py, step by step, reordered, leak-free.</summary>
public class SparsemaxAttentionTests
{
    private static SparsemaxAttention Mixer(bool causal, double dropout = 0) => new(Context(causal, dropout), new SparsemaxAttentionOptions());

    // Inputs scaled up so that scores spread and many weights are exactly zero.
    private const double Sharp = 4;

    [Fact] public void EncoderWithPaddingMatchesPyTorch() => CheckReference("sparsemax_attention_encoder", causal: false);
    [Fact] public void DecoderWithPaddingMatchesPyTorch() => CheckReference("sparsemax_attention_decoder", causal: true);
    [Fact] public void SupportsOfHundredsOfKeysMatchPyTorch() => CheckReference("sparsemax_attention_long", causal: true);

    private static void CheckReference(string caseName, bool causal)
    {
        using var mixer = Mixer(causal);
        mixer.eval();
        Reference.Check(File, caseName, mixer, c => mixer.forward(c.Input("x"), c.Input("padding")));
    }

    [Theory]
    [InlineData(7, Sharp)]
    [InlineData(100, 0.3)] // flat scores, supports beyond the first partial sort
    public void StepMatchesCausalForward(int length, double scale)
    {
        using var mixer = Mixer(causal: true);
        using var x = Sequence(3, length, seed: 11, scale);
        MixerChecks.StepMatchesForward(mixer, x);
    }

    [Fact]
    public void StepMatchesCausalForwardForOnePosition()
    {
        using var mixer = Mixer(causal: true);
        using var x = Sequence(2, 1, seed: 12, Sharp);
        MixerChecks.StepMatchesForward(mixer, x);
    }

    [Theory]
    [InlineData(new long[] { 2, 0, 1 })]
    [InlineData(new long[] { 0, 0, 2 })]
    public void ReorderContinuesInTheNewOrder(long[] order)
    {
        using var mixer = Mixer(causal: true);
        using var x = Sequence(3, 6, seed: 13, Sharp);
        MixerChecks.ReorderContinuesInTheNewOrder(mixer, x, prefix: 2, order);
    }

    [Fact]
    public void ForwardBackwardLeaksNothing()
    {
        using var mixer = Mixer(causal: false);
        using var x = Sequence(3, 6, seed: 14, Sharp);
        using var padding = Padding(6);
        MixerChecks.ForwardBackwardLeaksNothing(mixer, x, padding);
    }

    [Fact]
    public void StepLoopLeaksNothing()
    {
        using var mixer = Mixer(causal: true);
        using var x = Sequence(3, 6, seed: 15, Sharp);
        MixerChecks.StepLoopLeaksNothing(mixer, x);
    }

    [Fact]
    public void FullyPaddedSequenceGivesFiniteOutputAndGradients()
    {
        using var mixer = Mixer(causal: true);
        using var x = Sequence(1, 4, seed: 16, Sharp);
        using var scope = NewDisposeScope();
        var input = x.detach().requires_grad_();
        var output = mixer.forward(input, ones([1, 4], ScalarType.Bool));
        output.sum().backward();
        Assert.True(output.isfinite().equal(ones(output.shape, ScalarType.Bool)).all().item<bool>());
        Assert.True(input.grad!.isfinite().equal(ones(input.shape, ScalarType.Bool)).all().item<bool>());
        mixer.zero_grad(set_to_none: true);
    }

    [Fact]
    public void AttentionDropoutActsInTrainingOnly()
    {
        using var mixer = Mixer(causal: false, dropout: 0.5);
        using var x = Sequence(2, 6, seed: 17);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        mixer.eval();
        var eval = mixer.forward(x, null);
        Assert.True(mixer.forward(x, null).equal(eval).all().item<bool>());
        mixer.train();
        Assert.False(mixer.forward(x, null).allclose(eval));
    }

    [Fact]
    public void FactsMatchAttribute()
    {
        using var mixer = Mixer(causal: false);
        MixerChecks.FactsMatchAttribute(mixer);
        Assert.Equal(["qkv_proj.weight", "qkv_proj.bias", "out_proj.weight", "out_proj.bias"], SelfAttentionTests.Names(mixer));
    }
}
