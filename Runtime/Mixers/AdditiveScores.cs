using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Mixers;

/// <summary>
/// Additive (Bahdanau) attention scores, s[b,h,t,j] = Σ_d w[h,d] · tanh(q[b,h,t,d] + k[b,h,j,d]) (MIXERS.md §1),
/// computed in tiles of queries so that the (B, H, T, S, D) sums inside the tanh never exist whole: forward
/// and backward each hold one tile of them at a time, and the backward recomputes its tiles rather than
/// keeping the forward's.
/// </summary>
internal static class AdditiveScores
{
    /// <summary>How many elements one tile of (B, H, tile, S, D) sums may hold (16 MiB of float32).</summary>
    internal const long TileElements = 1L << 22;

    /// <summary>
    /// The scores (B, H, T, S) of queries <paramref name="q"/> (B, H, T, D) against keys <paramref name="k"/>
    /// (B, H, S, D) with the score vectors <paramref name="w"/> (H, D); differentiable in all three.
    /// </summary>
    public static Tensor Compute(Tensor q, Tensor k, Tensor w) => Compute(q, k, w, TileElements);

    /// <summary>As <see cref="Compute(Tensor, Tensor, Tensor)"/>, with tiles of at most <paramref name="tileElements"/> sums (tests use small ones).</summary>
    internal static Tensor Compute(Tensor q, Tensor k, Tensor w, long tileElements) =>
        is_grad_enabled() && (q.requires_grad || k.requires_grad || w.requires_grad)
            ? AdditiveScoresFunction.apply(q, k, w, tileElements)
            : Forward(q, k, w, tileElements);

    /// <summary>Queries per tile, so that a tile of sums holds at most <paramref name="tileElements"/> elements (at least one query).</summary>
    internal static long Tile(Tensor q, Tensor k, long tileElements)
    {
        long perQuery = Math.Max(1, q.shape[0] * q.shape[1] * k.shape[2] * q.shape[3]);
        return Math.Clamp(tileElements / perQuery, 1, Math.Max(1, q.shape[2]));
    }

    // tanh(q[:, :, t0 : t0 + n] + k) for one tile: (B, H, n, S, D).
    private static Tensor Sums(Tensor q, Tensor k, long start, long count) =>
        q.narrow(2, start, count).unsqueeze(3).add(k.unsqueeze(2)).tanh_();

    private static Tensor Forward(Tensor q, Tensor k, Tensor w, long tileElements)
    {
        using var scope = NewDisposeScope();
        long b = q.shape[0], h = q.shape[1], t = q.shape[2], s = k.shape[2], d = q.shape[3];
        var scores = empty([b, h, t, s], q.dtype, q.device);
        var vectors = w.view(1, h, 1, d, 1);
        long tile = Tile(q, k, tileElements);
        for (long start = 0; start < t; start += tile)
        {
            long count = Math.Min(tile, t - start);
            using var step = NewDisposeScope();
            // (B, H, n, S, D) @ (1, H, 1, D, 1) → (B, H, n, S, 1)
            scores.narrow(2, start, count).copy_(Sums(q, k, start, count).matmul(vectors).squeeze(-1));
        }
        return scores.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The backward pass, tile by tile: with u = tanh(q + k) and g the scores' gradient,
    /// ∂w[h] = Σ g·u, and δ = g · w · (1 − u²) gives ∂q = Σ_j δ and ∂k = Σ_t δ.
    /// </summary>
    private static (Tensor Q, Tensor K, Tensor W) Backward(Tensor grad, Tensor q, Tensor k, Tensor w, long tileElements)
    {
        using var scope = NewDisposeScope();
        long h = q.shape[1], t = q.shape[2], d = q.shape[3];
        var gradQ = empty_like(q);
        var gradK = zeros_like(k);
        var gradW = zeros_like(w);
        var vectors = w.view(1, h, 1, 1, d);
        long tile = Tile(q, k, tileElements);
        for (long start = 0; start < t; start += tile)
        {
            long count = Math.Min(tile, t - start);
            using var step = NewDisposeScope();
            var u = Sums(q, k, start, count);                                       // (B, H, n, S, D)
            var g = grad.narrow(2, start, count).unsqueeze(-1);                     // (B, H, n, S, 1)
            // Σ over b, n, S of g·u: (B, H, n, 1, S) @ (B, H, n, S, D) → (B, H, n, 1, D), then summed.
            gradW.add_(g.transpose(-2, -1).matmul(u).sum([0, 2, 3]));
            var delta = u.mul_(u).neg_().add_(One).mul_(g).mul_(vectors);           // g · w · (1 − u²)
            gradQ.narrow(2, start, count).copy_(delta.sum(3));
            gradK.add_(delta.sum(2));
        }
        return (gradQ.MoveToOuterDisposeScope(), gradK.MoveToOuterDisposeScope(), gradW.MoveToOuterDisposeScope());
    }

    private static readonly Scalar One = 1.0;

    private sealed class AdditiveScoresFunction : autograd.SingleTensorFunction<AdditiveScoresFunction>
    {
        public override string Name => "AdditiveScores";

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            Tensor q = (Tensor)vars[0], k = (Tensor)vars[1], w = (Tensor)vars[2];
            long tileElements = (long)vars[3];
            ctx.save_for_backward([q, k, w]);
            ctx.save_data("tile", tileElements);
            return Forward(q, k, w, tileElements);
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad)
        {
            var saved = ctx.get_saved_variables();
            var (q, k, w) = Backward(grad, saved[0], saved[1], saved[2], (long)ctx.get_data("tile"));
            return [q, k, w, null!];
        }
    }
}
