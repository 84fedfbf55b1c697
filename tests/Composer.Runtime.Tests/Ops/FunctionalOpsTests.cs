using System;
using Composer.Native;
using Composer.Tensors;
using Composer.Tests.Harness;
using Xunit;
using F = Composer.Tensors.Functional;

namespace Composer.Tests.Ops;

/// <summary>Functional ops and Tensor.Unfold against PyTorch (tests/reference/ops_nn.py).</summary>
public class FunctionalOpsTests
{
    private const string File = "ops_nn";

    // Must match DROPOUT_SEED in ops_nn.py: both sides seed right before drawing the mask.
    private const long DropoutSeed = 1234;

    // ---- linear ---------------------------------------------------------------------------------
    [Fact] public void Linear() => Reference.Check(File, "linear", c => F.Linear(c.Input("x"), c.Input("w"), c.Input("b")));
    [Fact] public void LinearNoBias() => Reference.Check(File, "linear_no_bias", c => F.Linear(c.Input("x"), c.Input("w")));

    [Fact] public void LinearOneRow() => Reference.Check(File, "linear_one_row", c => F.Linear(c.Input("x"), c.Input("w"), c.Input("b")));

    [Fact] public void LinearTransposedInput() => Reference.Check(File, "linear_transposed_input", c => F.Linear(c.Input("x").Transpose(0, 1), c.Input("w"), c.Input("b")));

    [Fact] public void LinearLarge() => Reference.Check(File, "linear_large", c => F.Linear(c.Input("x"), c.Input("w"), c.Input("b")));

    [Fact] public void LinearFloat64() => Reference.Check(File, "linear_float64", c => F.Linear(c.Input("x"), c.Input("w")));

    [Fact]
    public void OneRowWithoutGradientsMatchesTheBatchedProduct()
    {
        // Decoding runs under no-grad, where products of a few rows take their own path; each row must
        // equal the same row computed in a batch.
        using var scope = new TensorScope();
        Torch.ManualSeed(3);
        var x = Torch.Randn(3, 1, 40);
        var w = Torch.Randn(56, 40);
        var b = Torch.Randn(56);
        var bias = b.Clone();
        var batched = F.Linear(x, w, b);
        using var noGrad = Torch.NoGrad();
        for (int row = 0; row < 3; row++)
            Reference.AssertClose(F.Linear(x.Narrow(0, row, 1), w, b), batched.Narrow(0, row, 1), $"row {row}");
        Reference.AssertClose(F.Linear(x, w, b), batched, "three rows without gradients");
        // A one-row output is written in place of the broadcast bias; the bias itself stays as it was.
        Assert.True(b.ValueEquals(bias), "a one-row product changed the bias");
    }

    // ---- conv1d ---------------------------------------------------------------------------------
    [Fact] public void Conv1d() => Reference.Check(File, "conv1d", c => F.Conv1d(c.Input("x"), c.Input("w"), c.Input("b")));

    [Fact]
    public void Conv1dStridePaddingDilation() => Reference.Check(File, "conv1d_stride_padding_dilation",
        c => F.Conv1d(c.Input("x"), c.Input("w"), c.Input("b"), stride: 2, padding: 2, dilation: 2));

    [Fact] public void Conv1dGroups() => Reference.Check(File, "conv1d_groups", c => F.Conv1d(c.Input("x"), c.Input("w"), groups: 2));

    [Fact]
    public void Conv1dDepthwiseCausal() => Reference.Check(File, "conv1d_depthwise_causal",
        c => F.Pad(F.Conv1d(c.Input("x"), c.Input("w"), c.Input("b"), padding: 3, groups: 4), [0, -3])); // negative pad crops

    [Fact] public void Conv1dUnbatched() => Reference.Check(File, "conv1d_unbatched", c => F.Conv1d(c.Input("x"), c.Input("w"), padding: 1));

    [Fact]
    public void Conv1dSame() => Reference.Check(File, "conv1d_same", c => new[]
    {
        F.Conv1d(c.Input("x"), c.Input("w"), c.Input("b"), ConvPadding.Same),
        F.Conv1d(c.Input("x"), c.Input("w3"), null, ConvPadding.Same, dilation: 2),
    });

    [Fact]
    public void Conv1dValid() => Reference.Check(File, "conv1d_valid", c => F.Conv1d(c.Input("x"), c.Input("w"), null, ConvPadding.Valid, stride: 2));

    [Fact]
    public void Conv1dSameRefusesStride()
    {
        using var scope = new TensorScope();
        var e = Assert.Throws<TorchException>(() => F.Conv1d(Torch.Randn(1, 2, 8), Torch.Randn(3, 2, 3), null, ConvPadding.Same, stride: 2));
        Assert.Contains("stride", e.Message);
    }

    // ---- unfold ---------------------------------------------------------------------------------
    [Fact]
    public void Unfold() => Reference.Check(File, "unfold", c =>
    {
        var x = c.Input("x");
        return new[] { x.Unfold(1, 4, 2), x.Unfold(1, 3, 4), x.Unfold(-1, 2, 1) };
    });

