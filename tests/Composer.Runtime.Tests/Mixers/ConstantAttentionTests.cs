using System;
using Composer.Layers;
using Composer.Mixers;
using Composer.Tests.Harness;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Tests.Mixers;

/// <summary>ConstantAttention against tests/reference/composer_reference/position.py (mixers_position.py).</summary>
public class ConstantAttentionTests
{
    private const string File = "mixers_position";

    private static ConstantAttention Create(bool causal, int maxLength = 8) =>
        new(new MixerContext(ModuleContext.Cpu, Width: 8, Heads: 2, MaxLength: maxLength, Causal: causal), new ConstantAttentionOptions());

    /// <summary>A mixer whose Ā is a random non-negative matrix, as a computed PAPA average would be.</summary>
    private static ConstantAttention WithRandomMatrix(bool causal)
    {
        var mixer = Create(causal);
        manual_seed(7);
        using (no_grad())
        using (var scope = NewDisposeScope())
            mixer.Matrix.copy_(rand(mixer.Matrix.shape, ScalarType.Float32));
        return mixer;
    }

    [Theory]
    [InlineData("constant_encoder", false)]
    [InlineData("constant_decoder", true)]
    [InlineData("constant_default_matrix", false)]
    [InlineData("constant_full_length", false)]
    public void MatchesPyTorchWithPadding(string caseName, bool causal)
    {
        using var mixer = Create(causal);
        Reference.Check(File, caseName, mixer, c => mixer.forward(c.Input("x"), c.Input("padding")));
    }

    [Fact]
    public void MatchesPyTorchUnpadded()
    {
        using var mixer = Create(causal: true);
        Reference.Check(File, "constant_decoder_unpadded", mixer, c => mixer.forward(c.Input("x"), null));
    }

    [Fact]
    public void StartsAsUniformAveraging()
    {
        using var scope = NewDisposeScope();
        using var encoder = Create(causal: false, maxLength: 4);
        using var decoder = Create(causal: true, maxLength: 4);
        Reference.AssertClose(encoder.Matrix, full([2, 4, 4], 0.25), "non-causal Ā");
        var causalRows = tensor(new float[] { 1, 0, 0, 0, .5f, .5f, 0, 0, 1 / 3f, 1 / 3f, 1 / 3f, 0, .25f, .25f, .25f, .25f }, [4, 4]);
        Reference.AssertClose(decoder.Matrix, causalRows.unsqueeze(0).repeat(2, 1, 1), "causal Ā");
        Assert.Contains(decoder.state_dict(), p => p.Key == "matrix");
        Assert.DoesNotContain(decoder.named_parameters(), p => p.name == "matrix");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(8)]
    public void StepMatchesCausalForward(int length)
    {
        using var mixer = WithRandomMatrix(causal: true);
        using var scope = NewDisposeScope();
        MixerChecks.StepMatchesForward(mixer, randn(3, length, 8));
    }

    [Theory]
    [InlineData(new long[] { 2, 0, 1 })]
    [InlineData(new long[] { 1, 1, 0, 2 })]
    public void ReorderContinuesInTheNewOrder(long[] order)
    {
        using var mixer = WithRandomMatrix(causal: true);
        using var scope = NewDisposeScope();
        MixerChecks.ReorderContinuesInTheNewOrder(mixer, randn(3, 6, 8), prefix: 3, order);
    }

    [Fact]
    public void LeaksNothing()
    {
        using var mixer = WithRandomMatrix(causal: true);
        using var x = randn(3, 6, 8);
        using var padding = tensor(new bool[] { false, false, false, false, false, false, false, false, false, false, true, true, true, true, false, false, false, false }, [3, 6]);
        MixerChecks.ForwardBackwardLeaksNothing(mixer, x, padding);
        MixerChecks.ForwardBackwardLeaksNothing(mixer, x, null);
        MixerChecks.StepLoopLeaksNothing(mixer, x);
    }

    [Fact]
    public void FactsMatchAttribute()
    {
        using var mixer = Create(causal: false);
        MixerChecks.FactsMatchAttribute(mixer);
        Assert.True(mixer.Facts.CausalCapable);
        Assert.Equal(MixerNeeds.Heads | MixerNeeds.MaxLength, mixer.Facts.Needs);
    }

    [Fact]
    public void LongerThanMaxLengthIsAnError()
    {
        using var mixer = Create(causal: false);
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => mixer.forward(randn(1, 9, 8), null));
        Assert.Contains("MaxLength = 8", error.Message);
    }

    [Fact]
    public void SteppingPastMaxLengthIsAnError()
    {
        using var mixer = Create(causal: true, maxLength: 2);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var state = mixer.NewState(1);
        mixer.Step(randn(1, 1, 8), state);
        mixer.Step(randn(1, 1, 8), state);
        var error = Assert.Throws<InvalidOperationException>(() => mixer.Step(randn(1, 1, 8), state));
        Assert.Contains("MaxLength = 2", error.Message);
    }

    [Fact]
    public void NonCausalMixerRefusesToStep()
    {
        using var mixer = Create(causal: false);
        Assert.Throws<InvalidOperationException>(() => mixer.NewState(1));
    }

    [Fact]
    public void NeedsMaxLengthAndDivisibleHeads()
    {
        Assert.Contains("MaxLength", Assert.Throws<ArgumentException>(() => Create(causal: false, maxLength: 0)).Message);
        Assert.Throws<ArgumentException>(() => new ConstantAttention(new MixerContext(ModuleContext.Cpu, Width: 8, Heads: 3, MaxLength: 8), new ConstantAttentionOptions()));
    }
}
