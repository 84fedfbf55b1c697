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
/// The checks lightweight and dynamic convolution share (same padding, state and option rules); each
/// derived class names its mixer, its reference cases' prefix and its parameter names.
/// </summary>
public abstract class ConvolutionMixerTests<TMixer> where TMixer : nn.Module<Tensor, Tensor?, Tensor>, IIncrementalMixer<ConvolutionWindow>
{
    private const int Width = 8, Heads = 2;

    /// <summary>The case-name prefix in tests/reference/mixers_conv.py.</summary>
    protected abstract string Prefix { get; }

    /// <summary>The parameter names of the PyTorch reference module, in registration order.</summary>
    protected abstract string[] ParameterNames { get; }

    protected abstract TMixer Construct(MixerContext context, bool glu, bool weightSoftmax);

    private TMixer Create(int kernel, bool causal, bool glu = true, bool weightSoftmax = true, double weightDropout = 0) =>
        Construct(new MixerContext(ModuleContext.Cpu, Width, Heads, kernel, Causal: causal, WeightDropout: weightDropout), glu, weightSoftmax);

    [Theory]
    [InlineData("encoder", 5, false, true, true, true)]
    [InlineData("decoder", 5, true, true, true, true)]
    [InlineData("encoder_even_kernel", 4, false, true, true, true)]
    [InlineData("encoder_short", 7, false, true, true, true)]
    [InlineData("decoder_short", 7, true, true, true, true)]
    [InlineData("kernel_one", 1, true, true, true, false)]
    [InlineData("no_glu_no_softmax", 3, true, false, false, true)]
    [InlineData("encoder_long", 3, false, true, true, true)]
    [InlineData("decoder_long", 3, true, true, true, true)]
    public void MatchesPyTorch(string name, int kernel, bool causal, bool glu, bool weightSoftmax, bool padded)
    {
        using var mixer = Create(kernel, causal, glu, weightSoftmax);
        Reference.Check("mixers_conv", Prefix + "_" + name, mixer, c => mixer.forward(c.Input("x"), padded ? c.Input("padding") : null));
    }

    [Theory]
    [InlineData(5, 9)]
    [InlineData(7, 3)]
    [InlineData(1, 4)]
    [InlineData(3, 70)]
    public void StepMatchesCausalForward(int kernel, int time)
    {
        using var mixer = Create(kernel, causal: true);
        using var scope = NewDisposeScope();
        MixerChecks.StepMatchesForward(mixer, randn(3, time, Width));
    }

    [Theory]
    [InlineData(new long[] { 2, 0, 1 })]
    [InlineData(new long[] { 1, 1, 0, 2 })]
    public void ReorderContinuesInTheNewOrder(long[] order)
    {
        using var mixer = Create(5, causal: true);
        using var scope = NewDisposeScope();
        MixerChecks.ReorderContinuesInTheNewOrder(mixer, randn(3, 8, Width), prefix: 3, order);
    }

    [Fact]
    public void ForwardBackwardLeaksNothing()
    {
        using var mixer = Create(5, causal: false);
        using var x = randn(2, 9, Width);
        // Sequence 1 padded at its last two positions.
        using var padding = tensor(Enumerable.Range(0, 18).Select(i => i >= 16).ToArray(), [2, 9]);
        MixerChecks.ForwardBackwardLeaksNothing(mixer, x, padding);
        MixerChecks.ForwardBackwardLeaksNothing(mixer, x, null);
    }

    [Fact]
    public void StepLoopLeaksNothing()
    {
        using var mixer = Create(5, causal: true);
        using var x = randn(2, 7, Width);
        MixerChecks.StepLoopLeaksNothing(mixer, x);
    }

    [Fact]
    public void FactsMatchAttribute()
    {
        using var mixer = Create(3, causal: true);
        MixerChecks.FactsMatchAttribute(mixer);
        Assert.True(mixer.Facts.CausalCapable);
        Assert.False(mixer.Facts.AlignmentFree);
        Assert.Equal(CostClass.Window, mixer.Facts.Cost);
    }

    [Fact]
    public void ParametersHavePyTorchNames()
    {
        // The names of tests/reference/composer_reference/convolution.py: weights load by name.
        using var mixer = Create(3, causal: true);
        Assert.Equal(ParameterNames, mixer.named_parameters().Select(p => p.name));
    }

    [Fact]
    public void DropConnectChangesTheOutputOnlyWhileTraining()
    {
        using var mixer = Create(5, causal: false, weightDropout: 0.5);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = randn(2, 9, Width);
        mixer.eval();
        var first = mixer.forward(x, null);
        Assert.True(mixer.forward(x, null).equal(first).all().item<bool>(), "eval mode must be deterministic");
        mixer.train();
        manual_seed(1);
        Assert.False(mixer.forward(x, null).allclose(first), "DropConnect must change the output while training");
    }

    [Fact]
    public void EncoderCannotDecode()
    {
        using var mixer = Create(3, causal: false);
        Assert.Throws<InvalidOperationException>(() => mixer.NewState(1));
    }

    [Fact]
    public void BadArgumentsAreReported()
    {
        Assert.Throws<ArgumentException>(() => Construct(new MixerContext(ModuleContext.Cpu, 8, Heads: 3, Kernel: 3), true, true));
        Assert.Throws<ArgumentException>(() => Construct(new MixerContext(ModuleContext.Cpu, 8, Heads: 2, Kernel: 0), true, true));
        using var mixer = Create(3, causal: true);
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => mixer.forward(randn(2, 5, 6), null));
        Assert.Contains("(B, T, 8)", error.Message);
        Assert.Throws<ArgumentException>(() => mixer.forward(randn(2, 5, 8), zeros([2, 4], ScalarType.Bool)));
        using var state = mixer.NewState(2);
        Assert.Contains("holds 2 sequences but the step has 3", Assert.Throws<ArgumentException>(() => mixer.Step(randn(3, 1, 8), state)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => mixer.NewState(0));
        Assert.Throws<ArgumentException>(() => mixer.Step(randn(2, 2, 8), state));
    }
}