    [Fact]
    public void UnfoldWindowTooLarge()
    {
        using var scope = new TensorScope();
        var e = Assert.Throws<TorchException>(() => Torch.Zeros(2, 3).Unfold(1, 4, 1));
        Assert.Contains("size", e.Message);
    }

    // ---- pad ------------------------------------------------------------------------------------
    [Fact]
    public void PadConstant() => Reference.Check(File, "pad_constant", c =>
    {
        var x = c.Input("x");
        return new[] { F.Pad(x, [1, 2]), F.Pad(x, [1, 0, 2, 3], value: 1.5), F.Pad(x, [-1, 2]), F.Pad(x, [0, 0, 0, 0, 1, 1], value: -2.0) };
    });

    [Fact] public void PadConstantInteger() => Reference.Check(File, "pad_constant_int", c => F.Pad(c.Input("x"), [2, 1], value: 7));

    [Fact]
    public void PadReflect() => Reference.Check(File, "pad_reflect",
        c => new[] { F.Pad(c.Input("x"), [2, 1], PadMode.Reflect), F.Pad(c.Input("y"), [1, 2, 2, 1], PadMode.Reflect) });

    [Fact]
    public void PadReplicate() => Reference.Check(File, "pad_replicate",
        c => new[] { F.Pad(c.Input("x"), [3, 1], PadMode.Replicate), F.Pad(c.Input("y"), [1, 2, 2, 1], PadMode.Replicate) });

    [Fact] public void PadCircular() => Reference.Check(File, "pad_circular", c => F.Pad(c.Input("x"), [2, 3], PadMode.Circular));

    [Fact]
    public void PadValueOnlyWithConstantMode()
    {
        using var scope = new TensorScope();
        var e = Assert.Throws<ArgumentException>(() => F.Pad(Torch.Zeros(1, 2, 4), [1, 1], PadMode.Reflect, value: 3));
        Assert.Contains("PadMode.Constant", e.Message);
    }

    [Fact]
    public void PadOddLength()
    {
        using var scope = new TensorScope();
        Assert.Throws<TorchException>(() => F.Pad(Torch.Zeros(2, 4), [1, 1, 1]));
    }

    // ---- layer_norm -----------------------------------------------------------------------------
    [Fact] public void LayerNorm() => Reference.Check(File, "layer_norm", c => F.LayerNorm(c.Input("x"), [8], c.Input("w"), c.Input("b")));

    [Fact]
    public void LayerNormTwoDims() => Reference.Check(File, "layer_norm_two_dims",
        c => F.LayerNorm(c.Input("x"), [3, 5], c.Input("w"), c.Input("b"), eps: 1e-3));

    [Fact] public void LayerNormNoAffine() => Reference.Check(File, "layer_norm_no_affine", c => F.LayerNorm(c.Input("x"), [6]));

    [Fact] public void LayerNormWeightOnly() => Reference.Check(File, "layer_norm_weight_only", c => F.LayerNorm(c.Input("x"), [6], c.Input("w"), eps: 1e-2));

    [Fact]
    public void LayerNormShapeMismatch()
    {
        using var scope = new TensorScope();
        var e = Assert.Throws<TorchException>(() => F.LayerNorm(Torch.Zeros(2, 5), [4]));
        Assert.Contains("normalized_shape", e.Message);
    }

    // ---- embedding ------------------------------------------------------------------------------
    [Fact] public void Embedding() => Reference.Check(File, "embedding", c => F.Embedding(c.Input("idx"), c.Input("w")));

    [Fact] public void EmbeddingPaddingIdx() => Reference.Check(File, "embedding_padding_idx", c => F.Embedding(c.Input("idx"), c.Input("w"), paddingIdx: 0));

    [Fact]
    public void EmbeddingNegativePaddingIdx() => Reference.Check(File, "embedding_negative_padding_idx",
        c => F.Embedding(c.Input("idx"), c.Input("w"), paddingIdx: -1));

