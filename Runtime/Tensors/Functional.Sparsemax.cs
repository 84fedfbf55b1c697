using Composer.Native;

namespace Composer.Tensors;

public static partial class Functional
{
    /// <summary>
    /// Sparsemax along <paramref name="dim"/> (Martins &amp; Astudillo 2016; MIXERS.md §1): the Euclidean
    /// projection of the logits onto the probability simplex. Like softmax the result is non-negative and
    /// sums to 1, unlike softmax it has exact zeros. Mask entries with a large finite negative value, never
    /// −inf (−inf turns into NaN in the arithmetic). The gradient uses the closed-form Jacobian
    /// diag(s) − s sᵀ/|S| on the support S.
    /// </summary>
    public static Tensor Sparsemax(Tensor input, int dim = -1) =>
        Tensor.Wrap(NativeMethods.cmp_sparsemax(input.Handle, dim));
}
