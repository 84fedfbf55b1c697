using System;
using System.Collections.Generic;
using System.Linq;
using Composer.Layers;
using Composer.Mixers;
using Composer.Tests.Harness;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Tests.Layers;

/// <summary>
/// Reversible stacks (MIXERS.md §9): the backward pass that recomputes every sublayer gives the gradients
/// ordinary autograd gives for the same coupling with every activation stored, dropout included, leaves the
/// random generator where it was, and keeps no tensor alive. The oracle is the coupling written out here,
/// independently of the runtime's code; the generated models are compared with PyTorch in the sample tests.
/// </summary>
public sealed class ReversibleTests
{
    private const int Width = 16, Heads = 4, Inner = 32;

    // Float64, so the comparison can be tight: undoing an update (x₁ = y₁ − f(x₂)) rounds, and in float64
    // what rounding leaves is far below this.
    private const double Tight = 1e-9;

    private static readonly ModuleContext Double = new(CPU, ScalarType.Float64);

    [Fact]
    public void GradientsEqualThoseOfTheStoredCouplingWithDropout()
    {
        using var stack = new Layers3(dropout: 0.3, attentionDropout: 0.2, activationDropout: 0.1);
        stack.train();
        using var scope = NewDisposeScope();
        var x = Input(seed: 1);
        var padding = Padding();
        var upstream = randn(x.shape, ScalarType.Float64, generator: new Generator(5));

        var (recomputed, recomputedGrads) = Run(stack, x, upstream, seed: 42, input => Reversible.Forward(input, stack.Sublayers(padding)));
        var (stored, storedGrads) = Run(stack, x, upstream, seed: 42, input => StoredCoupling(input, stack.Sublayers(padding), memory: null));

        Reference.AssertClose(recomputed, stored, "output", Tight);
        Assert.Equal(storedGrads.Keys.OrderBy(k => k), recomputedGrads.Keys.OrderBy(k => k));
        foreach (var (name, grad) in storedGrads)
            Reference.AssertClose(recomputedGrads[name], grad, $"gradient of {name}", Tight);

        // The comparison means something only if dropout drew different masks under another seed.
        var (other, _) = Run(stack, x, upstream, seed: 43, input => Reversible.Forward(input, stack.Sublayers(padding)));
        Assert.False(other.allclose(stored), "dropout should change the output between seeds");
    }

    [Fact]
    public void TheRandomGeneratorContinuesAsWithoutRecomputation()
    {
        using var stack = new Layers3(dropout: 0.3, attentionDropout: 0.2, activationDropout: 0.1);
        stack.train();
        using var scope = NewDisposeScope();
        var x = Input(seed: 2);
        var upstream = ones(x.shape, ScalarType.Float64);

        Run(stack, x, upstream, seed: 7, input => Reversible.Forward(input, stack.Sublayers(null)));
        var afterRecomputed = rand(8, ScalarType.Float64);
        Run(stack, x, upstream, seed: 7, input => StoredCoupling(input, stack.Sublayers(null), memory: null));
        var afterStored = rand(8, ScalarType.Float64);

        Reference.AssertClose(afterRecomputed, afterStored, "the next draws after a training step");
    }

    [Fact]
    public void TheMemoryOfCrossSublayersGetsItsGradient()
    {
        using var layers = new CrossLayers2(dropout: 0.25);
        layers.train();
        using var scope = NewDisposeScope();
        var x = Input(seed: 3);
        var memory = randn([2, 5, Width], ScalarType.Float64, generator: new Generator(4));
        var upstream = randn(x.shape, ScalarType.Float64, generator: new Generator(6));

        Dictionary<string, Tensor> Gradients(Func<Tensor, Tensor, Tensor> run)
        {
            layers.zero_grad(set_to_none: true);
            manual_seed(11);
            var input = x.detach().requires_grad_(true);
            var source = memory.detach().requires_grad_(true);
            run(input, source).mul(upstream).sum().backward();
            var grads = layers.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.clone());
            grads["input"] = input.grad!.clone();
            grads["memory"] = source.grad!.clone();
            return grads;
        }

