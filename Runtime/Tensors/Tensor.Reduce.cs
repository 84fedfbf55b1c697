using System;
using Composer.Native;

namespace Composer.Tensors;

// Reductions (sum, mean, max/min, argmax/argmin, logsumexp, norm, var), cumsum, softmax and
// log_softmax, and the (values, indices) selections topk and sort. Overloads without a dimension
// reduce every element; a list of dimensions is a ReadOnlySpan<long> as in Permute.
public sealed unsafe partial class Tensor
{
    // The shim's marker for "every element" (libtorch's all-elements overload) and for "no dtype".
    private const int AllElements = -1;
    private const int NoDType = -1;

    private static int DTypeCode(DType? dtype) => dtype.HasValue ? (int)dtype.Value : NoDType;

    // ---- sums and means ------------------------------------------------------------------------
    /// <summary>The sum of every element as a 0-dimensional tensor (<c>torch.sum</c>).</summary>
    /// <param name="dtype">Converts the input to this type before summing (e.g. to avoid overflow); by default integers sum as int64.</param>
    public Tensor Sum(DType? dtype = null) => Wrap(NativeMethods.cmp_sum(Handle, null, AllElements, 0, DTypeCode(dtype)));

    /// <summary>The sum over dimension <paramref name="dim"/> (<c>torch.sum(dim)</c>).</summary>
    /// <param name="dim">The dimension to reduce; negative counts from the end.</param>
    /// <param name="keepdim">Keeps the reduced dimension with size 1.</param>
    /// <param name="dtype">Converts the input to this type before summing.</param>
    public Tensor Sum(int dim, bool keepdim = false, DType? dtype = null) => Sum([dim], keepdim, dtype);

    /// <summary>The sum over several dimensions (<c>torch.sum(dims)</c>).</summary>
    /// <param name="dims">The dimensions to reduce; negative counts from the end.</param>
    /// <param name="keepdim">Keeps the reduced dimensions with size 1.</param>
    /// <param name="dtype">Converts the input to this type before summing.</param>
    public Tensor Sum(ReadOnlySpan<long> dims, bool keepdim = false, DType? dtype = null)
    {
        fixed (long* d = dims) return Wrap(NativeMethods.cmp_sum(Handle, d, dims.Length, keepdim ? 1 : 0, DTypeCode(dtype)));
    }

    /// <summary>The mean of every element as a 0-dimensional tensor (<c>torch.mean</c>); needs a floating-point tensor.</summary>
    public Tensor Mean() => Wrap(NativeMethods.cmp_mean(Handle, null, AllElements, 0));

    /// <summary>The mean over dimension <paramref name="dim"/> (<c>torch.mean(dim)</c>).</summary>
    /// <param name="dim">The dimension to reduce; negative counts from the end.</param>
    /// <param name="keepdim">Keeps the reduced dimension with size 1.</param>
    public Tensor Mean(int dim, bool keepdim = false) => Mean([dim], keepdim);

    /// <summary>The mean over several dimensions (<c>torch.mean(dims)</c>).</summary>
    /// <param name="dims">The dimensions to reduce; negative counts from the end.</param>
    /// <param name="keepdim">Keeps the reduced dimensions with size 1.</param>
    public Tensor Mean(ReadOnlySpan<long> dims, bool keepdim = false)
    {
        fixed (long* d = dims) return Wrap(NativeMethods.cmp_mean(Handle, d, dims.Length, keepdim ? 1 : 0));
    }

    /// <summary>Running sums along <paramref name="dim"/>: element i is the sum of elements 0..i (<c>torch.cumsum</c>).</summary>
    /// <param name="dim">The dimension to scan; negative counts from the end.</param>
    /// <param name="dtype">Converts the input to this type before summing.</param>
    public Tensor Cumsum(int dim, DType? dtype = null) => Wrap(NativeMethods.cmp_cumsum(Handle, dim, DTypeCode(dtype)));

