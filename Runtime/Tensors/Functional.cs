using System;
using Composer.Native;

namespace Composer.Tensors;

/// <summary>
/// Stateless neural-network operations, named after <c>torch.nn.functional</c> (<c>F.conv1d</c>,
/// <c>F.layer_norm</c>, <c>F.cross_entropy</c>, …). Layers hold the parameters and call these.
/// </summary>
public static unsafe partial class Functional
{
    /// <summary>
    /// Affine map over the last dimension (<c>F.linear</c>): <c>input · weightᵀ + bias</c> with a weight of
    /// shape (out_features, in_features) and an optional bias (out_features); leading dimensions are kept.
    /// </summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null) =>
        Tensor.Wrap(NativeMethods.cmp_linear(input.Handle, weight.Handle, bias?.Handle ?? 0));

    /// <summary>
    /// 1-D convolution (<c>F.conv1d</c>) of an input (N, C_in, L) or (C_in, L) with a weight
    /// (C_out, C_in / groups, K) and an optional bias (C_out), the same <paramref name="padding"/> on both sides.
    /// </summary>
    public static Tensor Conv1d(Tensor input, Tensor weight, Tensor? bias = null, long stride = 1, long padding = 0, long dilation = 1, long groups = 1) =>
        Tensor.Wrap(NativeMethods.cmp_conv1d(input.Handle, weight.Handle, bias?.Handle ?? 0, stride, padding, dilation, groups));

    /// <summary>
    /// 1-D convolution (<c>F.conv1d</c>) with padding derived from the kernel: <see cref="ConvPadding.Same"/>
    /// keeps the length (stride 1 only), <see cref="ConvPadding.Valid"/> pads nothing.
    /// </summary>
    public static Tensor Conv1d(Tensor input, Tensor weight, Tensor? bias, ConvPadding padding, long stride = 1, long dilation = 1, long groups = 1)
    {
        if (padding is not (ConvPadding.Valid or ConvPadding.Same))
            throw new ArgumentOutOfRangeException(nameof(padding), padding, "not a ConvPadding value");
        return Tensor.Wrap(NativeMethods.cmp_conv1d_padding_mode(input.Handle, weight.Handle, bias?.Handle ?? 0, stride, (int)padding, dilation, groups));
    }

