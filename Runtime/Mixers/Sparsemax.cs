using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Mixers;

/// <summary>
/// Sparsemax (Martins &amp; Astudillo 2016; MIXERS.md §1): the Euclidean projection of the logits onto the
/// probability simplex. Like softmax the result is non-negative and sums to 1; unlike softmax it has
/// exact zeros. Mask entries with a large finite negative value, never −inf (−inf turns into NaN in the
/// arithmetic).
/// </summary>
public static class Sparsemax
{
    private static readonly Scalar One = 1.0;

    /// <summary>
    /// sparsemax(z)_i = max(z_i − τ(z), 0) along <paramref name="dim"/>, where τ = (Σ_{j∈S} z_j − 1)/|S| over
    /// the support S: the k largest entries with 1 + k·z_(k) &gt; Σ_{j≤k} z_(j). Differentiable, with the
    /// Jacobian diag(s) − s sᵀ/|S| on the support (s its indicator).
    /// </summary>
    /// <exception cref="ArgumentException">The input is not floating point, or is a scalar.</exception>
    public static Tensor Apply(Tensor input, long dim = -1)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!is_floating_point(input))
            throw new ArgumentException($"sparsemax expects a floating-point input, got {input.dtype}", nameof(input));
        if (input.dim() == 0)
            throw new ArgumentException("sparsemax needs at least one dimension to normalise over, got a scalar", nameof(input));
        if (dim < -input.dim() || dim >= input.dim())
            throw new ArgumentOutOfRangeException(nameof(dim), dim, $"sparsemax over dimension {dim} of a {input.dim()}-dimensional input");
        if (dim < 0) dim += input.dim();
        if (input.numel() == 0) return input.clone();
        // Autograd's own derivative of the composition below is exact too, but it runs backward through
        // sort, cumsum and gather; the closed form needs only the output.
        return input.requires_grad && is_grad_enabled() ? SparsemaxFunction.apply(input, dim) : Project(input, dim);
    }

    /// <summary>The projection, without autograd.</summary>
    /// <remarks>
    /// Only the sorted prefix up to |S| + 1 matters, and attention supports are small (tens of keys out of
    /// thousands), so the rows are first sorted partially (topk): a row whose condition still holds at the
    /// last of its k sorted values may have a larger support, and then the prefix grows 8× until it is the
    /// full sort. Every row's |S| and τ are those the full sort gives, bit for bit: the prefix and its running
    /// sum are the same numbers.
    /// </remarks>
    internal static Tensor Project(Tensor z, long dim)
    {
        using var scope = NewDisposeScope();
        long n = z.shape[dim];
        var shape = new long[z.dim()];
        Array.Fill(shape, 1L);
        Tensor cumulative, support;
        for (long k = Math.Min(n, FirstPrefix); ; k = Math.Min(n, k * 8))
        {
            var sorted = k == n ? z.sort(dim, descending: true).Values : z.topk((int)k, (int)dim, largest: true, sorted: true).values;
            cumulative = sorted.cumsum(dim);
            shape[dim] = k;
            var ks = arange(1, k + 1, dtype: z.dtype, device: z.device).view(shape);
            // Masked logits are large finite negatives: k·z_(k) and the running sum may overflow to −inf,
            // which only makes the condition false, as it must be for them.
            support = sorted.mul_(ks).add_(One, One).gt(cumulative).sum(dim, keepdim: true);
            if (k == n || !support.eq(k).any().item<bool>()) break;
        }
        // A row whose every logit is the same huge negative number can round the condition to false
        // everywhere; |S| ≥ 1 keeps τ finite, and the row comes out all zeros.
        support.clamp_min_(1);
        var tau = cumulative.gather(dim, support - 1).sub_(One).div_(support);
        return (z - tau).clamp_min_(0).MoveToOuterDisposeScope();
    }

    /// <summary>How many of a row's largest entries the first partial sort takes.</summary>
    private const long FirstPrefix = 64;

    /// <summary>The projection as an autograd function whose backward is the closed form ∂L/∂z = s ⊙ (g − Σ_S g / |S|).</summary>
    private sealed class SparsemaxFunction : autograd.SingleTensorFunction<SparsemaxFunction>
    {
        public override string Name => "Sparsemax";

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            long dim = (long)vars[1];
            var p = Project((Tensor)vars[0], dim);
            ctx.save_for_backward([p]);
            ctx.save_data("dim", dim);
            return p;
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad)
        {
            var p = ctx.get_saved_variables()[0];
            long dim = (long)ctx.get_data("dim");
            var s = p.gt(0).to(grad.dtype);
            var gs = grad * s;
            var mean = gs.sum(dim, keepdim: true).div_(s.sum(dim, keepdim: true).clamp_min_(1));
            return [gs.sub_(s.mul_(mean)), null!];
        }
    }
}
