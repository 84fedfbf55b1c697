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
/// What the attention maps draw is what each mixer does: its weights, multiplied with its values and
/// projected out, give back the mixer's own forward output; positions a mixer cannot see weigh 0.
/// </summary>
public class MixingWeightsTests
{
    private const int B = 2, T = 12, C = 8, H = 2, D = C / H;
    private static readonly ModuleContext Cpu = ModuleContext.Cpu;

    private static (Tensor X, Tensor Padding) Input(int seed)
    {
        manual_seed(seed);
        var x = randn(B, T, C);
        var padding = zeros(B, T, ScalarType.Bool);
        padding[1, TensorIndex.Slice(T - 3)] = tensor(true);   // the second sequence ends 3 positions early
        return (x, padding);
    }

    private static nn.Module<Tensor, Tensor> Child(nn.Module mixer, string name) =>
        (nn.Module<Tensor, Tensor>)mixer.named_children().Single(c => c.name == name).module;

    /// <summary>(B, T, C) → (B, H, T, D).</summary>
    private static Tensor Heads(Tensor v) => v.view(B, T, H, D).transpose(1, 2);

    /// <summary>out_proj(merge(weights · values)).</summary>
    private static Tensor Mix(nn.Module mixer, Tensor weights, Tensor values) =>
        Child(mixer, "out_proj").forward(weights.matmul(Heads(values)).transpose(1, 2).reshape(B, T, C));

