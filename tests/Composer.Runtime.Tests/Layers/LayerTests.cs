using System;
using Composer.Layers;
using Composer.Tensors;
using Composer.Tests.Harness;
using Xunit;

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
        Reference.Check(File, "linear", m, c => m.Forward(c.Input("x")));
    }

    [Fact]
    public void LinearWithoutBias()
    {
        using var m = new Linear(Cpu, 6, 4, bias: false);
        Assert.Null(m.Bias);
        Reference.Check(File, "linear_no_bias", m, c => m.Forward(c.Input("x")));
    }

    [Fact]
    public void Embedding()
    {
        using var m = new Embedding(Cpu, 10, 8);
        Reference.Check(File, "embedding", m, c => m.Forward(c.Input("tokens")));
    }

    [Fact]
    public void EmbeddingScaledBySqrtWidth()
    {
        using var m = new Embedding(Cpu, 10, 8, scaled: true);
        Reference.Check(File, "embedding_scaled", m, c => m.Forward(c.Input("tokens")));
    }

    [Fact]
    public void LayerNorm()
    {
        using var m = new LayerNorm(Cpu, 8);
        Reference.Check(File, "layer_norm", m, c => m.Forward(c.Input("x")));
    }

    [Theory]
    [InlineData("relu", Activation.Relu)]
    [InlineData("gelu", Activation.Gelu)]
    [InlineData("silu", Activation.Silu)]
    public void FeedForward(string name, Activation activation)
    {
        using var m = new FeedForward(Cpu, 8, 16, activation);
        Reference.Check(File, "feed_forward_" + name, m, c => m.Forward(c.Input("x")));
    }

    [Fact]
    public void SinusoidalPositionsFollowTheTransformerPaper()
    {
        using var m = new SinusoidalPositions(Cpu, 8);
        using var wide = new SinusoidalPositions(Cpu, 16);
        Assert.Empty(m.StateDict());
        Reference.Check(File, "sinusoidal", c => [m.Forward(c.Input("x")), m.Forward(c.Input("x"), offset: 7), wide.Encodings(0, 300)]);
    }

    [Fact]
    public void LearnedPositions()
    {
        using var m = new LearnedPositions(Cpu, 12, 8);
        Reference.Check(File, "learned_positions", m, c => m.Forward(c.Input("x"), offset: 3));
        using var scope = new TensorScope();
        var e = Assert.Throws<ArgumentException>(() => m.Forward(Torch.Zeros(1, 13, 8)));
        Assert.Contains("declare a larger MaxLength", e.Message);
    }

    [Theory]
    [InlineData("residual_pre", NormPlacement.Pre)]
    [InlineData("residual_post", NormPlacement.Post)]
    public void Residual(string name, NormPlacement placement)
    {
        using var m = new Residual(Cpu, 8, placement, dropout: 0);
        Reference.Check(File, name, m, c => m.Forward(c.Input("x"), h => h.Tanh() * 2.0));
    }

    [Fact]
    public void DropoutActsOnlyInTrainingMode()
    {
        using var scope = new TensorScope();
        using var dropout = new Dropout(0.5);
        var x = Torch.Ones(1000);
        var trained = dropout.Forward(x).ToArray<float>();
        Assert.Contains(0f, trained);
        Assert.Contains(2f, trained);
        dropout.Eval();
        Assert.Same(x, dropout.Forward(x));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(1.0));
    }

    [Fact]
    public void ParameterNamesAreDottedAndLoadingRefusesMismatches()
    {
        using var scope = new TensorScope();
        using var ffn = new FeedForward(Cpu, 4, 8);
        Assert.Equal(["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"], System.Linq.Enumerable.ToArray(System.Linq.Enumerable.Select(ffn.NamedParameters(), p => p.Name)));
        Assert.Equal(4 * 8 + 8 + 8 * 4 + 4, ffn.ParameterCount());
        var state = new System.Collections.Generic.Dictionary<string, Tensor>
        {
            ["fc1.weight"] = Torch.Zeros(8, 4), ["fc1.bias"] = Torch.Zeros(7), ["fc2.weight"] = Torch.Zeros(4, 8), ["extra"] = Torch.Zeros(1),
        };
        var e = Assert.Throws<StateDictMismatchException>(() => ffn.LoadStateDict(state));
        Assert.Equal(["fc2.bias"], e.Missing);
        Assert.Equal(["extra"], e.Unexpected);
        Assert.Single(e.Misshaped);
        Assert.Contains("fc1.bias: expected [8], found [7]", e.Message);
        Assert.NotEqual(0f, ffn.Fc1.Weight.Abs().Sum().ToDouble()); // nothing was loaded
    }
}
