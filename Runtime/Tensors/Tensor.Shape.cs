using System;
using Composer.Native;

namespace Composer.Tensors;

// Shape manipulation: views and reshapes, copies that rearrange elements, and joining or splitting
// tensors. Dimensions may be negative and count from the end, as in PyTorch.
public sealed unsafe partial class Tensor
{
    // ---- views and reshapes --------------------------------------------------------------------
    /// <summary>
    /// The same data seen with another shape (<c>t.view(shape)</c>); one size may be −1 and is inferred.
    /// Needs a layout compatible with the new shape; <see cref="Reshape"/> copies when it is not.
    /// </summary>
    /// <exception cref="TorchException">The shape does not hold the same number of elements, or the layout cannot be viewed that way.</exception>
    public Tensor View(params ReadOnlySpan<long> shape)
    {
        fixed (long* s = shape) return Wrap(NativeMethods.cmp_view(Handle, s, shape.Length));
    }

    /// <summary>The elements with another shape, as a view when possible, else a copy (<c>t.reshape(shape)</c>); one size may be −1.</summary>
    /// <exception cref="TorchException">The shape does not hold the same number of elements.</exception>
    public Tensor Reshape(params ReadOnlySpan<long> shape)
    {
        fixed (long* s = shape) return Wrap(NativeMethods.cmp_reshape(Handle, s, shape.Length));
    }

    /// <summary>A view with the dimensions reordered: dimension i of the result is dimension <c>dims[i]</c> of this (<c>t.permute(dims)</c>).</summary>
    /// <exception cref="ArgumentException">The number of dimensions given differs from <see cref="Dim"/>.</exception>
    /// <exception cref="TorchException">A dimension is out of range or repeated.</exception>
    public Tensor Permute(params ReadOnlySpan<long> dims)
    {
        var h = Handle;
        int rank = NativeMethods.cmp_dim(h);
        // libtorch 1.13 words this failure as a sparse-tensor error, which misleads.
        if (dims.Length != rank)
            throw new ArgumentException($"permute needs one entry per dimension: got {dims.Length} for a tensor with {rank} dimensions", nameof(dims));
        fixed (long* d = dims) return Wrap(NativeMethods.cmp_permute(h, d, dims.Length));
    }

    /// <summary>A view with two dimensions swapped (<c>t.transpose(dim0, dim1)</c>).</summary>
    public Tensor Transpose(int dim0, int dim1) => Wrap(NativeMethods.cmp_transpose(Handle, dim0, dim1));

    /// <summary>The same values laid out densely in row-major order; this tensor itself (as a new owner) when it already is (<c>t.contiguous()</c>).</summary>
    public Tensor Contiguous() => Wrap(NativeMethods.cmp_contiguous(Handle));

    /// <summary>A view with a new dimension of size 1 inserted at <paramref name="dim"/> (<c>t.unsqueeze(dim)</c>); −1 appends.</summary>
    public Tensor Unsqueeze(int dim) => Wrap(NativeMethods.cmp_unsqueeze(Handle, dim));

    /// <summary>A view without any dimension of size 1 (<c>t.squeeze()</c>).</summary>
    public Tensor Squeeze() => Wrap(NativeMethods.cmp_squeeze(Handle));

    /// <summary>A view without dimension <paramref name="dim"/> if its size is 1, else the same shape (<c>t.squeeze(dim)</c>).</summary>
    public Tensor Squeeze(int dim) => Wrap(NativeMethods.cmp_squeeze_dim(Handle, dim));

    /// <summary>
    /// A view repeating size-1 dimensions to <paramref name="shape"/> without copying (<c>t.expand(shape)</c>);
    /// −1 keeps a size, and new leading dimensions may be added.
    /// </summary>
    /// <exception cref="TorchException">A dimension of size other than 1 would have to change.</exception>
    public Tensor Expand(params ReadOnlySpan<long> shape)
    {
        fixed (long* s = shape) return Wrap(NativeMethods.cmp_expand(Handle, s, shape.Length));
    }

    /// <summary>Expands to the shape of <paramref name="other"/> (<c>t.expand_as(other)</c>).</summary>
    public Tensor ExpandAs(Tensor other) => Wrap(NativeMethods.cmp_expand_as(Handle, other.Handle));

    /// <summary>Merges dimensions <paramref name="startDim"/> through <paramref name="endDim"/> into one (<c>t.flatten(start_dim, end_dim)</c>).</summary>
    public Tensor Flatten(int startDim = 0, int endDim = -1) => Wrap(NativeMethods.cmp_flatten(Handle, startDim, endDim));

    // ---- copies --------------------------------------------------------------------------------
    /// <summary>A copy with its own storage that stays in the autograd graph (<c>t.clone()</c>).</summary>
    public Tensor Clone() => Wrap(NativeMethods.cmp_clone(Handle));