        var recomputed = Gradients((input, source) => Reversible.Forward(input, layers.Sublayers(), source));
        var stored = Gradients((input, source) => StoredCoupling(input, layers.Sublayers(), source));
        foreach (var (name, grad) in stored)
            Reference.AssertClose(recomputed[name], grad, $"gradient of {name}", Tight);
    }

    [Fact]
    public void ParametersGetGradientsWhenTheInputNeedsNone()
    {
        using var stack = new Layers3(dropout: 0, attentionDropout: 0, activationDropout: 0);
        using var scope = NewDisposeScope();
        var x = Input(seed: 8);
        Assert.False(x.requires_grad);
        stack.zero_grad(set_to_none: true);
        Reversible.Forward(x, stack.Sublayers(null)).sum().backward();
        var recomputed = stack.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad?.clone());
        stack.zero_grad(set_to_none: true);
        StoredCoupling(x, stack.Sublayers(null), null).sum().backward();
        foreach (var (name, parameter) in stack.named_parameters())
        {
            Assert.True(recomputed[name] is not null, $"{name} got no gradient through the reversible stack");
            Reference.AssertClose(recomputed[name]!, parameter.grad!, $"gradient of {name}", Tight);
        }
    }

    [Fact]
    public void WithoutGradientsForwardIsTheDirectCoupling()
    {
        using var stack = new Layers3(dropout: 0.3, attentionDropout: 0, activationDropout: 0);
        stack.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = Input(seed: 9);
        Reference.AssertClose(Reversible.Forward(x, stack.Sublayers(null)), StoredCoupling(x, stack.Sublayers(null), null), "output", Tight);
        Reference.AssertClose(Reversible.Direct(x, stack.Sublayers(null)), StoredCoupling(x, stack.Sublayers(null), null), "output", Tight);
    }

    [Fact]
    public void TrainingStepsLeakNoTensors()
    {
        using var stack = new Layers3(dropout: 0.3, attentionDropout: 0.2, activationDropout: 0.1);
        stack.train();
        var x = Input(seed: 10).DetachFromDisposeScope();
        try
        {
            long before = LiveTensors.Settled();
            for (int step = 0; step < 3; step++)
            {
                using var scope = NewDisposeScope();
                Reversible.Forward(x, stack.Sublayers(Padding())).square().sum().backward();
                stack.zero_grad(set_to_none: true);
            }
            Assert.Equal(before, LiveTensors.Count);
        }
        finally
        {
            x.Dispose();
        }
    }

    [Fact]
    public void ASublayerThatChangesTheShapeIsRefusedWithTheShapes()
    {
        using var scope = NewDisposeScope();
        var x = Input(seed: 12);
        var sublayers = new ReversibleSublayer[] { (s, _) => s.narrow(1, 0, 2) };
        var error = Assert.Throws<InvalidOperationException>(() => Reversible.Forward(x, sublayers));
        Assert.Contains("must keep its input's shape [2, 6, 16]", error.Message);
        Assert.Contains("[2, 2, 16]", error.Message);
    }

    /// <summary>The coupling as the docs state it, every activation left to autograd: the oracle.</summary>
    private static Tensor StoredCoupling(Tensor x, IReadOnlyList<ReversibleSublayer> sublayers, Tensor? memory)
    {
        Tensor first = x, second = x;
        for (int k = 0; k < sublayers.Count; k += 2)
        {
            first = first + sublayers[k](second, memory);
            if (k + 1 < sublayers.Count) second = second + sublayers[k + 1](first, memory);
        }
        return (first + second) / 2;
    }

    /// <summary>The output, and the gradients of sum(output · upstream) for the input and every parameter.</summary>
    private static (Tensor Output, Dictionary<string, Tensor> Grads) Run(nn.Module stack, Tensor x, Tensor upstream, int seed, Func<Tensor, Tensor> run)
    {
        stack.zero_grad(set_to_none: true);
        manual_seed(seed);
        var input = x.detach().requires_grad_(true);
        var output = run(input);
        output.mul(upstream).sum().backward();
        var grads = stack.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.clone());
        grads["input"] = input.grad!.clone();
        return (output.detach(), grads);
    }

    private static Tensor Input(int seed) => randn([2, 6, Width], ScalarType.Float64, generator: new Generator((ulong)seed));

    private static Tensor Padding() => tensor(new[] { false, false, false, false, false, false, false, false, false, false, true, true }, [2, 6]);

    /// <summary>Three pre-norm attention layers as a generated reversible stack wires them.</summary>
    private sealed class Layers3 : nn.Module
    {
        private readonly Block<SelfAttention>[] _layers;
        private readonly Dropout _dropout;

        public Layers3(double dropout, double attentionDropout, double activationDropout) : base(nameof(Layers3))
        {
            _layers = Enumerable.Range(0, 3).Select(i => new Block<SelfAttention>(Double, Width, Inner, Activation.Gelu, activationDropout,
                new SelfAttention(new MixerContext(Double, Width, Heads: Heads, LayerIndex: i, AttentionDropout: attentionDropout), new SelfAttentionOptions()))).ToArray();
            register_module("layers", new TorchSharp.Modules.ModuleList<nn.Module>(_layers));
            register_module("dropout", _dropout = new Dropout(dropout));
        }

        public ReversibleSublayer[] Sublayers(Tensor? padding) => _layers.SelectMany(layer => new ReversibleSublayer[]
        {
            (x, _) => _dropout.forward(layer.Mixer.forward(layer.MixerNorm.forward(x), padding)),
            (x, _) => _dropout.forward(layer.Ffn.forward(layer.FfnNorm.forward(x))),
        }).ToArray();

        protected override void RegisterComponents() { }
    }

    /// <summary>Two decoder layers with cross-attention: three sublayers each, so the streams alternate across layers.</summary>
    private sealed class CrossLayers2 : nn.Module
    {
        private readonly CrossBlock<SelfAttention, CrossAttention>[] _layers;
        private readonly Dropout _dropout;

        public CrossLayers2(double dropout) : base(nameof(CrossLayers2))
        {
            _layers = Enumerable.Range(0, 2).Select(i => new CrossBlock<SelfAttention, CrossAttention>(Double, Width, Inner, Activation.Gelu, 0,
                new SelfAttention(new MixerContext(Double, Width, Heads: Heads, Causal: true, LayerIndex: i), new SelfAttentionOptions()),
                new CrossAttention(new MixerContext(Double, Width, Heads: Heads, LayerIndex: i), new CrossAttentionOptions()))).ToArray();
            register_module("layers", new TorchSharp.Modules.ModuleList<nn.Module>(_layers));
            register_module("dropout", _dropout = new Dropout(dropout));
        }

        public ReversibleSublayer[] Sublayers() => _layers.SelectMany(layer => new ReversibleSublayer[]
        {
            (x, _) => _dropout.forward(layer.Mixer.forward(layer.MixerNorm.forward(x), null)),
            (x, memory) => _dropout.forward(layer.Cross.forward(layer.CrossNorm.forward(x), memory!, null)),
            (x, _) => _dropout.forward(layer.Ffn.forward(layer.FfnNorm.forward(x))),
        }).ToArray();

        protected override void RegisterComponents() { }
    }
}