    /// <summary>log(Σ exp(x)) over dimension <paramref name="dim"/>, computed without overflow (<c>torch.logsumexp</c>).</summary>
    /// <param name="dim">The dimension to reduce; negative counts from the end.</param>
    /// <param name="keepdim">Keeps the reduced dimension with size 1.</param>
    public Tensor Logsumexp(int dim, bool keepdim = false) => Logsumexp([dim], keepdim);

    /// <summary>log(Σ exp(x)) over several dimensions, computed without overflow (<c>torch.logsumexp</c>).</summary>
    /// <param name="dims">The dimensions to reduce; negative counts from the end.</param>
    /// <param name="keepdim">Keeps the reduced dimensions with size 1.</param>
    public Tensor Logsumexp(ReadOnlySpan<long> dims, bool keepdim = false)
    {
        fixed (long* d = dims) return Wrap(NativeMethods.cmp_logsumexp(Handle, d, dims.Length, keepdim ? 1 : 0));
    }

    // ---- extrema -------------------------------------------------------------------------------
    /// <summary>The largest element as a 0-dimensional tensor (<c>torch.max</c>).</summary>
    public Tensor Max() => Wrap(NativeMethods.cmp_max_all(Handle));

    /// <summary>The largest elements along <paramref name="dim"/> and where they are (<c>torch.max(dim)</c>).</summary>
    /// <param name="dim">The dimension to reduce; negative counts from the end.</param>
    /// <param name="keepdim">Keeps the reduced dimension with size 1.</param>
    /// <returns>The maxima and their int64 indices along <paramref name="dim"/>.</returns>
    public (Tensor Values, Tensor Indices) Max(int dim, bool keepdim = false)
    {
        nint values, indices;
        NativeMethods.Check(NativeMethods.cmp_max_dim(Handle, dim, keepdim ? 1 : 0, &values, &indices));
        return (Wrap(values), Wrap(indices));
    }

    /// <summary>The smallest element as a 0-dimensional tensor (<c>torch.min</c>).</summary>
    public Tensor Min() => Wrap(NativeMethods.cmp_min_all(Handle));

    /// <summary>The smallest elements along <paramref name="dim"/> and where they are (<c>torch.min(dim)</c>).</summary>
    /// <param name="dim">The dimension to reduce; negative counts from the end.</param>
    /// <param name="keepdim">Keeps the reduced dimension with size 1.</param>
    /// <returns>The minima and their int64 indices along <paramref name="dim"/>.</returns>
    public (Tensor Values, Tensor Indices) Min(int dim, bool keepdim = false)
    {
        nint values, indices;
        NativeMethods.Check(NativeMethods.cmp_min_dim(Handle, dim, keepdim ? 1 : 0, &values, &indices));
        return (Wrap(values), Wrap(indices));
    }

    /// <summary>The index of the largest element in the flattened tensor, as a 0-dimensional int64 tensor (<c>torch.argmax</c>).</summary>
    public Tensor Argmax() => Wrap(NativeMethods.cmp_argmax(Handle, 0, 0, 0));

    /// <summary>The indices of the largest elements along <paramref name="dim"/> (<c>torch.argmax(dim)</c>).</summary>
    /// <param name="dim">The dimension to reduce; negative counts from the end.</param>
    /// <param name="keepdim">Keeps the reduced dimension with size 1.</param>
    public Tensor Argmax(int dim, bool keepdim = false) => Wrap(NativeMethods.cmp_argmax(Handle, dim, 1, keepdim ? 1 : 0));

    /// <summary>The index of the smallest element in the flattened tensor, as a 0-dimensional int64 tensor (<c>torch.argmin</c>).</summary>
    public Tensor Argmin() => Wrap(NativeMethods.cmp_argmin(Handle, 0, 0, 0));

    /// <summary>The indices of the smallest elements along <paramref name="dim"/> (<c>torch.argmin(dim)</c>).</summary>
    /// <param name="dim">The dimension to reduce; negative counts from the end.</param>
    /// <param name="keepdim">Keeps the reduced dimension with size 1.</param>
    public Tensor Argmin(int dim, bool keepdim = false) => Wrap(NativeMethods.cmp_argmin(Handle, dim, 1, keepdim ? 1 : 0));