    [Fact]
    public void EmbeddingPaddingIdxOutOfRange()
    {
        using var scope = new TensorScope();
        var w = Torch.Zeros(6, 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => F.Embedding(Torch.Arange(3), w, paddingIdx: 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => F.Embedding(Torch.Arange(3), w, paddingIdx: -7));
    }

    [Fact]
    public void EmbeddingRefusesFloatIndices()
    {
        using var scope = new TensorScope();
        Assert.Throws<TorchException>(() => F.Embedding(Torch.Zeros(3), Torch.Zeros(6, 3)));
    }

    // ---- dropout --------------------------------------------------------------------------------
    [Fact]
    public void Dropout() => Reference.Check(File, "dropout", c =>
    {
        var x = c.Input("x");
        Torch.ManualSeed(DropoutSeed);
        return F.Dropout(x, 0.3);
    });

    [Fact]
    public void DropoutIdentity() => Reference.Check(File, "dropout_identity",
        c => new[] { F.Dropout(c.Input("x"), 0.3, training: false), F.Dropout(c.Input("x"), 0.0) });

    [Fact]
    public void DropoutProbabilityOutOfRange()
    {
        using var scope = new TensorScope();
        Assert.Throws<ArgumentOutOfRangeException>(() => F.Dropout(Torch.Zeros(3), 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => F.Dropout(Torch.Zeros(3), double.NaN));
    }

    // ---- cross_entropy --------------------------------------------------------------------------
    [Fact] public void CrossEntropy() => Reference.Check(File, "cross_entropy", c => F.CrossEntropy(c.Input("x"), c.Input("t")));

    [Fact]
    public void CrossEntropyReductions() => Reference.Check(File, "cross_entropy_reductions", c => new[]
    {
        F.CrossEntropy(c.Input("x"), c.Input("t"), reduction: Reduction.Sum),
        F.CrossEntropy(c.Input("x"), c.Input("t"), reduction: Reduction.None),
    });

    [Fact]
    public void CrossEntropyIgnoreIndex() => Reference.Check(File, "cross_entropy_ignore_index", c => new[]
    {
        F.CrossEntropy(c.Input("x"), c.Input("t")),
        F.CrossEntropy(c.Input("x"), c.Input("u"), ignoreIndex: 2),
        F.CrossEntropy(c.Input("x"), c.Input("u"), ignoreIndex: 2, reduction: Reduction.None),
    });

    [Fact]
    public void CrossEntropyLabelSmoothing() => Reference.Check(File, "cross_entropy_label_smoothing", c => new[]
    {
        F.CrossEntropy(c.Input("x"), c.Input("t"), labelSmoothing: 0.1),
        F.CrossEntropy(c.Input("x"), c.Input("t"), labelSmoothing: 0.2, reduction: Reduction.Sum),
        F.CrossEntropy(c.Input("x"), c.Input("t"), labelSmoothing: 0.1, reduction: Reduction.None),
    });

    [Fact]
    public void CrossEntropyWeight() => Reference.Check(File, "cross_entropy_weight", c => new[]
    {
        F.CrossEntropy(c.Input("x"), c.Input("t"), weight: c.Input("w")),
        F.CrossEntropy(c.Input("x"), c.Input("t"), weight: c.Input("w"), labelSmoothing: 0.15),
    });

    [Fact]
    public void CrossEntropySequence() => Reference.Check(File, "cross_entropy_sequence", c => new[]
    {
        F.CrossEntropy(c.Input("x"), c.Input("t")),
        F.CrossEntropy(c.Input("x"), c.Input("t"), reduction: Reduction.None),
        F.CrossEntropy(c.Input("x"), c.Input("t"), labelSmoothing: 0.1),
    });

    [Fact]
    public void CrossEntropyProbabilities() => Reference.Check(File, "cross_entropy_probabilities", c => new[]
    {
        F.CrossEntropy(c.Input("x"), c.Input("p")),
        F.CrossEntropy(c.Input("x"), c.Input("p"), labelSmoothing: 0.2, reduction: Reduction.Sum),
    });

    [Fact] public void CrossEntropyUnbatched() => Reference.Check(File, "cross_entropy_unbatched", c => F.CrossEntropy(c.Input("x"), c.Input("t")));

    [Fact]
    public void CrossEntropyLabelSmoothingOutOfRange()
    {
        using var scope = new TensorScope();
        Assert.Throws<ArgumentOutOfRangeException>(() => F.CrossEntropy(Torch.Zeros(2, 3), Torch.Arange(2), labelSmoothing: -0.1));
    }

    [Fact]
    public void CrossEntropyTargetOutOfRange()
    {
        using var scope = new TensorScope();
        Assert.Throws<TorchException>(() => F.CrossEntropy(Torch.Zeros(2, 3), Torch.Arange(2, 4)));
    }

    // ---- nll_loss -------------------------------------------------------------------------------
    [Fact]
    public void NllLoss() => Reference.Check(File, "nll_loss", c => new[]
    {
        F.NllLoss(c.Input("x"), c.Input("t")),
        F.NllLoss(c.Input("x"), c.Input("t"), reduction: Reduction.Sum),
        F.NllLoss(c.Input("x"), c.Input("t"), reduction: Reduction.None),
    });

    [Fact]
    public void NllLossIgnoreWeight() => Reference.Check(File, "nll_loss_ignore_weight", c => new[]
    {
        F.NllLoss(c.Input("x"), c.Input("t"), ignoreIndex: 2),
        F.NllLoss(c.Input("x"), c.Input("t"), weight: c.Input("w")),
        F.NllLoss(c.Input("x"), c.Input("t"), weight: c.Input("w"), ignoreIndex: 4, reduction: Reduction.None),
    });

    [Fact]
    public void NllLossSpatial() => Reference.Check(File, "nll_loss_spatial", c => new[]
    {
        F.NllLoss(c.Input("x"), c.Input("t")),
        F.NllLoss(c.Input("x"), c.Input("t"), reduction: Reduction.None),
    });
}