    /// <summary>Compares at real positions (padded outputs are the mixers' own business) and checks the row structure.</summary>
    private static void Reproduces(nn.Module<Tensor, Tensor?, Tensor> mixer, Func<Tensor, Tensor?, Tensor, Tensor> reconstruct, bool causal, int seed = 1)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        mixer.eval();
        var (x, padding) = Input(seed);
        foreach (var pad in new Tensor?[] { null, padding })
        {
            var weights = ((IMixingWeights)mixer).MixingWeights(x, pad);
            Assert.Equal(new long[] { B, H, T, T }, weights.shape);
            var expected = mixer.forward(x, pad);
            var actual = reconstruct(x, pad, weights);
            var real = pad is null ? ones(B, T, 1) : pad.logical_not().unsqueeze(-1).to(ScalarType.Float32);
            double error = ((expected - actual) * real).abs().max().item<float>();
            Assert.True(error < 1e-4, $"{mixer.GetType().Name} (padding: {pad is not null}): weights · values differs from forward by {error}");
            if (causal) Assert.Equal(0.0, weights.triu(1).abs().max().item<float>());
            if (pad is not null) Assert.Equal(0.0, weights[1, TensorIndex.Colon, TensorIndex.Slice(0, T - 3), TensorIndex.Slice(T - 3)].abs().max().item<float>());
        }
    }

    private static Func<Tensor, Tensor?, Tensor, Tensor> ThroughQkv(nn.Module mixer) =>
        (x, _, w) => Mix(mixer, w, Child(mixer, "qkv_proj").forward(x).narrow(-1, 2 * C, C));

    private static Func<Tensor, Tensor?, Tensor, Tensor> ThroughV(nn.Module mixer) =>
        (x, pad, w) => Mix(mixer, w, Child(mixer, "v_proj").forward(pad is null ? x : x.masked_fill(pad.unsqueeze(-1), 0.0)));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SoftmaxSparsemaxAndLocalAttention(bool causal)
    {
        var context = new MixerContext(Cpu, C, H, Causal: causal);
        using var softmax = new SelfAttention(context, new SelfAttentionOptions());
        Reproduces(softmax, ThroughQkv(softmax), causal);
        using var sparse = new SparsemaxAttention(context, new SparsemaxAttentionOptions());
        Reproduces(sparse, ThroughQkv(sparse), causal);
        // T = 12 > the blocked form's span, so forward takes the blocked path while the weights are one band.
        using var local = new LocalAttention(context, new LocalAttentionOptions(2));
        Reproduces(local, ThroughQkv(local), causal);
        using var w = local.MixingWeights(Input(1).X, null);
        Assert.Equal(0.0, w[.., .., 6, 0].abs().max().item<float>());   // 6 positions back: outside a window of 2
    }

    /// <summary>
    /// Softmax attention with a constant head (the PAPA probe's form): the drawn weights of that head are its
    /// row-normalised, masked Ā, not what its projections would score, so they still rebuild the output.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ConstantHeadsDrawTheirMatrices(bool causal)
    {
        using var attention = new SelfAttention(new MixerContext(Cpu, C, H, MaxLength: T, Causal: causal), new SelfAttentionOptions());
        using (var scope = NewDisposeScope())
        {
            manual_seed(3);
            var matrix = rand(1, T, T);
            attention.UseConstantHeads([1], causal ? matrix.tril() : matrix);
        }
        Reproduces(attention, ThroughQkv(attention), causal);
        using var noGrad = no_grad();
        using var weights = attention.MixingWeights(Input(1).X, null);
        using var expected = ConstantHeads.Weights(attention.ConstantHeads!.Matrix, T, null, causal);
        Reference.AssertClose(weights[.., 1], expected[0, 0].expand(B, T, T), "the constant head's drawn weights", tolerance: 1e-6);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void LinearAndTaylorAttentionImplyTheirWeights(bool causal)
    {
        var context = new MixerContext(Cpu, C, H, Causal: causal);
        using var linear = new LinearAttention(context, new LinearAttentionOptions());
        Reproduces(linear, ThroughQkv(linear), causal);
        using var taylor = new TaylorAttention(context, new TaylorAttentionOptions());
        Reproduces(taylor, ThroughQkv(taylor), causal);
    }

    [Fact]
    public void ConstantAndSynthesizerAttention()
    {
        var context = new MixerContext(Cpu, C, H, MaxLength: 16, Causal: true);
        using var constant = new ConstantAttention(context, new ConstantAttentionOptions());
        using (no_grad()) constant.Matrix.copy_(rand(H, 16, 16));   // not the uniform start, so rows differ
        Reproduces(constant, ThroughV(constant), causal: true);
        using var random = new SynthesizerAttention(context, new SynthesizerAttentionOptions(SynthesizerKind.Random));
        Reproduces(random, ThroughV(random), causal: true);
        using var dense = new SynthesizerAttention(context with { Causal = false }, new SynthesizerAttentionOptions(SynthesizerKind.Dense));
        Reproduces(dense, ThroughV(dense), causal: false);
    }

    [Fact]
    public void LinformerImpliesWeightsOnPositions()
    {
        using var linformer = new Linformer(new MixerContext(Cpu, C, H, MaxLength: 16), new LinformerOptions(4));
        Reproduces(linformer, (x, pad, w) =>
        {
            var zeroed = pad is null ? x : x.masked_fill(pad.unsqueeze(-1), 0.0);
            // Σ_s (P F)_ts (x_s W_vᵀ) plus the bias, which every softmax row (summing to 1) passes on whole.
            var values = zeroed.matmul(linformer.VProj.Weight.t());
            var heads = w.matmul(Heads(values)) + linformer.VProj.Bias!.view(1, H, 1, D);
            return linformer.OutProj.forward(heads.transpose(1, 2).reshape(B, T, C));
        }, causal: false);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ConvolutionKernelsAsBandMatrices(bool causal)
    {
        var context = new MixerContext(Cpu, C, H, Kernel: 5, Causal: causal);
        using var light = new LightweightConvolution(context, new LightweightConvolutionOptions());
        Reproduces(light, Convolved(light), causal);
        using var dynamic = new DynamicConvolution(context, new DynamicConvolutionOptions());
        Reproduces(dynamic, Convolved(dynamic), causal);

        using var w = light.MixingWeights(Input(1).X, null);
        // The band: 5 taps per row inside the sequence, the same kernel at every position.
        Assert.Equal(5, (int)w[0, 0, 8].ne(0).sum().item<long>());
        Assert.True(w[0, 0, 8, TensorIndex.Slice(causal ? 4 : 6, causal ? 9 : 11)].allclose(w[0, 0, 9, TensorIndex.Slice(causal ? 5 : 7, causal ? 10 : 12)]));
    }

    /// <summary>The convolution applied as its band: y[t, c] = Σ_s W[h(c), t, s] · h[s, c] with h the gated, padding-zeroed input.</summary>
    private static Func<Tensor, Tensor?, Tensor, Tensor> Convolved(nn.Module mixer) => (x, pad, w) =>
    {
        var h = nn.functional.glu(Child(mixer, "in_proj").forward(x), -1);
        if (pad is not null) h = h.masked_fill(pad.unsqueeze(-1), 0.0);
        var y = einsum("bhts,bshr->bthr", w, h.view(B, T, H, D)).reshape(B, T, C);
        return Child(mixer, "out_proj").forward(y);
    };
}
