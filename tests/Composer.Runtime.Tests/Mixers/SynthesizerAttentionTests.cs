using System;
using Composer.Layers;
using Composer.Mixers;
using Composer.Tests.Harness;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Tests.Mixers;

/// <summary>SynthesizerAttention (random and dense) against tests/reference/composer_reference/position.py.</summary>
public class SynthesizerAttentionTests
{
    private const string File = "mixers_position";

    private static SynthesizerAttention Create(SynthesizerKind kind, bool causal, double dropout = 0) =>
        new(new MixerContext(ModuleContext.Cpu, Width: 8, Heads: 2, MaxLength: 8, Causal: causal, AttentionDropout: dropout),
            new SynthesizerAttentionOptions(kind));

    /// <summary>A mixer whose random logits are far from uniform, so the step tests see real mixing.</summary>
    private static SynthesizerAttention CreateForSteps(SynthesizerKind kind)
    {
        var mixer = Create(kind, causal: true);
        mixer.eval();
        if (kind == SynthesizerKind.Random)
        {
            using (no_grad())
            using (var scope = NewDisposeScope())
                mixer.Logits!.mul_(50.0);
        }
        return mixer;
    }

    [Theory]
    [InlineData("synthesizer_random_encoder", SynthesizerKind.Random, false)]
    [InlineData("synthesizer_random_decoder", SynthesizerKind.Random, true)]
    [InlineData("synthesizer_dense_encoder", SynthesizerKind.Dense, false)]
    [InlineData("synthesizer_dense_decoder", SynthesizerKind.Dense, true)]
    public void MatchesPyTorchWithPadding(string caseName, SynthesizerKind kind, bool causal)
    {
        using var mixer = Create(kind, causal);
        Reference.Check(File, caseName, mixer, c => mixer.forward(c.Input("x"), c.Input("padding")));
    }

    [Fact]
    public void MatchesPyTorchAtFullLength()
    {
        using var mixer = Create(SynthesizerKind.Random, causal: true);
        Reference.Check(File, "synthesizer_random_full_length", mixer, c => mixer.forward(c.Input("x"), null));
    }

    [Theory]
    [InlineData(SynthesizerKind.Random, 1)]
    [InlineData(SynthesizerKind.Random, 8)]
    [InlineData(SynthesizerKind.Dense, 1)]
    [InlineData(SynthesizerKind.Dense, 8)]
    public void StepMatchesCausalForward(SynthesizerKind kind, int length)
    {
        using var mixer = CreateForSteps(kind);
        using var scope = NewDisposeScope();
        MixerChecks.StepMatchesForward(mixer, randn(3, length, 8));
    }

    [Theory]
    [InlineData(SynthesizerKind.Random, new long[] { 2, 0, 1 })]
    [InlineData(SynthesizerKind.Random, new long[] { 0, 0, 2, 2 })]
    [InlineData(SynthesizerKind.Dense, new long[] { 1, 2, 0 })]
    [InlineData(SynthesizerKind.Dense, new long[] { 1, 1 })]
    public void ReorderContinuesInTheNewOrder(SynthesizerKind kind, long[] order)
    {
        using var mixer = CreateForSteps(kind);
        using var scope = NewDisposeScope();
        MixerChecks.ReorderContinuesInTheNewOrder(mixer, randn(3, 7, 8), prefix: 4, order);
    }

    [Theory]
    [InlineData(SynthesizerKind.Random)]
    [InlineData(SynthesizerKind.Dense)]
    public void LeaksNothing(SynthesizerKind kind)
    {
        using var mixer = Create(kind, causal: true);
        using var x = randn(2, 5, 8);
        using var padding = tensor(new bool[] { false, false, false, false, false, false, false, false, true, true }, [2, 5]);
        MixerChecks.ForwardBackwardLeaksNothing(mixer, x, padding);
        MixerChecks.ForwardBackwardLeaksNothing(mixer, x, null);
        MixerChecks.StepLoopLeaksNothing(mixer, x);
    }

    [Fact]
    public void DropoutActsInTrainingOnly()
    {
        using var mixer = Create(SynthesizerKind.Random, causal: false, dropout: 0.5);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = randn(2, 6, 8);
        mixer.eval();
        var first = mixer.forward(x, null);
        Assert.True(first.equal(mixer.forward(x, null)).all().item<bool>(), "evaluation mode must be deterministic");
        mixer.train();
        Assert.False(first.allclose(mixer.forward(x, null)), "training mode with attention dropout 0.5 must change the output");
    }

    [Fact]
    public void ParametersByKind()
    {
        using var random = Create(SynthesizerKind.Random, causal: false);
        using var dense = Create(SynthesizerKind.Dense, causal: false);
        Assert.Equal(["logits", "v_proj.weight", "v_proj.bias", "out_proj.weight", "out_proj.bias"], Names(random));
        Assert.Equal(["w1", "b1", "w2", "b2", "v_proj.weight", "v_proj.bias", "out_proj.weight", "out_proj.bias"], Names(dense));
        Assert.Equal([2L, 8, 8], random.Logits!.shape);
        Assert.Equal([2L, 8, 8], dense.W1!.shape);
        Assert.Equal([2L, 8, 8], dense.W2!.shape);
    }

    private static string[] Names(nn.Module module) => System.Linq.Enumerable.ToArray(System.Linq.Enumerable.Select(module.named_parameters(), p => p.name));

    [Fact]
    public void FactsMatchAttribute()
    {
        using var mixer = Create(SynthesizerKind.Dense, causal: true);
        MixerChecks.FactsMatchAttribute(mixer);
        Assert.True(mixer.Facts.CausalCapable);
        Assert.False(mixer.Facts.AlignmentFree);
    }

    [Fact]
    public void LongerThanMaxLengthIsAnError()
    {
        using var mixer = Create(SynthesizerKind.Dense, causal: false);
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => mixer.forward(randn(1, 9, 8), null));
    }

    [Fact]
    public void NonCausalMixerRefusesToStep()
    {
        using var mixer = Create(SynthesizerKind.Random, causal: false);
        Assert.Throws<InvalidOperationException>(() => mixer.NewState(2));
    }
}
