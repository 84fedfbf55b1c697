using System.Runtime.InteropServices;
using Composer.Tensors;

namespace Composer.Native;

// ops_elementwise.cpp and autograd.cpp
internal static unsafe partial class NativeMethods
{
    [DllImport(Lib)] internal static extern nint cmp_add(nint a, nint b, Scalar alpha);
    [DllImport(Lib)] internal static extern nint cmp_sub(nint a, nint b, Scalar alpha);
    [DllImport(Lib)] internal static extern nint cmp_mul(nint a, nint b);
    [DllImport(Lib)] internal static extern nint cmp_div(nint a, nint b);
    [DllImport(Lib)] internal static extern nint cmp_pow(nint a, nint b);
    [DllImport(Lib)] internal static extern nint cmp_maximum(nint a, nint b);
    [DllImport(Lib)] internal static extern nint cmp_minimum(nint a, nint b);
    [DllImport(Lib)] internal static extern nint cmp_add_scalar(nint a, Scalar b, Scalar alpha);
    [DllImport(Lib)] internal static extern nint cmp_sub_scalar(nint a, Scalar b, Scalar alpha);
    [DllImport(Lib)] internal static extern nint cmp_rsub_scalar(nint a, Scalar b);
    [DllImport(Lib)] internal static extern nint cmp_mul_scalar(nint a, Scalar b);
    [DllImport(Lib)] internal static extern nint cmp_div_scalar(nint a, Scalar b);
    [DllImport(Lib)] internal static extern nint cmp_rdiv_scalar(nint a, Scalar b);
    [DllImport(Lib)] internal static extern nint cmp_pow_scalar(nint a, Scalar b);
    [DllImport(Lib)] internal static extern nint cmp_remainder_scalar(nint a, Scalar b);

    [DllImport(Lib)] internal static extern int cmp_add_(nint a, nint b, Scalar alpha);
    [DllImport(Lib)] internal static extern int cmp_sub_(nint a, nint b, Scalar alpha);
    [DllImport(Lib)] internal static extern int cmp_mul_(nint a, nint b);
    [DllImport(Lib)] internal static extern int cmp_div_(nint a, nint b);
    [DllImport(Lib)] internal static extern int cmp_add_scalar_(nint a, Scalar b);
    [DllImport(Lib)] internal static extern int cmp_mul_scalar_(nint a, Scalar b);
    [DllImport(Lib)] internal static extern int cmp_div_scalar_(nint a, Scalar b);
    [DllImport(Lib)] internal static extern int cmp_pow_scalar_(nint a, Scalar b);
    [DllImport(Lib)] internal static extern int cmp_addcmul_(nint a, nint t1, nint t2, Scalar value);
    [DllImport(Lib)] internal static extern int cmp_addcdiv_(nint a, nint t1, nint t2, Scalar value);
    [DllImport(Lib)] internal static extern int cmp_lerp_(nint a, nint end, Scalar weight);
    [DllImport(Lib)] internal static extern int cmp_zero_(nint a);
    [DllImport(Lib)] internal static extern int cmp_fill_(nint a, Scalar value);
    [DllImport(Lib)] internal static extern int cmp_copy_(nint a, nint source);
    [DllImport(Lib)] internal static extern int cmp_clamp_(nint a, Scalar lo, int hasLo, Scalar hi, int hasHi);
    [DllImport(Lib)] internal static extern int cmp_masked_fill_(nint a, nint mask, Scalar value);
    [DllImport(Lib)] internal static extern int cmp_relu_(nint a);