    // ---- spread --------------------------------------------------------------------------------
    /// <summary>The p-norm of all elements taken as one vector (<c>torch.norm(p)</c>).</summary>
    /// <param name="p">The order: 2 (Euclidean), 1, <see cref="double.PositiveInfinity"/> (largest |x|), any other positive value.</param>
    public Tensor Norm(double p = 2) => Wrap(NativeMethods.cmp_norm(Handle, p, null, AllElements, 0));

    /// <summary>The p-norm of the vectors along <paramref name="dim"/> (<c>torch.norm(p, dim)</c>).</summary>
    /// <param name="p">The order: 2 (Euclidean), 1, <see cref="double.PositiveInfinity"/> (largest |x|), any other positive value.</param>
    /// <param name="dim">The dimension to reduce; negative counts from the end.</param>
    /// <param name="keepdim">Keeps the reduced dimension with size 1.</param>
    public Tensor Norm(double p, int dim, bool keepdim = false) => Norm(p, [dim], keepdim);

    /// <summary>The p-norm over several dimensions taken together as one vector (<c>torch.norm(p, dims)</c>).</summary>
    /// <param name="p">The order: 2 (Euclidean, Frobenius for two dimensions), 1, <see cref="double.PositiveInfinity"/>, any other positive value.</param>
    /// <param name="dims">The dimensions to reduce; negative counts from the end.</param>
    /// <param name="keepdim">Keeps the reduced dimensions with size 1.</param>
    public Tensor Norm(double p, ReadOnlySpan<long> dims, bool keepdim = false)
    {
        fixed (long* d = dims) return Wrap(NativeMethods.cmp_norm(Handle, p, d, dims.Length, keepdim ? 1 : 0));
    }

    /// <summary>The variance of all elements (<c>torch.var</c>).</summary>
    /// <param name="unbiased">Divides by N − 1 (Bessel's correction) instead of N.</param>
    public Tensor Var(bool unbiased = true) => Wrap(NativeMethods.cmp_var(Handle, null, AllElements, unbiased ? 1 : 0, 0));

    /// <summary>The variance along <paramref name="dim"/> (<c>torch.var(dim)</c>).</summary>
    /// <param name="dim">The dimension to reduce; negative counts from the end.</param>
    /// <param name="unbiased">Divides by N − 1 (Bessel's correction) instead of N.</param>
    /// <param name="keepdim">Keeps the reduced dimension with size 1.</param>
    public Tensor Var(int dim, bool unbiased = true, bool keepdim = false) => Var([dim], unbiased ? 1 : 0, keepdim);

    /// <summary>The variance over several dimensions (<c>torch.var(dims)</c>).</summary>
    /// <param name="dims">The dimensions to reduce; negative counts from the end.</param>
    /// <param name="unbiased">Divides by N − 1 (Bessel's correction) instead of N.</param>
    /// <param name="keepdim">Keeps the reduced dimensions with size 1.</param>
    public Tensor Var(ReadOnlySpan<long> dims, bool unbiased = true, bool keepdim = false) => Var(dims, unbiased ? 1 : 0, keepdim);

    /// <summary>The variance over several dimensions with a divisor of N − <paramref name="correction"/> (<c>torch.var(dims, correction=…)</c>).</summary>
    /// <param name="dims">The dimensions to reduce; negative counts from the end.</param>
    /// <param name="correction">Subtracted from the element count N in the divisor: 1 is unbiased, 0 the population variance.</param>
    /// <param name="keepdim">Keeps the reduced dimensions with size 1.</param>
    public Tensor Var(ReadOnlySpan<long> dims, long correction, bool keepdim = false)
    {
        fixed (long* d = dims) return Wrap(NativeMethods.cmp_var(Handle, d, dims.Length, correction, keepdim ? 1 : 0));
    }

    // ---- softmax -------------------------------------------------------------------------------
    /// <summary>exp(x) / Σ exp(x) along <paramref name="dim"/>, computed without overflow (<c>torch.softmax</c>).</summary>
    /// <param name="dim">The dimension the probabilities sum to 1 over; negative counts from the end.</param>
    /// <param name="dtype">Converts the input to this type first (e.g. float32 for half-precision logits).</param>
    public Tensor Softmax(int dim, DType? dtype = null) => Wrap(NativeMethods.cmp_softmax(Handle, dim, DTypeCode(dtype)));

