using Composer.Native;

namespace Composer.Tensors;

// Element-wise arithmetic (operators broadcast like PyTorch), in-place variants (suffix InPlace,
// PyTorch's trailing underscore), comparisons, unary math and activations.
public sealed partial class Tensor
{
    private static readonly Scalar One = 1L;

    // ---- operators -----------------------------------------------------------------------------
    /// <summary>Element-wise sum with broadcasting.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => Wrap(NativeMethods.cmp_add(a.Handle, b.Handle, One));
    /// <summary>Adds a scalar to every element.</summary>
    public static Tensor operator +(Tensor a, Scalar b) => Wrap(NativeMethods.cmp_add_scalar(a.Handle, b, One));
    /// <summary>Adds a scalar to every element.</summary>
    public static Tensor operator +(Scalar a, Tensor b) => Wrap(NativeMethods.cmp_add_scalar(b.Handle, a, One));
    /// <summary>Element-wise difference with broadcasting.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => Wrap(NativeMethods.cmp_sub(a.Handle, b.Handle, One));
    /// <summary>Subtracts a scalar from every element.</summary>
    public static Tensor operator -(Tensor a, Scalar b) => Wrap(NativeMethods.cmp_sub_scalar(a.Handle, b, One));
    /// <summary>Subtracts every element from a scalar.</summary>
    public static Tensor operator -(Scalar a, Tensor b) => Wrap(NativeMethods.cmp_rsub_scalar(b.Handle, a));
    /// <summary>Element-wise product with broadcasting.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => Wrap(NativeMethods.cmp_mul(a.Handle, b.Handle));
    /// <summary>Multiplies every element by a scalar.</summary>
    public static Tensor operator *(Tensor a, Scalar b) => Wrap(NativeMethods.cmp_mul_scalar(a.Handle, b));
    /// <summary>Multiplies every element by a scalar.</summary>
    public static Tensor operator *(Scalar a, Tensor b) => Wrap(NativeMethods.cmp_mul_scalar(b.Handle, a));
    /// <summary>Element-wise true division with broadcasting.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => Wrap(NativeMethods.cmp_div(a.Handle, b.Handle));
    /// <summary>Divides every element by a scalar.</summary>
    public static Tensor operator /(Tensor a, Scalar b) => Wrap(NativeMethods.cmp_div_scalar(a.Handle, b));
    /// <summary>Divides a scalar by every element.</summary>
    public static Tensor operator /(Scalar a, Tensor b) => Wrap(NativeMethods.cmp_rdiv_scalar(b.Handle, a));
    /// <summary>Negation.</summary>
    public static Tensor operator -(Tensor a) => Wrap(NativeMethods.cmp_neg(a.Handle));

    // ---- named arithmetic ----------------------------------------------------------------------
    /// <summary><c>this + alpha * other</c> (<c>torch.add</c>).</summary>
    public Tensor Add(Tensor other, Scalar alpha) => Wrap(NativeMethods.cmp_add(Handle, other.Handle, alpha));
    /// <summary><c>this - alpha * other</c> (<c>torch.sub</c>).</summary>
    public Tensor Sub(Tensor other, Scalar alpha) => Wrap(NativeMethods.cmp_sub(Handle, other.Handle, alpha));
    /// <summary>Element-wise power (<c>torch.pow</c>).</summary>
    public Tensor Pow(Tensor exponent) => Wrap(NativeMethods.cmp_pow(Handle, exponent.Handle));
    /// <summary>Element-wise power (<c>torch.pow</c>).</summary>
    public Tensor Pow(Scalar exponent) => Wrap(NativeMethods.cmp_pow_scalar(Handle, exponent));
    /// <summary>Python-style modulus: the result has the sign of the divisor (<c>torch.remainder</c>).</summary>
    public Tensor Remainder(Scalar divisor) => Wrap(NativeMethods.cmp_remainder_scalar(Handle, divisor));
    /// <summary>Element-wise maximum of two tensors (<c>torch.maximum</c>).</summary>
    public Tensor Maximum(Tensor other) => Wrap(NativeMethods.cmp_maximum(Handle, other.Handle));
    /// <summary>Element-wise minimum of two tensors (<c>torch.minimum</c>).</summary>
    public Tensor Minimum(Tensor other) => Wrap(NativeMethods.cmp_minimum(Handle, other.Handle));

