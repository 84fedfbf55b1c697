using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Mixers;

/// <summary>Checks and masking shared by the mixers whose parameters are indexed by position (L_max rows).</summary>
internal static class PositionMixing
{
    private static readonly Scalar Zero = 0.0;

    /// <summary>The head width D = C / H, after checking that the heads divide the width.</summary>
    public static int HeadWidth(MixerContext context, string mixer)
    {
        if (context.Width < 1) throw new ArgumentException($"{mixer} needs a positive width, got {context.Width}", nameof(context));
        if (context.Heads < 1 || context.Width % context.Heads != 0)
            throw new ArgumentException($"{mixer} splits the width {context.Width} into {context.Heads} heads, which does not divide it", nameof(context));
        return context.Width / context.Heads;
    }

    /// <summary>L_max, after checking that the declaration gave one.</summary>
    public static int MaxLength(MixerContext context, string mixer) => context.MaxLength > 0
        ? context.MaxLength
        : throw new ArgumentException($"{mixer} has parameters indexed by position, so it needs a MaxLength (the declaration's L_max), got {context.MaxLength}", nameof(context));

    /// <summary>Checks that <paramref name="x"/> is (B, T, C) with T ≤ L_max, and returns (B, T).</summary>
    public static (long Batch, long Length) CheckInput(Tensor x, int width, int maxLength, string mixer)
    {
        ArgumentNullException.ThrowIfNull(x);
        var shape = x.shape;
        if (shape.Length != 3 || shape[2] != width)
            throw new ArgumentException($"{mixer} takes (B, T, {width}) inputs, got [{string.Join(", ", shape)}]", nameof(x));
        if (shape[1] > maxLength)
            throw new ArgumentException($"{mixer} covers at most MaxLength = {maxLength} positions, but the sequence has {shape[1]}; declare a larger MaxLength or truncate the input", nameof(x));
        return (shape[0], shape[1]);
    }

    /// <summary>Checks a step input (B, 1, C) against the state's batch size.</summary>
    public static void CheckStep(Tensor x, int width, long batchSize, string mixer)
    {
        ArgumentNullException.ThrowIfNull(x);
        var shape = x.shape;
        if (shape.Length != 3 || shape[1] != 1 || shape[2] != width)
            throw new ArgumentException($"{mixer}.Step takes one position, (B, 1, {width}), got [{string.Join(", ", shape)}]", nameof(x));
        if (shape[0] != batchSize)
            throw new ArgumentException($"{mixer}.Step got a batch of {shape[0]} for a state of {batchSize} sequences", nameof(x));
    }

    /// <summary>
    /// The leading (T, T) block of a position-indexed (H, L_max, L_max) matrix. When T = L_max that is the
    /// matrix itself: two narrows would make autograd scatter the full (H, L_max, L_max) gradient into a
    /// zero tensor twice, which PyTorch skips for a slice that covers the whole dimension.
    /// </summary>
    public static Tensor Leading(Tensor matrix, long length) =>
        length == matrix.shape[1] && length == matrix.shape[2] ? matrix : matrix.narrow(1, 0, length).narrow(2, 0, length);

    /// <summary><paramref name="x"/> (B, T, C) with the padded positions (true in <paramref name="padding"/> (B, T)) set to zero.</summary>
    public static Tensor ZeroPadded(Tensor x, Tensor? padding) => padding is null ? x : x.masked_fill(padding.unsqueeze(-1), Zero);

    /// <summary>
    /// <paramref name="weights"/> (B or 1, H, T, T) with the rows and columns of padded positions set to 0,
    /// as float32 (B, H, T, T): padded inputs are zeroed before mixing and padded outputs after, so
    /// neither takes part.
    /// </summary>
    public static Tensor WithoutPadded(Tensor weights, Tensor? padding, long batch)
    {
        if (padding is not null)
        {
            long t = padding.shape[1];
            var real = padding.logical_not().to(weights.dtype);
            weights = weights * real.view(batch, 1, t, 1) * real.view(batch, 1, 1, t);
        }
        return weights.expand(batch, -1, -1, -1).to(ScalarType.Float32);
    }

    /// <summary>
    /// The most negative finite value of <paramref name="dtype"/>: masked logits get it rather than −∞,
    /// so a fully masked row softmaxes to a uniform row instead of NaN (MIXERS.md §12 N2).
    /// </summary>
    public static double Lowest(ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 => double.MinValue,
        ScalarType.Float16 => -65504.0,
        ScalarType.BFloat16 => -3.3895313892515355e38,
        _ => float.MinValue,
    };
}