    /// <summary>
    /// Pads the last dimensions (<c>F.pad</c>). <paramref name="pad"/> lists (before, after) pairs starting
    /// from the last dimension: <c>[left, right]</c> pads one dimension, <c>[left, right, top, bottom]</c>
    /// two. Negative amounts crop (constant mode).
    /// </summary>
    /// <param name="input">The tensor to pad.</param>
    /// <param name="pad">An even number of amounts, last dimension first.</param>
    /// <param name="mode">How the border is filled.</param>
    /// <param name="value">The fill value of <see cref="PadMode.Constant"/>; must stay 0 with the other modes.</param>
    public static Tensor Pad(Tensor input, ReadOnlySpan<long> pad, PadMode mode = PadMode.Constant, double value = 0)
    {
        if (mode is not (PadMode.Constant or PadMode.Reflect or PadMode.Replicate or PadMode.Circular))
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "not a PadMode value");
        if (mode != PadMode.Constant && value != 0)
            throw new ArgumentException($"a padding value applies only to PadMode.Constant, not to PadMode.{mode}", nameof(value));
        fixed (long* p = pad)
            return Tensor.Wrap(NativeMethods.cmp_pad(input.Handle, p, pad.Length, (int)mode, value));
    }

    /// <summary>
    /// Layer normalisation over the last dimensions (<c>F.layer_norm</c>):
    /// <c>(x − mean) / sqrt(var + eps) · weight + bias</c>, mean and biased variance taken over
    /// <paramref name="normalizedShape"/>, which must match the input's trailing sizes.
    /// </summary>
    public static Tensor LayerNorm(Tensor input, ReadOnlySpan<long> normalizedShape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
    {
        fixed (long* s = normalizedShape)
            return Tensor.Wrap(NativeMethods.cmp_layer_norm(input.Handle, s, normalizedShape.Length, weight?.Handle ?? 0, bias?.Handle ?? 0, eps));
    }

    /// <summary>
    /// Looks up rows of <paramref name="weight"/> (num_embeddings, dim) for integer <paramref name="indices"/>
    /// of any shape (<c>F.embedding</c>); the result has shape indices.shape + (dim). The row
    /// <paramref name="paddingIdx"/> (negative counts from the end) receives no gradient.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="paddingIdx"/> is not a row of the weight.</exception>
    public static Tensor Embedding(Tensor indices, Tensor weight, long? paddingIdx = null)
    {
        long row = -1;
        if (paddingIdx is long idx)
        {
            long rows = weight.Size(0);
            if (idx < -rows || idx >= rows)
                throw new ArgumentOutOfRangeException(nameof(paddingIdx), idx, $"padding_idx must be a row of the weight, in [{-rows}, {rows - 1}]");
            row = idx < 0 ? idx + rows : idx;
        }
        return Tensor.Wrap(NativeMethods.cmp_embedding(weight.Handle, indices.Handle, row));
    }

    /// <summary>
    /// Zeroes each element with probability <paramref name="p"/> and scales the rest by 1 / (1 − p)
    /// while <paramref name="training"/> (<c>F.dropout</c>); the identity otherwise. The mask comes from
    /// the default generator of the input's device (see <see cref="Torch.ManualSeed"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside [0, 1].</exception>
    public static Tensor Dropout(Tensor input, double p = 0.5, bool training = true)
    {
        if (!(p >= 0 && p <= 1))
            throw new ArgumentOutOfRangeException(nameof(p), p, "the dropout probability must be between 0 and 1");
        return Tensor.Wrap(NativeMethods.cmp_dropout(input.Handle, p, training ? 1 : 0));
    }

    /// <summary>
    /// Cross-entropy between logits and targets (<c>F.cross_entropy</c>): log-softmax over dimension 1,
    /// then the negative log-likelihood. <paramref name="input"/> is (N, C), (C) or (N, C, d1, …);
    /// <paramref name="target"/> holds int64 class indices of shape (N), () or (N, d1, …), or class
    /// probabilities of the input's shape.
    /// </summary>
    /// <param name="input">Unnormalised scores, classes along dimension 1 (dimension 0 without a batch).</param>
    /// <param name="target">Class indices (int64) or class probabilities (floating).</param>
    /// <param name="weight">Optional per-class weights (C).</param>
    /// <param name="ignoreIndex">A target index that contributes neither loss nor gradient (class-index targets only).</param>
    /// <param name="reduction">How the per-element losses are combined; the mean is weighted and skips ignored targets.</param>
    /// <param name="labelSmoothing">Mixes the target with the uniform distribution: ε in [0, 1].</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="labelSmoothing"/> is outside [0, 1].</exception>
    public static Tensor CrossEntropy(Tensor input, Tensor target, Tensor? weight = null, long ignoreIndex = -100, Reduction reduction = Reduction.Mean, double labelSmoothing = 0)
    {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "label smoothing must be between 0 and 1");
        return Tensor.Wrap(NativeMethods.cmp_cross_entropy(input.Handle, target.Handle, weight?.Handle ?? 0, (int)CheckReduction(reduction), ignoreIndex, labelSmoothing));
    }

    /// <summary>
    /// Negative log-likelihood of log-probabilities (<c>F.nll_loss</c>): <c>−input[n, target[n]]</c>,
    /// weighted and reduced. Shapes as in <see cref="CrossEntropy"/> with int64 class-index targets.
    /// </summary>
    /// <param name="input">Log-probabilities, classes along dimension 1 (dimension 0 without a batch).</param>
    /// <param name="target">Class indices (int64).</param>
    /// <param name="weight">Optional per-class weights (C).</param>
    /// <param name="ignoreIndex">A target index that contributes neither loss nor gradient.</param>
    /// <param name="reduction">How the per-element losses are combined; the mean is weighted and skips ignored targets.</param>
    public static Tensor NllLoss(Tensor input, Tensor target, Tensor? weight = null, long ignoreIndex = -100, Reduction reduction = Reduction.Mean) =>
        Tensor.Wrap(NativeMethods.cmp_nll_loss(input.Handle, target.Handle, weight?.Handle ?? 0, (int)CheckReduction(reduction), ignoreIndex));

    private static Reduction CheckReduction(Reduction reduction) => reduction is Reduction.None or Reduction.Mean or Reduction.Sum
        ? reduction
        : throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "not a Reduction value");
}
