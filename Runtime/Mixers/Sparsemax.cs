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
    /// <summary>
    /// sparsemax(z)_i = max(z_i − τ(z), 0), where τ = (Σ_{j∈S} z_j − 1)/|S| over the support S: the k
    /// largest entries with 1 + k·z_(k) &gt; Σ_{j≤k} z_(j). Differentiable: autograd through τ gives the
    /// Jacobian diag(s) − s sᵀ/|S| on the support.
    /// </summary>
    public static Tensor Apply(Tensor input, long dim = -1)
    {
        var sorted = input.sort(dim, descending: true).Values;
        var cumulative = sorted.cumsum(dim);
        long n = input.shape[dim < 0 ? dim + input.dim() : dim];
        var shape = new long[input.dim()];
        System.Array.Fill(shape, 1L);
        shape[dim < 0 ? dim + input.dim() : dim] = n;
        var k = arange(1, n + 1, dtype: input.dtype, device: input.device).view(shape);
        // Support size per slice: how many sorted entries satisfy 1 + k·z_(k) > cumsum_k (a prefix).
        var support = (k * sorted + 1).gt(cumulative).sum(dim, keepdim: true);
        var tau = (cumulative.gather(dim, support - 1) - 1) / support.to(input.dtype);
        return (input - tau).clamp_min(0);
    }
}
