using System.Runtime.InteropServices;
using Composer.Tensors;

namespace Composer.Native;

// ops_shape.cpp
internal static unsafe partial class NativeMethods
{
    [DllImport(Lib)] internal static extern nint cmp_view(nint a, long* dims, int ndim);
    [DllImport(Lib)] internal static extern nint cmp_reshape(nint a, long* dims, int ndim);
    [DllImport(Lib)] internal static extern nint cmp_permute(nint a, long* dims, int ndim);
    [DllImport(Lib)] internal static extern nint cmp_transpose(nint a, long dim0, long dim1);
    [DllImport(Lib)] internal static extern nint cmp_contiguous(nint a);
    [DllImport(Lib)] internal static extern nint cmp_unsqueeze(nint a, long dim);
    [DllImport(Lib)] internal static extern nint cmp_squeeze(nint a);
    [DllImport(Lib)] internal static extern nint cmp_squeeze_dim(nint a, long dim);
    [DllImport(Lib)] internal static extern nint cmp_expand(nint a, long* dims, int ndim);
    [DllImport(Lib)] internal static extern nint cmp_expand_as(nint a, nint other);
    [DllImport(Lib)] internal static extern nint cmp_flatten(nint a, long startDim, long endDim);
    [DllImport(Lib)] internal static extern nint cmp_narrow(nint a, long dim, long start, long length);
    [DllImport(Lib)] internal static extern nint cmp_select(nint a, long dim, long index);

    [DllImport(Lib)] internal static extern nint cmp_clone(nint a);
    [DllImport(Lib)] internal static extern nint cmp_repeat(nint a, long* repeats, int n);
    [DllImport(Lib)] internal static extern nint cmp_flip(nint a, long* dims, int ndim);
    [DllImport(Lib)] internal static extern nint cmp_roll(nint a, long* shifts, int nshifts, long* dims, int ndims);

    [DllImport(Lib)] internal static extern nint cmp_cat(nint* tensors, int count, long dim);
    [DllImport(Lib)] internal static extern nint cmp_stack(nint* tensors, int count, long dim);
    [DllImport(Lib)] internal static extern int cmp_split(nint a, long splitSize, long dim, nint* output, int capacity);
    [DllImport(Lib)] internal static extern int cmp_split_sizes(nint a, long* sizes, int count, long dim, nint* output, int capacity);
    [DllImport(Lib)] internal static extern int cmp_chunk(nint a, long chunks, long dim, nint* output, int capacity);

    [DllImport(Lib)] internal static extern nint cmp_index_select(nint a, long dim, nint index);
    [DllImport(Lib)] internal static extern nint cmp_gather(nint a, long dim, nint index);
    [DllImport(Lib)] internal static extern nint cmp_scatter(nint a, long dim, nint index, nint source);
    [DllImport(Lib)] internal static extern nint cmp_scatter_value(nint a, long dim, nint index, Scalar value);
    [DllImport(Lib)] internal static extern nint cmp_scatter_add(nint a, long dim, nint index, nint source);
    [DllImport(Lib)] internal static extern int cmp_scatter_(nint a, long dim, nint index, nint source);
    [DllImport(Lib)] internal static extern int cmp_scatter_value_(nint a, long dim, nint index, Scalar value);
    [DllImport(Lib)] internal static extern int cmp_scatter_add_(nint a, long dim, nint index, nint source);
    [DllImport(Lib)] internal static extern nint cmp_masked_select(nint a, nint mask);
}