    // ---- in place (return this) ----------------------------------------------------------------
    /// <summary><c>this += alpha * other</c> (<c>add_</c>).</summary>
    public Tensor AddInPlace(Tensor other, Scalar? alpha = null) { NativeMethods.Check(NativeMethods.cmp_add_(Handle, other.Handle, alpha ?? One)); return this; }
    /// <summary><c>this += value</c> (<c>add_</c>).</summary>
    public Tensor AddInPlace(Scalar value) { NativeMethods.Check(NativeMethods.cmp_add_scalar_(Handle, value)); return this; }
    /// <summary><c>this -= alpha * other</c> (<c>sub_</c>).</summary>
    public Tensor SubInPlace(Tensor other, Scalar? alpha = null) { NativeMethods.Check(NativeMethods.cmp_sub_(Handle, other.Handle, alpha ?? One)); return this; }
    /// <summary><c>this *= other</c> (<c>mul_</c>).</summary>
    public Tensor MulInPlace(Tensor other) { NativeMethods.Check(NativeMethods.cmp_mul_(Handle, other.Handle)); return this; }
    /// <summary><c>this *= value</c> (<c>mul_</c>).</summary>
    public Tensor MulInPlace(Scalar value) { NativeMethods.Check(NativeMethods.cmp_mul_scalar_(Handle, value)); return this; }
    /// <summary><c>this /= other</c> (<c>div_</c>).</summary>
    public Tensor DivInPlace(Tensor other) { NativeMethods.Check(NativeMethods.cmp_div_(Handle, other.Handle)); return this; }
    /// <summary><c>this /= value</c> (<c>div_</c>).</summary>
    public Tensor DivInPlace(Scalar value) { NativeMethods.Check(NativeMethods.cmp_div_scalar_(Handle, value)); return this; }
    /// <summary><c>this = this ** exponent</c> (<c>pow_</c>).</summary>
    public Tensor PowInPlace(Scalar exponent) { NativeMethods.Check(NativeMethods.cmp_pow_scalar_(Handle, exponent)); return this; }
    /// <summary><c>this += value * t1 * t2</c> (<c>addcmul_</c>).</summary>
    public Tensor AddcmulInPlace(Tensor t1, Tensor t2, Scalar value) { NativeMethods.Check(NativeMethods.cmp_addcmul_(Handle, t1.Handle, t2.Handle, value)); return this; }
    /// <summary><c>this += value * t1 / t2</c> (<c>addcdiv_</c>).</summary>
    public Tensor AddcdivInPlace(Tensor t1, Tensor t2, Scalar value) { NativeMethods.Check(NativeMethods.cmp_addcdiv_(Handle, t1.Handle, t2.Handle, value)); return this; }
    /// <summary><c>this += weight * (end - this)</c> (<c>lerp_</c>).</summary>
    public Tensor LerpInPlace(Tensor end, Scalar weight) { NativeMethods.Check(NativeMethods.cmp_lerp_(Handle, end.Handle, weight)); return this; }
    /// <summary>Sets every element to zero (<c>zero_</c>).</summary>
    public Tensor ZeroInPlace() { NativeMethods.Check(NativeMethods.cmp_zero_(Handle)); return this; }
    /// <summary>Sets every element to <paramref name="value"/> (<c>fill_</c>).</summary>
    public Tensor FillInPlace(Scalar value) { NativeMethods.Check(NativeMethods.cmp_fill_(Handle, value)); return this; }
    /// <summary>Copies <paramref name="source"/> (broadcast, converted) into this tensor (<c>copy_</c>).</summary>
    public Tensor CopyInPlace(Tensor source) { NativeMethods.Check(NativeMethods.cmp_copy_(Handle, source.Handle)); return this; }
    /// <summary>Clamps in place (<c>clamp_</c>); a null bound is open.</summary>
    public Tensor ClampInPlace(Scalar? min = null, Scalar? max = null) { NativeMethods.Check(NativeMethods.cmp_clamp_(Handle, min ?? default, min.HasValue ? 1 : 0, max ?? default, max.HasValue ? 1 : 0)); return this; }
    /// <summary>Writes <paramref name="value"/> where <paramref name="mask"/> is true (<c>masked_fill_</c>).</summary>
    public Tensor MaskedFillInPlace(Tensor mask, Scalar value) { NativeMethods.Check(NativeMethods.cmp_masked_fill_(Handle, mask.Handle, value)); return this; }
    /// <summary>ReLU in place (<c>relu_</c>).</summary>
    public Tensor ReluInPlace() { NativeMethods.Check(NativeMethods.cmp_relu_(Handle)); return this; }