    [DllImport(Lib)] internal static extern nint cmp_eq(nint a, nint b);
    [DllImport(Lib)] internal static extern nint cmp_ne(nint a, nint b);
    [DllImport(Lib)] internal static extern nint cmp_lt(nint a, nint b);
    [DllImport(Lib)] internal static extern nint cmp_le(nint a, nint b);
    [DllImport(Lib)] internal static extern nint cmp_gt(nint a, nint b);
    [DllImport(Lib)] internal static extern nint cmp_ge(nint a, nint b);
    [DllImport(Lib)] internal static extern nint cmp_eq_scalar(nint a, Scalar b);
    [DllImport(Lib)] internal static extern nint cmp_ne_scalar(nint a, Scalar b);
    [DllImport(Lib)] internal static extern nint cmp_lt_scalar(nint a, Scalar b);
    [DllImport(Lib)] internal static extern nint cmp_le_scalar(nint a, Scalar b);
    [DllImport(Lib)] internal static extern nint cmp_gt_scalar(nint a, Scalar b);
    [DllImport(Lib)] internal static extern nint cmp_ge_scalar(nint a, Scalar b);
    [DllImport(Lib)] internal static extern nint cmp_logical_and(nint a, nint b);
    [DllImport(Lib)] internal static extern nint cmp_logical_or(nint a, nint b);
    [DllImport(Lib)] internal static extern nint cmp_logical_not(nint a);
    [DllImport(Lib)] internal static extern nint cmp_isnan(nint a);
    [DllImport(Lib)] internal static extern nint cmp_isfinite(nint a);
    [DllImport(Lib)] internal static extern int cmp_allclose(nint a, nint b, double rtol, double atol);
    [DllImport(Lib)] internal static extern int cmp_equal(nint a, nint b);

    [DllImport(Lib)] internal static extern nint cmp_neg(nint a);
    [DllImport(Lib)] internal static extern nint cmp_abs(nint a);
    [DllImport(Lib)] internal static extern nint cmp_exp(nint a);
    [DllImport(Lib)] internal static extern nint cmp_log(nint a);
    [DllImport(Lib)] internal static extern nint cmp_sqrt(nint a);
    [DllImport(Lib)] internal static extern nint cmp_rsqrt(nint a);
    [DllImport(Lib)] internal static extern nint cmp_sin(nint a);
    [DllImport(Lib)] internal static extern nint cmp_cos(nint a);
    [DllImport(Lib)] internal static extern nint cmp_sign(nint a);
    [DllImport(Lib)] internal static extern nint cmp_reciprocal(nint a);
    [DllImport(Lib)] internal static extern nint cmp_relu(nint a);
    [DllImport(Lib)] internal static extern nint cmp_sigmoid(nint a);
    [DllImport(Lib)] internal static extern nint cmp_tanh(nint a);
    [DllImport(Lib)] internal static extern nint cmp_silu(nint a);
    [DllImport(Lib)] internal static extern nint cmp_gelu(nint a, int approximate);
    [DllImport(Lib)] internal static extern nint cmp_elu(nint a, Scalar alpha);
    [DllImport(Lib)] internal static extern nint cmp_glu(nint a, long dim);
    [DllImport(Lib)] internal static extern nint cmp_clamp(nint a, Scalar lo, int hasLo, Scalar hi, int hasHi);
    [DllImport(Lib)] internal static extern nint cmp_masked_fill(nint a, nint mask, Scalar value);
    [DllImport(Lib)] internal static extern nint cmp_where(nint condition, nint a, nint b);
    [DllImport(Lib)] internal static extern nint cmp_triu(nint a, long diagonal);
    [DllImport(Lib)] internal static extern nint cmp_tril(nint a, long diagonal);

    [DllImport(Lib)] internal static extern int cmp_requires_grad_(nint h, int requires);
    [DllImport(Lib)] internal static extern int cmp_backward(nint h, nint gradOutput, int retainGraph);
    [DllImport(Lib)] internal static extern nint cmp_grad(nint h);
    [DllImport(Lib)] internal static extern int cmp_clear_grad(nint h);
    [DllImport(Lib)] internal static extern int cmp_zero_grad(nint h);
    [DllImport(Lib)] internal static extern nint cmp_detach(nint h);
    [DllImport(Lib)] internal static extern int cmp_detach_(nint h);
}
