using System;
using Composer.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Mixers;

/// <summary>
/// The pieces every dot-product attention mixer shares (MIXERS.md §0): heads, the masked score
/// normalisation, and the input checks.
/// </summary>
internal static class Attention
{
    /// <summary>
    /// The score given to hidden keys: half the dtype's most negative value. Finite, so sparsemax and a row
    /// whose every key is hidden stay free of NaN, and representable in float16 (MIXERS.md N2); exp() of it
    /// minus any row maximum underflows to exactly 0.
    /// </summary>
    public static double MaskValue(ScalarType dtype) => dtype switch
    {
        ScalarType.Float16 => -65504.0 / 2,
        ScalarType.BFloat16 => -3.3895313892515355e38 / 2,
        ScalarType.Float64 => double.MinValue / 2,
        _ => float.MinValue / 2.0,
    };

    // A decoding step has T = 1, where (B, 1, H, D) and (B, H, 1, D) order their elements alike: one view
    // or reshape then does what a view and a transpose do for longer sequences (one op fewer per split).

    /// <summary>(B, T, H·D) → (B, H, T, D), a view.</summary>
    public static Tensor SplitHeads(Tensor x, int heads)
    {
        long b = x.shape[0], t = x.shape[1], c = x.shape[2];
        return t == 1 ? x.view(b, heads, 1, c / heads) : x.view(b, t, heads, c / heads).transpose(1, 2);
    }

    /// <summary>(B, T, n·H·D) with channels [first | second | …] → n tensors, each (B, H, T, D) views.</summary>
    public static Tensor[] SplitHeads(Tensor x, int parts, int heads)
    {
        long b = x.shape[0], t = x.shape[1], c = x.shape[2] / parts;
        // unbind rather than selects: its backward is one stack, not zero-filled copies.
        return t == 1
            ? x.view(b, parts, heads, 1, c / heads).unbind(1)
            : x.view(b, t, parts, heads, c / heads).permute(2, 0, 3, 1, 4).unbind(0);
    }

    /// <summary>(B, T, 3·H·D) with channels [Q | K | V] → q, k, v, each (B, H, T, D) views.</summary>
    public static Tensor[] SplitHeads3(Tensor qkv, int heads) => SplitHeads(qkv, 3, heads);

    /// <summary>(B, H, T, D) → (B, T, H·D).</summary>
    public static Tensor MergeHeads(Tensor x)
    {
        long b = x.shape[0], h = x.shape[1], t = x.shape[2], d = x.shape[3];
        return t == 1 ? x.reshape(b, 1, h * d) : x.transpose(1, 2).reshape(b, t, h * d);
    }

    /// <summary>
    /// Hidden keys <paramref name="hidden"/> (broadcasting to (…, T, S), true = hidden) as what the fused
    /// softmax attention takes: an additive bias of <see cref="MaskValue"/> where hidden, and per query 1 if
    /// it sees any key, else 0 (the factor that zeroes a query whose every key is hidden).
    /// </summary>
    public static (Tensor Bias, Tensor Visible) KeyMask(Tensor hidden, ScalarType dtype) =>
        (hidden.to(dtype).mul_(MaskValue(dtype)), hidden.sum(-1, keepdim: true).lt(hidden.shape[^1]).to(dtype));

    /// <summary>
    /// Softmax attention with precomputed masks (see <see cref="KeyMask"/>): one fused op, and one product
    /// with <paramref name="visible"/> when given.
    /// </summary>
    public static Tensor AttendMasked(Tensor q, Tensor k, Tensor v, Tensor? bias, Tensor? visible, double dropout, bool training)
    {
        double p = training ? dropout : 0.0;
        var output = p > 0 && DropoutMasks.Sharded
            ? AttendWithDropout(q, k, v, bias, causal: false, p)
            : nn.functional.scaled_dot_product_attention(q, k, v, bias, p);
        // Out of place: the fused attention's backward needs its output.
        return visible is null ? output : output.mul(visible);
    }