    // ---- comparisons and logic -----------------------------------------------------------------
    /// <summary>Element-wise <c>==</c> as a bool tensor.</summary>
    public Tensor Eq(Tensor other) => Wrap(NativeMethods.cmp_eq(Handle, other.Handle));
    /// <summary>Element-wise <c>==</c> as a bool tensor.</summary>
    public Tensor Eq(Scalar other) => Wrap(NativeMethods.cmp_eq_scalar(Handle, other));
    /// <summary>Element-wise <c>!=</c> as a bool tensor.</summary>
    public Tensor Ne(Tensor other) => Wrap(NativeMethods.cmp_ne(Handle, other.Handle));
    /// <summary>Element-wise <c>!=</c> as a bool tensor.</summary>
    public Tensor Ne(Scalar other) => Wrap(NativeMethods.cmp_ne_scalar(Handle, other));
    /// <summary>Element-wise <c>&lt;</c> as a bool tensor.</summary>
    public Tensor Lt(Tensor other) => Wrap(NativeMethods.cmp_lt(Handle, other.Handle));
    /// <summary>Element-wise <c>&lt;</c> as a bool tensor.</summary>
    public Tensor Lt(Scalar other) => Wrap(NativeMethods.cmp_lt_scalar(Handle, other));
    /// <summary>Element-wise <c>&lt;=</c> as a bool tensor.</summary>
    public Tensor Le(Tensor other) => Wrap(NativeMethods.cmp_le(Handle, other.Handle));
    /// <summary>Element-wise <c>&lt;=</c> as a bool tensor.</summary>
    public Tensor Le(Scalar other) => Wrap(NativeMethods.cmp_le_scalar(Handle, other));
    /// <summary>Element-wise <c>&gt;</c> as a bool tensor.</summary>
    public Tensor Gt(Tensor other) => Wrap(NativeMethods.cmp_gt(Handle, other.Handle));
    /// <summary>Element-wise <c>&gt;</c> as a bool tensor.</summary>
    public Tensor Gt(Scalar other) => Wrap(NativeMethods.cmp_gt_scalar(Handle, other));
    /// <summary>Element-wise <c>&gt;=</c> as a bool tensor.</summary>
    public Tensor Ge(Tensor other) => Wrap(NativeMethods.cmp_ge(Handle, other.Handle));
    /// <summary>Element-wise <c>&gt;=</c> as a bool tensor.</summary>
    public Tensor Ge(Scalar other) => Wrap(NativeMethods.cmp_ge_scalar(Handle, other));
    /// <summary>Element-wise logical and.</summary>
    public Tensor LogicalAnd(Tensor other) => Wrap(NativeMethods.cmp_logical_and(Handle, other.Handle));
    /// <summary>Element-wise logical or.</summary>
    public Tensor LogicalOr(Tensor other) => Wrap(NativeMethods.cmp_logical_or(Handle, other.Handle));
    /// <summary>Element-wise logical not.</summary>
    public Tensor LogicalNot() => Wrap(NativeMethods.cmp_logical_not(Handle));
    /// <summary>Which elements are NaN.</summary>
    public Tensor IsNan() => Wrap(NativeMethods.cmp_isnan(Handle));
    /// <summary>Which elements are finite.</summary>
    public Tensor IsFinite() => Wrap(NativeMethods.cmp_isfinite(Handle));

    /// <summary>Whether all elements are close: |a − b| ≤ atol + rtol·|b| (<c>torch.allclose</c>).</summary>
    public bool AllClose(Tensor other, double rtol = 1e-5, double atol = 1e-8)
    {
        int r = NativeMethods.cmp_allclose(Handle, other.Handle, rtol, atol);
        NativeMethods.Check(r);
        return r == 1;
    }

    /// <summary>Whether shapes and all elements are equal (<c>torch.equal</c>).</summary>
    public bool ValueEquals(Tensor other)
    {
        int r = NativeMethods.cmp_equal(Handle, other.Handle);
        NativeMethods.Check(r);
        return r == 1;
    }

