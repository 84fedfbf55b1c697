using System;
using Composer.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Mixers;

/// <summary>
/// What lightweight and dynamic convolution share (MIXERS.md §2–§3): the input projection with its GLU,
/// the padding rule, kernel normalisation, and the convolution itself,
/// O[b, t, c] = Σ_k W[h(c), k] · X[b, t + k − P_l, c] with h(c) = c / (C/H) and zero padding.
/// </summary>
/// <remarks>
/// Neither form materialises the B×T×C×K windows of an unfold. A shared kernel (lightweight) runs as a
/// depthwise convolution over the (B, T, C) layout as it is, whose backward is made of depthwise
/// convolutions too (<see cref="DepthwiseConvolution"/>). Kernels that change with the position (dynamic) run as banded
/// matrix products over chunks of L positions: the L outputs of a chunk depend on a window of L + K − 1
/// inputs, and a head's kernels for those L positions form an (L, L + K − 1) band matrix, so one product
/// per chunk and head does the work of L·R kernel dot products; the windows overlap by K − 1 positions
/// only, so their copy is about (L + K − 1)/L times the input.
/// </remarks>
internal static class Convolution
{
    private static readonly Scalar Zero = 0.0;

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
        var h = projection.forward(x);
        if (glu) h = nn.functional.glu(h, -1);
        return padding is null ? h : h.masked_fill(padding.unsqueeze(-1), Zero);
    }

    /// <summary>Softmax over dimension <paramref name="taps"/> when <paramref name="softmax"/>, then DropConnect while training.</summary>
    public static Tensor Normalise(Tensor kernels, bool softmax, double dropConnect, bool training, long taps = -1)
    {
        if (softmax) kernels = kernels.softmax(taps);
        return training && dropConnect > 0 ? nn.functional.dropout(kernels, dropConnect, training: true) : kernels;
    }

    /// <summary>
    /// Convolves <paramref name="h"/> (B, T, C) with one kernel per head, <paramref name="kernels"/> (H, K),
    /// <paramref name="left"/> zeros before the first position. Returns (B, T, C).
    /// </summary>
    public static Tensor Shared(Tensor h, Tensor kernels, int left)
    {
        CheckShapes(h, kernels, 2, "kernels (H, K)", left);
        long c = h.shape[2], heads = kernels.shape[0], k = kernels.shape[1];
        var weight = kernels.unsqueeze(1).expand(heads, c / heads, k).reshape(c, 1, k);        // head h's kernel for its C/H channels
        var input = nn.functional.pad(h, [0, 0, left, k - 1 - left]);                          // (B, T + K − 1, C)
        return DepthwiseConvolution.Apply(input, weight);
    }

    /// <summary>
    /// Convolves <paramref name="h"/> (B, T, C) with a kernel per position and head,
    /// <paramref name="kernels"/> (B, T, H, K), <paramref name="left"/> zeros before the first position.
    /// Returns (B, T, C).
    /// </summary>
    public static Tensor PerPosition(Tensor h, Tensor kernels, int left)
    {
        CheckShapes(h, kernels, 4, "kernels (B, T, H, K)", left);
        long b = h.shape[0], t = h.shape[1], c = h.shape[2], heads = kernels.shape[2], k = kernels.shape[3], r = c / heads;
        long l = ChunkLength(t, k), n = (t + l - 1) / l, w = l + k - 1;
        // One product per (batch, chunk, head): its L kernels as band rows times its window.
        var columns = Windows(h, heads, left, l, n, k).transpose(3, 4).reshape(b * n * heads, w, r);
        if (n * l != t) kernels = nn.functional.pad(kernels, [0, 0, 0, 0, 0, n * l - t]);
        var rows = kernels.view(b, n, l, heads, k).permute(0, 1, 3, 2, 4);                  // (B, n, H, L, K)
        var band = Band(rows, l).reshape(b * n * heads, l, w);
        var y = band.bmm(columns).view(b, n, heads, l, r).permute(0, 1, 3, 2, 4).reshape(b, n * l, c);
        return n * l == t ? y : y.narrow(1, 0, t);
    }

    /// <summary>
    /// The output of a decoding step: <paramref name="window"/> (B, H, C/H, K) holds the last K inputs,
    /// oldest first (zeros before the start); <paramref name="taps"/> is (H, K, 1), or per sequence
    /// (B, H, K, 1). Returns (B, 1, C).
    /// </summary>
    /// <remarks>
    /// The kernels were normalised over all K taps before this; the zeros standing for positions before
    /// the start then drop the taps that have no input yet, which is fairseq's "softmax first, then slice
    /// to the history" (MIXERS.md C4) and exactly the zero left padding of the full sequence.
    /// </remarks>
    public static Tensor Last(Tensor window, Tensor taps) => window.matmul(taps).view(window.shape[0], 1, -1);

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
        var shape = rows.shape;
        long k = shape[^1], w = l + k - 1;
        var flat = nn.functional.pad(rows, [0, l]).flatten(rows.dim() - 2).narrow(-1, 0, l * w);
        shape[^2] = l;
        shape[^1] = w;
        return flat.view(shape);
    }

    // The mixers pass consistent shapes; these checks keep a wrong call from failing deep inside a view.
    private static void CheckShapes(Tensor h, Tensor kernels, int dims, string expected, int left)
    {
        long heads = kernels.dim() == dims ? kernels.shape[^2] : 0, k = kernels.shape[^1];
        bool matches = h.dim() == 3 && heads > 0 && h.shape[2] % heads == 0 &&
            (dims == 2 || (kernels.shape[0] == h.shape[0] && kernels.shape[1] == h.shape[1]));
        if (!matches)
            throw new ArgumentException($"a convolution of h [{string.Join(", ", h.shape)}] (B, T, C) needs {expected} with H dividing C, got [{string.Join(", ", kernels.shape)}]", nameof(kernels));
        if (left < 0 || left > k - 1)
            throw new ArgumentOutOfRangeException(nameof(left), left, $"the left padding of a convolution with kernel width {k} must be between 0 and {k - 1}");
    }

    /// <summary>
    /// The input windows of every chunk: <paramref name="h"/> (B, T, C) padded with <paramref name="left"/>
    /// zeros before and enough after for n chunks of <paramref name="l"/>, as a view (B, n, H, R, L + K − 1).
    /// </summary>
    private static Tensor Windows(Tensor h, long heads, int left, long l, long n, long k)
    {
        long b = h.shape[0], t = h.shape[1], c = h.shape[2], padded = n * l + k - 1;
        return nn.functional.pad(h, [0, 0, left, padded - left - t]).view(b, padded, heads, c / heads).unfold(1, l + k - 1, l);
    }

    /// <summary>
    /// Positions per chunk. Longer chunks mean bigger matrix products but more zeros in each band (a row
    /// of L + K − 1 entries has K non-zero) and a bigger band tensor; L = K, at least 16, measured best
    /// on the CPU (within a few percent from 16 to 32 at K = 31). Never longer than the sequence.
    /// </summary>
    private static long ChunkLength(long time, long kernel) => Math.Max(1, Math.Min(time, Math.Max(16, kernel)));
}
