using System;
using Composer.Layers;
using Composer.Mixers;
using Composer.Tensors;
using Composer.Tests.Harness;
using Xunit;

namespace Composer.Tests.Mixers;

/// <summary>
/// The checks lightweight and dynamic convolution share (same padding, state and option rules); each
/// derived class names its mixer, its reference cases' prefix and its parameter names.
/// </summary>
public abstract class ConvolutionMixerTests<TMixer> where TMixer : Module, IIncrementalMixer<ConvolutionWindow>
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
        Reference.Check("mixers_conv", Prefix + "_" + name, mixer, c => mixer.Forward(c.Input("x"), padded ? c.Input("padding") : null));
    }

    [Theory]
    [InlineData(5, 9)]
    [InlineData(7, 3)]
    [InlineData(1, 4)]
    [InlineData(3, 70)]
    public void StepMatchesCausalForward(int kernel, int time)
    {
        using var mixer = Create(kernel, causal: true);
        using var scope = new TensorScope();
        MixerChecks.StepMatchesForward(mixer, Torch.Randn(3, time, Width));
    }

    [Theory]
    [InlineData(new long[] { 2, 0, 1 })]
    [InlineData(new long[] { 1, 1, 0, 2 })]
    public void ReorderContinuesInTheNewOrder(long[] order)
    {
        using var mixer = Create(5, causal: true);
        using var scope = new TensorScope();
        MixerChecks.ReorderContinuesInTheNewOrder(mixer, Torch.Randn(3, 8, Width), prefix: 3, order);
    }

    [Fact]
    public void ForwardBackwardLeaksNothing()
    {
        using var mixer = Create(5, causal: false);
        using var scope = new TensorScope();
        var padding = Torch.Zeros([2, 9], DType.Bool);
        padding.Select(0, 1).Narrow(0, 7, 2).FillInPlace(true);
        MixerChecks.ForwardBackwardLeaksNothing(mixer, Torch.Randn(2, 9, Width), padding);
    }

    [Fact]
    public void StepLoopLeaksNothing()
    {
        using var mixer = Create(5, causal: true);
        using var scope = new TensorScope();
        MixerChecks.StepLoopLeaksNothing(mixer, Torch.Randn(2, 7, Width));
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
        var names = new System.Collections.Generic.List<string>();
        foreach (var (name, _) in mixer.NamedParameters()) names.Add(name);
        Assert.Equal(ParameterNames, names);
    }

    [Fact]
    public void DropConnectChangesTheOutputOnlyWhileTraining()
    {
        using var mixer = Create(5, causal: false, weightDropout: 0.5);
        using var scope = new TensorScope();
        using var noGrad = Torch.NoGrad();
        var x = Torch.Randn(2, 9, Width);
        mixer.Eval();
        var first = mixer.Forward(x, null);
        Assert.True(mixer.Forward(x, null).ValueEquals(first), "eval mode must be deterministic");
        mixer.Train();
        Torch.ManualSeed(1);
        Assert.False(mixer.Forward(x, null).AllClose(first), "DropConnect must change the output while training");
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
        using var scope = new TensorScope();
        var error = Assert.Throws<ArgumentException>(() => mixer.Forward(Torch.Randn(2, 5, 6), null));
        Assert.Contains("(B, T, 8)", error.Message);
        Assert.Throws<ArgumentException>(() => mixer.Forward(Torch.Randn(2, 5, 8), Torch.Zeros([2, 4], DType.Bool)));
        using var state = mixer.NewState(2);
        Assert.Contains("holds 2 sequences but the step has 3", Assert.Throws<ArgumentException>(() => mixer.Step(Torch.Randn(3, 1, 8), state)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => mixer.NewState(0));
        Assert.Throws<ArgumentException>(() => mixer.Step(Torch.Randn(2, 2, 8), state));
    }
}