    // ---- unary math ----------------------------------------------------------------------------
    /// <summary>Absolute value.</summary>
    public Tensor Abs() => Wrap(NativeMethods.cmp_abs(Handle));
    /// <summary>e^x.</summary>
    public Tensor Exp() => Wrap(NativeMethods.cmp_exp(Handle));
    /// <summary>Natural logarithm.</summary>
    public Tensor Log() => Wrap(NativeMethods.cmp_log(Handle));
    /// <summary>Square root.</summary>
    public Tensor Sqrt() => Wrap(NativeMethods.cmp_sqrt(Handle));
    /// <summary>1 / √x.</summary>
    public Tensor Rsqrt() => Wrap(NativeMethods.cmp_rsqrt(Handle));
    /// <summary>Sine.</summary>
    public Tensor Sin() => Wrap(NativeMethods.cmp_sin(Handle));
    /// <summary>Cosine.</summary>
    public Tensor Cos() => Wrap(NativeMethods.cmp_cos(Handle));
    /// <summary>Sign (−1, 0, 1).</summary>
    public Tensor Sign() => Wrap(NativeMethods.cmp_sign(Handle));
    /// <summary>1 / x.</summary>
    public Tensor Reciprocal() => Wrap(NativeMethods.cmp_reciprocal(Handle));
    /// <summary>Clamps to [min, max]; a null bound is open (<c>torch.clamp</c>).</summary>
    public Tensor Clamp(Scalar? min = null, Scalar? max = null) =>
        Wrap(NativeMethods.cmp_clamp(Handle, min ?? default, min.HasValue ? 1 : 0, max ?? default, max.HasValue ? 1 : 0));
    /// <summary>A copy with <paramref name="value"/> where <paramref name="mask"/> is true (<c>masked_fill</c>).</summary>
    public Tensor MaskedFill(Tensor mask, Scalar value) => Wrap(NativeMethods.cmp_masked_fill(Handle, mask.Handle, value));
    /// <summary>The upper triangle of the last two dimensions (<c>torch.triu</c>).</summary>
    public Tensor Triu(long diagonal = 0) => Wrap(NativeMethods.cmp_triu(Handle, diagonal));
    /// <summary>The lower triangle of the last two dimensions (<c>torch.tril</c>).</summary>
    public Tensor Tril(long diagonal = 0) => Wrap(NativeMethods.cmp_tril(Handle, diagonal));

    // ---- activations ---------------------------------------------------------------------------
    /// <summary>max(x, 0).</summary>
    public Tensor Relu() => Wrap(NativeMethods.cmp_relu(Handle));
    /// <summary>1 / (1 + e^−x).</summary>
    public Tensor Sigmoid() => Wrap(NativeMethods.cmp_sigmoid(Handle));
    /// <summary>Hyperbolic tangent.</summary>
    public Tensor Tanh() => Wrap(NativeMethods.cmp_tanh(Handle));
    /// <summary>x · sigmoid(x).</summary>
    public Tensor Silu() => Wrap(NativeMethods.cmp_silu(Handle));
    /// <summary>GELU, exact (erf) or with the tanh approximation.</summary>
    public Tensor Gelu(bool tanhApproximation = false) => Wrap(NativeMethods.cmp_gelu(Handle, tanhApproximation ? 1 : 0));
    /// <summary>ELU: x for x &gt; 0, alpha·(e^x − 1) otherwise.</summary>
    public Tensor Elu(double alpha = 1.0) => Wrap(NativeMethods.cmp_elu(Handle, alpha));
    /// <summary>Gated linear unit: splits <paramref name="dim"/> in halves a, b and returns a · sigmoid(b).</summary>
    public Tensor Glu(int dim = -1) => Wrap(NativeMethods.cmp_glu(Handle, dim));
}

/// <summary>Functions of several tensors, named after <c>torch.*</c>.</summary>
public static partial class Torch
{
    /// <summary>Picks from <paramref name="a"/> where <paramref name="condition"/> is true, else from <paramref name="b"/> (<c>torch.where</c>).</summary>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b) => Tensor.Wrap(NativeMethods.cmp_where(condition.Handle, a.Handle, b.Handle));
}
