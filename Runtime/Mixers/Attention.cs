using System;
using Composer.Tensors;

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
    public static double MaskValue(DType dtype) => dtype switch
    {
        DType.Float16 => -65504.0 / 2,
        DType.BFloat16 => -3.3895313892515355e38 / 2,
        DType.Float64 => double.MinValue / 2,
        _ => float.MinValue / 2.0,
    };

    /// <summary>(B, T, H·D) → (B, H, T, D), a view.</summary>
    public static Tensor SplitHeads(Tensor x, int heads)
    {
        long b = x.Size(0), t = x.Size(1), c = x.Size(2);
        return x.View(b, t, heads, c / heads).Transpose(1, 2);
    }

    /// <summary>(B, H, T, D) → (B, T, H·D).</summary>
    public static Tensor MergeHeads(Tensor x)
    {
        long b = x.Size(0), h = x.Size(1), t = x.Size(2), d = x.Size(3);
        return x.Transpose(1, 2).Reshape(b, t, h * d);
    }

    /// <summary>
    /// weights = normalise(q kᵀ, hidden keys masked) with dropout, returns weights · v. <paramref name="q"/> is
    /// (…, T, D) and already scaled by 1/√D, <paramref name="keysTransposed"/> (…, D, S),
    /// <paramref name="values"/> (…, S, D); <paramref name="hidden"/> broadcasts to (…, T, S), true where a
    /// query may not see a key. With <paramref name="rowsMayBeEmpty"/> (padding present) a query that sees
    /// no key at all outputs zeros rather than an average of hidden values.
    /// </summary>
    public static Tensor Attend(Tensor q, Tensor keysTransposed, Tensor values, Tensor? hidden, bool rowsMayBeEmpty,
        bool sparsemax, double dropout, bool training)
    {
        var scores = q.Matmul(keysTransposed);
        // In place: matmul's backward needs its inputs, not its output, and (T, S) is the big tensor here.
        if (hidden is not null) scores.MaskedFillInPlace(hidden, MaskValue(scores.DType));
        var weights = sparsemax ? Functional.Sparsemax(scores, -1) : scores.Softmax(-1);
        scores.Dispose();
        if (training && dropout > 0)
        {
            var dropped = Functional.Dropout(weights, dropout, training: true);
            weights.Dispose();
            weights = dropped;
        }
        var output = weights.Matmul(values);
        weights.Dispose();
        if (hidden is not null && rowsMayBeEmpty)
        {
            long keys = hidden.Size(-1);
            output.MulInPlace(hidden.Sum(-1, keepdim: true).Lt(keys).To(output.DType));
        }
        return output;
    }

    /// <summary>Throws unless <paramref name="x"/> is (B, T, <paramref name="width"/>).</summary>
    public static void CheckSequence(string mixer, string name, Tensor x, int width)
    {
        if (x.Dim != 3 || x.Size(2) != width)
            throw new ArgumentException($"{mixer} expects {name} of shape (batch, time, {width}), got [{string.Join(", ", x.Shape)}]", name);
    }

    /// <summary>Throws unless <paramref name="padding"/> is null or a (B, T) bool mask matching <paramref name="x"/>.</summary>
    public static void CheckPadding(string mixer, string name, Tensor? padding, Tensor x)
    {
        if (padding is null) return;
        if (padding.DType != DType.Bool || padding.Dim != 2 || padding.Size(0) != x.Size(0) || padding.Size(1) != x.Size(1))
            throw new ArgumentException(
                $"{mixer} expects {name} as a bool mask of shape [{x.Size(0)}, {x.Size(1)}] (true = padded), got {padding.DType} [{string.Join(", ", padding.Shape)}]", name);
    }

    /// <summary>Throws unless the width splits into heads.</summary>
    public static void CheckHeads(string mixer, MixerContext context)
    {
        if (context.Heads <= 0 || context.Width % context.Heads != 0)
            throw new ArgumentException($"{mixer} needs a head count that divides the width: width {context.Width}, heads {context.Heads}", nameof(context));
    }
}