    /// <summary>
    /// normalise(q kᵀ/√D, hidden keys masked) with dropout, times v. <paramref name="q"/> is (…, T, D),
    /// <paramref name="k"/> and <paramref name="v"/> (…, S, D); <paramref name="hidden"/> broadcasts to
    /// (…, T, S), true where a query may not see a key, or is null. <paramref name="causal"/> without
    /// <paramref name="hidden"/> hides the future (key j &gt; query t) for T = S. With
    /// <paramref name="rowsMayBeEmpty"/> (padding present) a query that sees no key at all outputs zeros
    /// rather than an average of hidden values.
    /// </summary>
    /// <remarks>
    /// Softmax goes through libtorch's fused <c>scaled_dot_product_attention</c>: one op instead of five,
    /// and its CPU kernel never materialises the (T, S) weights. Hidden keys enter it as an additive
    /// mask of <see cref="MaskValue"/>, finite, so an all-hidden row gives an average rather than NaN,
    /// which <paramref name="rowsMayBeEmpty"/> then zeroes.
    /// </remarks>
    public static Tensor Attend(Tensor q, Tensor k, Tensor v, Tensor? hidden, bool causal, bool rowsMayBeEmpty,
        bool sparsemax, double dropout, bool training)
    {
        double p = training ? dropout : 0.0;
        if (causal && hidden is null && !sparsemax)
            return p > 0 && DropoutMasks.Sharded
                ? AttendWithDropout(q, k, v, bias: null, causal: true, p)
                : nn.functional.scaled_dot_product_attention(q, k, v, attn_mask: null, p: p, is_casual: true);
        if (causal && hidden is null)
        {
            long t = q.shape[^2];
            hidden = ones(t, t, ScalarType.Bool, q.device).triu(1);
        }
        Tensor output;
        if (sparsemax)
        {
            var scores = q.matmul(k.transpose(-2, -1)).mul_(1.0 / Math.Sqrt(q.shape[^1]));
            // In place: matmul's backward needs its inputs, not its output, and (T, S) is the big tensor here.
            if (hidden is not null) scores.masked_fill_(hidden, MaskValue(scores.dtype));
            var weights = Sparsemax.Apply(scores, -1);
            if (p > 0) weights = DropoutMasks.Apply(weights, p);
            output = weights.matmul(v);
        }
        else
        {
            var bias = hidden is null ? null : hidden.to(q.dtype).mul_(MaskValue(q.dtype));
            output = p > 0 && DropoutMasks.Sharded
                ? AttendWithDropout(q, k, v, bias, causal: false, p)
                : nn.functional.scaled_dot_product_attention(q, k, v, bias, p);
        }
        if (hidden is not null && rowsMayBeEmpty)
        {
            long keys = hidden.shape[^1];
            // Out of place: the fused attention's backward needs its output.
            output = output.mul(hidden.sum(-1, keepdim: true).lt(keys).to(output.dtype));
        }
        return output;
    }

    /// <summary>
    /// Softmax attention with dropout on the weights as libtorch's composite ("math") attention computes
    /// it — the path its fused attention takes on the CPU whenever dropout is on: q and kᵀ each scaled by
    /// D^(−1/4), the causal mask as −∞ or the additive <paramref name="bias"/>, softmax, dropout, times v —
    /// but with the dropout mask drawn through <see cref="DropoutMasks"/>. Used while a data-parallel
    /// process computes its rows of a batch, so that it draws the masks one process would.
    /// </summary>
    private static Tensor AttendWithDropout(Tensor q, Tensor k, Tensor v, Tensor? bias, bool causal, double p)
    {
        using Scalar scale = Math.Sqrt(1.0 / Math.Sqrt(q.shape[^1]));
        var scores = q.mul(scale).matmul(k.transpose(-2, -1).mul(scale));
        if (causal)
        {
            using var future = ones(q.shape[^2], k.shape[^2], ScalarType.Bool, q.device).triu(1);
            using Scalar hidden = double.NegativeInfinity;
            scores.masked_fill_(future, hidden);
        }
        if (bias is not null) scores.add_(bias);
        return DropoutMasks.Apply(scores.softmax(-1), p).matmul(v);
    }

    /// <summary>
    /// The attention weights <see cref="Attend"/> uses in evaluation mode, materialised: normalise(q kᵀ/√D)
    /// with <paramref name="hidden"/> keys (broadcasting to (…, T, S), true = hidden) masked, as float32
    /// (…, T, S); hidden entries are exactly 0, and so is a row whose every key is hidden.
    /// </summary>
    public static Tensor Weights(Tensor q, Tensor k, Tensor? hidden, bool sparsemax)
    {
        var scores = q.matmul(k.transpose(-2, -1)).mul(1.0 / Math.Sqrt(q.shape[^1]));
        if (hidden is not null) scores = scores.masked_fill(hidden, MaskValue(scores.dtype));
        var weights = sparsemax ? Sparsemax.Apply(scores, -1) : scores.softmax(-1);
        if (hidden is not null) weights = weights.masked_fill(hidden, 0.0);
        return weights.to(ScalarType.Float32);
    }

    /// <summary>Throws unless <paramref name="x"/> is (B, T, <paramref name="width"/>).</summary>
    public static void CheckSequence(string mixer, string name, Tensor x, int width)
    {
        if (x.dim() != 3 || x.shape[2] != width)
            throw new ArgumentException($"{mixer} expects {name} of shape (batch, time, {width}), got [{string.Join(", ", x.shape)}]", name);
    }

    /// <summary>Throws unless <paramref name="padding"/> is null or a (B, T) bool mask matching <paramref name="x"/>.</summary>
    public static void CheckPadding(string mixer, string name, Tensor? padding, Tensor x)
    {
        if (padding is null) return;
        if (padding.dtype != ScalarType.Bool || padding.dim() != 2 || padding.shape[0] != x.shape[0] || padding.shape[1] != x.shape[1])
            throw new ArgumentException(
                $"{mixer} expects {name} as a bool mask of shape [{x.shape[0]}, {x.shape[1]}] (true = padded), got {padding.dtype} [{string.Join(", ", padding.shape)}]", name);
    }

    /// <summary>Throws unless the width splits into heads.</summary>
    public static void CheckHeads(string mixer, MixerContext context)
    {
        if (context.Heads <= 0 || context.Width % context.Heads != 0)
            throw new ArgumentException($"{mixer} needs a head count that divides the width: width {context.Width}, heads {context.Heads}", nameof(context));
    }
}
