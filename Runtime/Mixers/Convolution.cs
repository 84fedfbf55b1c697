using System;
using Composer.Layers;
using Composer.Native;
using Composer.Tensors;

namespace Composer.Mixers;

/// <summary>
/// What lightweight and dynamic convolution share (MIXERS.md §2–§3): the input projection with its GLU,
/// the padding rule, kernel normalisation, and the convolution itself,
/// O[b, t, c] = Σ_k W[h(c), k] · X[b, t + k − P_l, c] with h(c) = c / (C/H) and zero padding.
/// </summary>
/// <remarks>
/// Neither form materialises the B×T×C×K windows of an unfold. A shared kernel (lightweight) runs as a
/// depthwise <c>conv1d</c> with a backward made of forward convolutions (depthwise_conv.cpp). Kernels
/// that change with the position (dynamic) run as banded matrix products over chunks of L positions:
/// the L outputs of a chunk depend on a window of L + K − 1 inputs, and a head's kernels for those L
/// positions form an (L, L + K − 1) band matrix, so one product per chunk and head does the work of
/// L·R kernel dot products; the windows overlap by K − 1 positions only, so their copy is about
/// (L + K − 1)/L times the input.
/// </remarks>
internal static class Convolution
{
    /// <summary>Checks what the context must give a convolution mixer.</summary>
    public static void CheckContext(string mixer, MixerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Width <= 0)
            throw new ArgumentOutOfRangeException(nameof(context), $"{mixer} needs a positive width, got {context.Width}");
        if (context.Heads <= 0 || context.Width % context.Heads != 0)
            throw new ArgumentException($"{mixer} needs a head count that divides the width: width {context.Width}, heads {context.Heads}", nameof(context));
        if (context.Kernel <= 0)
            throw new ArgumentException($"{mixer} needs a kernel width of at least 1, got {context.Kernel}", nameof(context));
        if (!(context.WeightDropout >= 0 && context.WeightDropout < 1))
            throw new ArgumentOutOfRangeException(nameof(context), context.WeightDropout, $"{mixer}'s weight dropout (DropConnect) must be in [0, 1)");
    }

    /// <summary>
    /// Zero padding of the time axis, (left, right): K − 1 on the left when causal; otherwise centred,
    /// (K − 1)/2 on the left and K/2 on the right (asymmetric for even K, as in fairseq).
    /// </summary>
    public static (int Left, int Right) PaddingSides(int kernel, bool causal) =>
        causal ? (kernel - 1, 0) : ((kernel - 1) / 2, kernel / 2);

    /// <summary>
    /// The convolution input: <paramref name="projection"/> of <paramref name="x"/> (B, T, C), halved by a GLU
    /// when <paramref name="glu"/>, with padded timesteps zeroed (MIXERS.md N6) so they add nothing to their
    /// neighbours' outputs.
    /// </summary>
    public static Tensor ProjectIn(Linear projection, bool glu, Tensor x, Tensor? padding)
    {
        var h = projection.Forward(x);
        if (glu) h = h.Glu(-1);
        return padding is null ? h : h.MaskedFill(padding.Unsqueeze(-1), 0.0);
    }

    /// <summary>Softmax over the taps (the last dimension) when <paramref name="softmax"/>, then DropConnect while training.</summary>
    public static Tensor Normalise(Tensor kernels, bool softmax, double dropConnect, bool training)
    {
        if (softmax) kernels = kernels.Softmax(-1);
        return training && dropConnect > 0 ? Functional.Dropout(kernels, dropConnect, training: true) : kernels;
    }

    /// <summary>
    /// Convolves <paramref name="h"/> (B, T, C) with one kernel per head, <paramref name="kernels"/> (H, K),
    /// <paramref name="left"/> zeros before the first position. Returns (B, T, C).
    /// </summary>
    /// <remarks>
    /// A depthwise <c>conv1d</c>, each head's kernel repeated for its C/H channels, whose backward is
    /// itself made of depthwise convolutions (see depthwise_conv.cpp): libtorch's own backward for it
    /// is many times slower than the forward on the CPU.
    /// </remarks>
    public static Tensor Shared(Tensor h, Tensor kernels, int left)
    {
        long c = h.Size(2), heads = kernels.Size(0), k = kernels.Size(1);
        var weight = kernels.Unsqueeze(1).Expand(heads, c / heads, k).Reshape(c, 1, k);
        var input = Functional.Pad(h.Transpose(1, 2), [left, k - 1 - left]);      // (B, C, T + K − 1)
        return Tensor.Wrap(NativeMethods.cmp_depthwise_conv1d(input.Handle, weight.Handle)).Transpose(1, 2);
    }

    /// <summary>
    /// Convolves <paramref name="h"/> (B, T, C) with a kernel per position and head,
    /// <paramref name="kernels"/> (B, T, H, K), <paramref name="left"/> zeros before the first position.
    /// Returns (B, T, C).
    /// </summary>
    public static Tensor PerPosition(Tensor h, Tensor kernels, int left)
    {
        long b = h.Size(0), t = h.Size(1), c = h.Size(2), heads = kernels.Size(2), k = kernels.Size(3), r = c / heads;
        long l = ChunkLength(t, k), n = (t + l - 1) / l, w = l + k - 1;
        var windows = Windows(h, heads, left, l, n, k);                          // (B, n, H, R, W)
        // One product per (batch, chunk, head): its L kernels as band rows times its window.
        var columns = windows.Transpose(3, 4).Reshape(b * n * heads, w, r);
        if (n * l != t) kernels = Functional.Pad(kernels, [0, 0, 0, 0, 0, n * l - t]);
        var rows = kernels.View(b, n, l, heads, k).Permute(0, 1, 3, 2, 4);       // (B, n, H, L, K)
        var band = Band(rows, l).Reshape(b * n * heads, l, w);
        var y = band.Bmm(columns).View(b, n, heads, l, r).Permute(0, 1, 3, 2, 4).Reshape(b, n * l, c);
        return n * l == t ? y : y.Narrow(1, 0, t);
    }

    /// <summary>
    /// The last output of a step: <paramref name="window"/> (B, C, K) holds the last K inputs (zeros
    /// before the start), <paramref name="kernels"/> is (H, K) or, per sequence, (B, H, K). Returns (B, 1, C).
    /// </summary>
    /// <remarks>
    /// The kernels were normalised over all K taps before this; the zeros standing for positions before
    /// the start then drop the taps that have no input yet, which is fairseq's "softmax first, then slice
    /// to the history" (MIXERS.md C4) and exactly the zero left padding of the full sequence.
    /// </remarks>
    public static Tensor Last(Tensor window, Tensor kernels)
    {
        long b = window.Size(0), c = window.Size(1), k = window.Size(2);
        long heads = kernels.Size(-2);
        var taps = kernels.Dim == 2 ? kernels.View(heads, k, 1) : kernels.View(b, heads, k, 1);
        return window.View(b, heads, c / heads, k).Matmul(taps).View(b, 1, c);
    }

    /// <summary>
    /// Band matrices from per-row kernels: <paramref name="rows"/> (…, L, K) becomes (…, L, L + K − 1) with
    /// row i holding its kernel in columns i … i + K − 1 and zeros elsewhere.
    /// </summary>
    /// <remarks>
    /// Padding each row with L zeros to width L + K and reading the flattened rows back with width
    /// L + K − 1 shifts row i right by i: the usual skew trick, done with views and one copy.
    /// </remarks>
    public static Tensor Band(Tensor rows, long l)
    {
        var shape = rows.Shape;
        long k = shape[^1], w = l + k - 1;
        var flat = Functional.Pad(rows, [0, l]).Flatten(rows.Dim - 2).Narrow(-1, 0, l * w);
        shape[^2] = l;
        shape[^1] = w;
        return flat.View(shape);
    }

    /// <summary>
    /// The input windows of every chunk: <paramref name="h"/> (B, T, C) padded with <paramref name="left"/>
    /// zeros before and enough after for n chunks of <paramref name="l"/>, as a view (B, n, H, R, L + K − 1).
    /// </summary>
    private static Tensor Windows(Tensor h, long heads, int left, long l, long n, long k)
    {
        long b = h.Size(0), t = h.Size(1), c = h.Size(2), padded = n * l + k - 1;
        return Functional.Pad(h, [0, 0, left, padded - left - t]).View(b, padded, heads, c / heads).Unfold(1, l + k - 1, l);
    }

    /// <summary>
    /// Positions per chunk. Longer chunks mean bigger matrix products but more zeros in each band (a row
    /// of L + K − 1 entries has K non-zero) and a bigger band tensor; L = K, at least 16, measured best
    /// on the CPU (within a few percent from 16 to 32 at K = 31). Never longer than the sequence.
    /// </summary>
    private static long ChunkLength(long time, long kernel) => Math.Max(1, Math.Min(time, Math.Max(16, kernel)));
}