    /// <summary>
    /// Tiles the tensor <c>repeats[i]</c> times along dimension i (<c>t.repeat(repeats)</c>); extra leading
    /// entries add dimensions.
    /// </summary>
    /// <exception cref="TorchException">Fewer repeats than dimensions.</exception>
    public Tensor Repeat(params ReadOnlySpan<long> repeats)
    {
        fixed (long* r = repeats) return Wrap(NativeMethods.cmp_repeat(Handle, r, repeats.Length));
    }

    /// <summary>A copy with the order of elements reversed along each of <paramref name="dims"/> (<c>t.flip(dims)</c>).</summary>
    public Tensor Flip(params ReadOnlySpan<long> dims)
    {
        fixed (long* d = dims) return Wrap(NativeMethods.cmp_flip(Handle, d, dims.Length));
    }

    /// <summary>Rolls the flattened elements by <paramref name="shifts"/> places, keeping the shape (<c>t.roll(shifts)</c>).</summary>
    public Tensor Roll(long shifts) => Roll([shifts], []);

    /// <summary>Rolls along one dimension: elements move <paramref name="shifts"/> places and wrap around (<c>t.roll(shifts, dim)</c>).</summary>
    public Tensor Roll(long shifts, int dim) => Roll([shifts], [dim]);

    /// <summary>Rolls along several dimensions, <c>shifts[i]</c> places along <c>dims[i]</c> (<c>t.roll(shifts, dims)</c>).</summary>
    /// <exception cref="TorchException">The two lists differ in length, or a dimension is out of range.</exception>
    public Tensor Roll(ReadOnlySpan<long> shifts, ReadOnlySpan<long> dims)
    {
        fixed (long* s = shifts)
        fixed (long* d = dims)
            return Wrap(NativeMethods.cmp_roll(Handle, s, shifts.Length, d, dims.Length));
    }

    // ---- splitting -----------------------------------------------------------------------------
    /// <summary>
    /// Views of consecutive slices of <paramref name="splitSize"/> along <paramref name="dim"/>; the last
    /// may be shorter (<c>t.split(split_size, dim)</c>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The split size is negative, or the dimension is out of range.</exception>
    public Tensor[] Split(long splitSize, int dim = 0)
    {
        if (splitSize < 0) throw new ArgumentOutOfRangeException(nameof(splitSize), splitSize, "the split size must not be negative");
        long length = Size(dim);
        // libtorch yields one (empty) piece for an empty dimension; a zero split size of a non-empty one fails there.
        long pieces = splitSize == 0 ? 1 : Math.Max(1, (length + splitSize - 1) / splitSize);
        var handles = new nint[checked((int)pieces)];
        fixed (nint* output = handles)
            return WrapAll(handles, NativeMethods.cmp_split(Handle, splitSize, dim, output, handles.Length));
    }

    /// <summary>Views of consecutive slices with the given sizes along <paramref name="dim"/>, which must add up to its size (<c>t.split(sizes, dim)</c>).</summary>
    /// <exception cref="TorchException">The sizes do not add up to the size of the dimension.</exception>
    public Tensor[] Split(ReadOnlySpan<long> sizes, int dim = 0)
    {
        var handles = new nint[sizes.Length];
        fixed (long* s = sizes)
        fixed (nint* output = handles)
            return WrapAll(handles, NativeMethods.cmp_split_sizes(Handle, s, sizes.Length, dim, output, handles.Length));
    }

    /// <summary>
    /// Up to <paramref name="chunks"/> views of equal size along <paramref name="dim"/> (the last may be
    /// smaller, and fewer come back when the dimension is short) (<c>t.chunk(chunks, dim)</c>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than one chunk, or the dimension is out of range.</exception>
    public Tensor[] Chunk(long chunks, int dim = 0)
    {
        if (chunks < 1) throw new ArgumentOutOfRangeException(nameof(chunks), chunks, "the number of chunks must be at least 1");
        // libtorch never returns more pieces than elements along the dimension, except that an empty
        // dimension yields `chunks` empty pieces.
        long length = Size(dim);
        long pieces = length == 0 ? chunks : Math.Min(chunks, length);
        var handles = new nint[checked((int)pieces)];
        fixed (nint* output = handles)
            return WrapAll(handles, NativeMethods.cmp_chunk(Handle, chunks, dim, output, handles.Length));
    }

    private static Tensor[] WrapAll(nint[] handles, int count)
    {
        NativeMethods.Check(count);
        var result = new Tensor[count];
        for (int i = 0; i < count; i++) result[i] = Wrap(handles[i]);
        return result;
    }