    /// <summary>log(softmax(x)) along <paramref name="dim"/>, computed stably (<c>torch.log_softmax</c>).</summary>
    /// <param name="dim">The dimension to normalise over; negative counts from the end.</param>
    /// <param name="dtype">Converts the input to this type first.</param>
    public Tensor LogSoftmax(int dim, DType? dtype = null) => Wrap(NativeMethods.cmp_log_softmax(Handle, dim, DTypeCode(dtype)));

    // ---- selections ----------------------------------------------------------------------------
    /// <summary>The <paramref name="k"/> largest (or smallest) elements along <paramref name="dim"/> and where they are (<c>torch.topk</c>).</summary>
    /// <param name="k">How many elements to keep; at most the size of <paramref name="dim"/>.</param>
    /// <param name="dim">The dimension to select along; negative counts from the end.</param>
    /// <param name="largest">Selects the largest elements; false selects the smallest.</param>
    /// <param name="sorted">Returns the selection in sorted order (largest first when <paramref name="largest"/>).</param>
    /// <returns>The selected values and their int64 indices along <paramref name="dim"/>.</returns>
    public (Tensor Values, Tensor Indices) Topk(long k, int dim = -1, bool largest = true, bool sorted = true)
    {
        nint values, indices;
        NativeMethods.Check(NativeMethods.cmp_topk(Handle, k, dim, largest ? 1 : 0, sorted ? 1 : 0, &values, &indices));
        return (Wrap(values), Wrap(indices));
    }

    /// <summary>The elements sorted along <paramref name="dim"/> and the permutation that sorts them (<c>torch.sort</c>).</summary>
    /// <param name="dim">The dimension to sort along; negative counts from the end.</param>
    /// <param name="descending">Sorts largest first.</param>
    /// <param name="stable">Keeps equal elements in their original order.</param>
    /// <returns>The sorted values and, for each, its int64 index in the input along <paramref name="dim"/>.</returns>
    public (Tensor Values, Tensor Indices) Sort(int dim = -1, bool descending = false, bool stable = false)
    {
        nint values, indices;
        NativeMethods.Check(NativeMethods.cmp_sort(Handle, dim, descending ? 1 : 0, stable ? 1 : 0, &values, &indices));
        return (Wrap(values), Wrap(indices));
    }
}

public static partial class Torch
{
    /// <summary>The <paramref name="k"/> largest (or smallest) elements of <paramref name="input"/> along <paramref name="dim"/> and where they are (<c>torch.topk</c>).</summary>
    /// <param name="input">The tensor to select from.</param>
    /// <param name="k">How many elements to keep; at most the size of <paramref name="dim"/>.</param>
    /// <param name="dim">The dimension to select along; negative counts from the end.</param>
    /// <param name="largest">Selects the largest elements; false selects the smallest.</param>
    /// <param name="sorted">Returns the selection in sorted order.</param>
    /// <returns>The selected values and their int64 indices along <paramref name="dim"/>.</returns>
    public static (Tensor Values, Tensor Indices) Topk(Tensor input, long k, int dim = -1, bool largest = true, bool sorted = true) =>
        input.Topk(k, dim, largest, sorted);

    /// <summary><paramref name="input"/> sorted along <paramref name="dim"/> and the permutation that sorts it (<c>torch.sort</c>).</summary>
    /// <param name="input">The tensor to sort.</param>
    /// <param name="dim">The dimension to sort along; negative counts from the end.</param>
    /// <param name="descending">Sorts largest first.</param>
    /// <param name="stable">Keeps equal elements in their original order.</param>
    /// <returns>The sorted values and, for each, its int64 index in the input along <paramref name="dim"/>.</returns>
    public static (Tensor Values, Tensor Indices) Sort(Tensor input, int dim = -1, bool descending = false, bool stable = false) =>
        input.Sort(dim, descending, stable);
}
