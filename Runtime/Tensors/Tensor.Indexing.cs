using System;
using Composer.Native;

namespace Composer.Tensors;

// Indexing: slices (narrow, select) and index-driven reads and writes (index_select, gather,
// scatter, scatter_add, masked_select). Index tensors hold int64 positions; a boolean mask selects
// through MaskedSelect, which is what t[mask] means in PyTorch.
public sealed partial class Tensor
{
    /// <summary>A view of <paramref name="length"/> entries of <paramref name="dim"/> starting at <paramref name="start"/> (<c>t.narrow(dim, start, length)</c>); a negative start counts from the end.</summary>
    /// <exception cref="TorchException">The slice runs past the end of the dimension.</exception>
    public Tensor Narrow(int dim, long start, long length) => Wrap(NativeMethods.cmp_narrow(Handle, dim, start, length));

    /// <summary>A view of entry <paramref name="index"/> of <paramref name="dim"/>, which disappears from the shape (<c>t.select(dim, index)</c>, <c>t[..., index]</c>); negative indices count from the end.</summary>
    /// <exception cref="TorchException">The index is out of range.</exception>
    public Tensor Select(int dim, long index) => Wrap(NativeMethods.cmp_select(Handle, dim, index));

    /// <summary>The entries of <paramref name="dim"/> listed by the 1-D int64 <paramref name="index"/>, copied in that order (<c>t.index_select(dim, index)</c>).</summary>
    /// <exception cref="TorchException">The index is not 1-D integral, or one of its values is out of range (negative values are not allowed).</exception>
    public Tensor IndexSelect(int dim, Tensor index) => Wrap(NativeMethods.cmp_index_select(Handle, dim, index.Handle));

    /// <summary>
    /// Picks along <paramref name="dim"/>: <c>out[i][j] = this[index[i][j]][j]</c> for dim 0 and so on
    /// (<c>t.gather(dim, index)</c>). The result has the shape of the int64 <paramref name="index"/>.
    /// </summary>
    /// <exception cref="TorchException">An index is out of range, or the index does not fit the tensor's other dimensions.</exception>
    public Tensor Gather(int dim, Tensor index) => Wrap(NativeMethods.cmp_gather(Handle, dim, index.Handle));

    /// <summary>
    /// A copy with <paramref name="source"/> written at the positions <paramref name="index"/> names along
    /// <paramref name="dim"/>: <c>out[index[i][j]][j] = source[i][j]</c> for dim 0 (<c>t.scatter(dim, index, src)</c>).
    /// Where an index repeats, which value wins is unspecified.
    /// </summary>
    public Tensor Scatter(int dim, Tensor index, Tensor source) => Wrap(NativeMethods.cmp_scatter(Handle, dim, index.Handle, source.Handle));

    /// <summary>A copy with <paramref name="value"/> written at the positions <paramref name="index"/> names along <paramref name="dim"/> (<c>t.scatter(dim, index, value)</c>).</summary>
    public Tensor Scatter(int dim, Tensor index, Scalar value) => Wrap(NativeMethods.cmp_scatter_value(Handle, dim, index.Handle, value));

    /// <summary>
    /// A copy with <paramref name="source"/> added at the positions <paramref name="index"/> names along
    /// <paramref name="dim"/>, accumulating over repeated indices (<c>t.scatter_add(dim, index, src)</c>).
    /// </summary>
    public Tensor ScatterAdd(int dim, Tensor index, Tensor source) => Wrap(NativeMethods.cmp_scatter_add(Handle, dim, index.Handle, source.Handle));

    /// <summary>Writes <paramref name="source"/> at the positions <paramref name="index"/> names, in place (<c>scatter_</c>). Returns this.</summary>
    public Tensor ScatterInPlace(int dim, Tensor index, Tensor source)
    {
        NativeMethods.Check(NativeMethods.cmp_scatter_(Handle, dim, index.Handle, source.Handle));
        return this;
    }

    /// <summary>Writes <paramref name="value"/> at the positions <paramref name="index"/> names, in place (<c>scatter_</c>). Returns this.</summary>
    public Tensor ScatterInPlace(int dim, Tensor index, Scalar value)
    {
        NativeMethods.Check(NativeMethods.cmp_scatter_value_(Handle, dim, index.Handle, value));
        return this;
    }

    /// <summary>Adds <paramref name="source"/> at the positions <paramref name="index"/> names, in place (<c>scatter_add_</c>). Returns this.</summary>
    public Tensor ScatterAddInPlace(int dim, Tensor index, Tensor source)
    {
        NativeMethods.Check(NativeMethods.cmp_scatter_add_(Handle, dim, index.Handle, source.Handle));
        return this;
    }

    /// <summary>The elements where the boolean <paramref name="mask"/> (broadcast to this shape) is true, as a 1-D tensor (<c>t.masked_select(mask)</c>, <c>t[mask]</c>).</summary>
    /// <exception cref="TorchException">The mask is not boolean or does not broadcast.</exception>
    public Tensor MaskedSelect(Tensor mask) => Wrap(NativeMethods.cmp_masked_select(Handle, mask.Handle));
}

public static partial class Torch
{
    /// <summary>See <see cref="Tensor.Narrow"/> (<c>torch.narrow</c>).</summary>
    public static Tensor Narrow(Tensor input, int dim, long start, long length) => input.Narrow(dim, start, length);
    /// <summary>See <see cref="Tensor.Select"/> (<c>torch.select</c>).</summary>
    public static Tensor Select(Tensor input, int dim, long index) => input.Select(dim, index);
    /// <summary>See <see cref="Tensor.IndexSelect"/> (<c>torch.index_select</c>).</summary>
    public static Tensor IndexSelect(Tensor input, int dim, Tensor index) => input.IndexSelect(dim, index);
    /// <summary>See <see cref="Tensor.Gather"/> (<c>torch.gather</c>).</summary>
    public static Tensor Gather(Tensor input, int dim, Tensor index) => input.Gather(dim, index);
    /// <summary>See <see cref="Tensor.Scatter(int, Tensor, Tensor)"/> (<c>torch.scatter</c>).</summary>
    public static Tensor Scatter(Tensor input, int dim, Tensor index, Tensor source) => input.Scatter(dim, index, source);
    /// <summary>See <see cref="Tensor.Scatter(int, Tensor, Scalar)"/> (<c>torch.scatter</c> with a value).</summary>
    public static Tensor Scatter(Tensor input, int dim, Tensor index, Scalar value) => input.Scatter(dim, index, value);
    /// <summary>See <see cref="Tensor.ScatterAdd"/> (<c>torch.scatter_add</c>).</summary>
    public static Tensor ScatterAdd(Tensor input, int dim, Tensor index, Tensor source) => input.ScatterAdd(dim, index, source);
    /// <summary>See <see cref="Tensor.MaskedSelect"/> (<c>torch.masked_select</c>).</summary>
    public static Tensor MaskedSelect(Tensor input, Tensor mask) => input.MaskedSelect(mask);
}
