using System;
using System.Collections.Generic;
using System.Linq;
using Composer.Layers;
using Composer.Tests.Harness;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Composer.Tests.Layers;

/// <summary>Runtime/Layers against tests/reference/layers_reference.py, with weights exchanged by dotted name.</summary>
public class LayerTests
{
    private const string File = "layers";
    private static readonly ModuleContext Cpu = ModuleContext.Cpu;

    [Fact]
    public void Linear()
    {
        using var m = new Linear(Cpu, 6, 4);
        Reference.Check(File, "linear", m, c => m.forward(c.Input("x")));
    }

    [Fact]
    public void LinearWithoutBias()
    {
        using var m = new Linear(Cpu, 6, 4, bias: false);
        Assert.Null(m.Bias);
        Reference.Check(File, "linear_no_bias", m, c => m.forward(c.Input("x")));
    }

    [Fact]
    public void Embedding()
    {
        using var m = new Embedding(Cpu, 10, 8);
        Reference.Check(File, "embedding", m, c => m.forward(c.Input("tokens")));
    }

    [Fact]
    public void EmbeddingScaledBySqrtWidth()
    {
        using var m = new Embedding(Cpu, 10, 8, scaled: true);
        Reference.Check(File, "embedding_scaled", m, c => m.forward(c.Input("tokens")));
    }

    [Fact]
    public void LayerNorm()
    {
        using var m = new LayerNorm(Cpu, 8);
        Reference.Check(File, "layer_norm", m, c => m.forward(c.Input("x")));
    }

    [Theory]
    [InlineData("relu", Activation.Relu)]
    [InlineData("gelu", Activation.Gelu)]
    [InlineData("silu", Activation.Silu)]
    public void FeedForward(string name, Activation activation)
    {
        using var m = new FeedForward(Cpu, 8, 16, activation);
        Reference.Check(File, "feed_forward_" + name, m, c => m.forward(c.Input("x")));
    }

    [Fact]
    public void SinusoidalPositionsFollowTheTransformerPaper()
    {
        using var m = new SinusoidalPositions(Cpu, 8);
        using var wide = new SinusoidalPositions(Cpu, 16);
        Assert.Empty(m.state_dict());
        Reference.Check(File, "sinusoidal", c => [m.forward(c.Input("x")), m.forward(c.Input("x"), offset: 7), wide.Encodings(0, 300)]);
    }

    [Fact]
    public void LearnedPositions()
    {
        using var m = new LearnedPositions(Cpu, 12, 8);
        Reference.Check(File, "learned_positions", m, c => m.forward(c.Input("x"), offset: 3));
        using var scope = NewDisposeScope();
        var e = Assert.Throws<ArgumentException>(() => m.forward(zeros(1, 13, 8)));
        Assert.Contains("declare a larger MaxLength", e.Message);
    }

    [Theory]
    [InlineData("residual_pre", NormPlacement.Pre)]
    [InlineData("residual_post", NormPlacement.Post)]
    public void Residual(string name, NormPlacement placement)
    {
        using var m = new Residual(Cpu, 8, placement, dropout: 0);
        Reference.Check(File, name, m, c => m.forward(c.Input("x"), h => h.tanh() * 2.0));
    }

    [Fact]
    public void DropoutActsOnlyInTrainingMode()
    {
        using var scope = NewDisposeScope();
        using var dropout = new Dropout(0.5);
        var x = ones(1000);
        var trained = dropout.forward(x).data<float>().ToArray();
        Assert.Contains(0f, trained);
        Assert.Contains(2f, trained);
        dropout.eval();
        Assert.Same(x, dropout.forward(x));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(1.0));
    }

    [Fact]
    public void ParameterNamesAreDottedAndLoadingRefusesMismatches()
    {
        using var scope = NewDisposeScope();
        using var ffn = new FeedForward(Cpu, 4, 8);
        Assert.Equal(["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"], ffn.named_parameters().Select(p => p.name).ToArray());
        Assert.Equal(4 * 8 + 8 + 8 * 4 + 4, ffn.parameters().Sum(p => p.numel()));
        var state = new Dictionary<string, Tensor>
        {
            ["fc1.weight"] = zeros(8, 4), ["fc1.bias"] = zeros(7), ["fc2.weight"] = zeros(4, 8, dtype: ScalarType.Float64), ["extra"] = zeros(1),
        };
        var e = Assert.Throws<StateDictMismatchException>(() => StateDicts.Load(ffn, state));
        Assert.Equal(["fc2.bias"], e.Missing);
        Assert.Equal(["extra"], e.Unexpected);
        Assert.Single(e.Misshaped);
        Assert.Contains("fc1.bias: expected [8], found [7]", e.Message);
        Assert.Single(e.Mistyped);
        Assert.Contains("fc2.weight: expected Float32, found Float64", e.Message);
        Assert.NotEqual(0f, ffn.Fc1.Weight.abs().sum().ToDouble()); // nothing was loaded
    }
}