    /// <summary>Runs <paramref name="join"/> over the handles of <paramref name="tensors"/>.</summary>
    internal static Tensor Join(ReadOnlySpan<Tensor> tensors, delegate*<nint*, int, long, nint> join, int dim)
    {
        Span<nint> handles = tensors.Length <= 64 ? stackalloc nint[tensors.Length] : new nint[tensors.Length];
        for (int i = 0; i < tensors.Length; i++)
            handles[i] = (tensors[i] ?? throw new ArgumentNullException(nameof(tensors), $"tensor {i} of the list is null")).Handle;
        fixed (nint* h = handles) return Wrap(join(h, tensors.Length, dim));
    }
}

public static partial class Torch
{
    /// <summary>Joins tensors along an existing dimension; all other sizes must match (<c>torch.cat(tensors, dim)</c>).</summary>
    /// <exception cref="TorchException">The list is empty or the sizes do not match.</exception>
    public static unsafe Tensor Cat(ReadOnlySpan<Tensor> tensors, int dim = 0) => Tensor.Join(tensors, &NativeMethods.cmp_cat, dim);

    /// <summary>Joins tensors of one shape along a new dimension <paramref name="dim"/> (<c>torch.stack(tensors, dim)</c>).</summary>
    /// <exception cref="TorchException">The list is empty or the shapes differ.</exception>
    public static unsafe Tensor Stack(ReadOnlySpan<Tensor> tensors, int dim = 0) => Tensor.Join(tensors, &NativeMethods.cmp_stack, dim);

    /// <summary>See <see cref="Tensor.Reshape"/> (<c>torch.reshape</c>).</summary>
    public static Tensor Reshape(Tensor input, params ReadOnlySpan<long> shape) => input.Reshape(shape);
    /// <summary>See <see cref="Tensor.Permute"/> (<c>torch.permute</c>).</summary>
    public static Tensor Permute(Tensor input, params ReadOnlySpan<long> dims) => input.Permute(dims);
    /// <summary>See <see cref="Tensor.Transpose"/> (<c>torch.transpose</c>).</summary>
    public static Tensor Transpose(Tensor input, int dim0, int dim1) => input.Transpose(dim0, dim1);
    /// <summary>See <see cref="Tensor.Unsqueeze"/> (<c>torch.unsqueeze</c>).</summary>
    public static Tensor Unsqueeze(Tensor input, int dim) => input.Unsqueeze(dim);
    /// <summary>See <see cref="Tensor.Squeeze()"/> (<c>torch.squeeze</c>).</summary>
    public static Tensor Squeeze(Tensor input) => input.Squeeze();
    /// <summary>See <see cref="Tensor.Squeeze(int)"/> (<c>torch.squeeze(input, dim)</c>).</summary>
    public static Tensor Squeeze(Tensor input, int dim) => input.Squeeze(dim);
    /// <summary>See <see cref="Tensor.Flatten"/> (<c>torch.flatten</c>).</summary>
    public static Tensor Flatten(Tensor input, int startDim = 0, int endDim = -1) => input.Flatten(startDim, endDim);
    /// <summary>See <see cref="Tensor.Clone"/> (<c>torch.clone</c>).</summary>
    public static Tensor Clone(Tensor input) => input.Clone();
    /// <summary>See <see cref="Tensor.Flip"/> (<c>torch.flip</c>).</summary>
    public static Tensor Flip(Tensor input, params ReadOnlySpan<long> dims) => input.Flip(dims);
    /// <summary>See <see cref="Tensor.Roll(long)"/> (<c>torch.roll(input, shifts)</c>).</summary>
    public static Tensor Roll(Tensor input, long shifts) => input.Roll(shifts);
    /// <summary>See <see cref="Tensor.Roll(long, int)"/> (<c>torch.roll(input, shifts, dim)</c>).</summary>
    public static Tensor Roll(Tensor input, long shifts, int dim) => input.Roll(shifts, dim);
    /// <summary>See <see cref="Tensor.Roll(ReadOnlySpan{long}, ReadOnlySpan{long})"/> (<c>torch.roll(input, shifts, dims)</c>).</summary>
    public static Tensor Roll(Tensor input, ReadOnlySpan<long> shifts, ReadOnlySpan<long> dims) => input.Roll(shifts, dims);
    /// <summary>See <see cref="Tensor.Split(long, int)"/> (<c>torch.split</c>).</summary>
    public static Tensor[] Split(Tensor input, long splitSize, int dim = 0) => input.Split(splitSize, dim);
    /// <summary>See <see cref="Tensor.Split(ReadOnlySpan{long}, int)"/> (<c>torch.split</c> with a list of sizes).</summary>
    public static Tensor[] Split(Tensor input, ReadOnlySpan<long> sizes, int dim = 0) => input.Split(sizes, dim);
    /// <summary>See <see cref="Tensor.Chunk"/> (<c>torch.chunk</c>).</summary>
    public static Tensor[] Chunk(Tensor input, long chunks, int dim = 0) => input.Chunk(chunks, dim);
}
