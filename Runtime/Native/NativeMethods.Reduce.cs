using System.Runtime.InteropServices;

namespace Composer.Native;

// ops_reduce.cpp. ndim < 0 means "all elements"; dtype -1 means "none".
internal static unsafe partial class NativeMethods
{
    [DllImport(Lib)] internal static extern nint cmp_sum(nint a, long* dims, int ndim, int keepdim, int dtype);
    [DllImport(Lib)] internal static extern nint cmp_mean(nint a, long* dims, int ndim, int keepdim);
    [DllImport(Lib)] internal static extern nint cmp_cumsum(nint a, long dim, int dtype);
    [DllImport(Lib)] internal static extern nint cmp_logsumexp(nint a, long* dims, int ndim, int keepdim);
    [DllImport(Lib)] internal static extern nint cmp_max_all(nint a);
    [DllImport(Lib)] internal static extern nint cmp_min_all(nint a);
    [DllImport(Lib)] internal static extern int cmp_max_dim(nint a, long dim, int keepdim, nint* values, nint* indices);
    [DllImport(Lib)] internal static extern int cmp_min_dim(nint a, long dim, int keepdim, nint* values, nint* indices);
    [DllImport(Lib)] internal static extern nint cmp_argmax(nint a, long dim, int hasDim, int keepdim);
    [DllImport(Lib)] internal static extern nint cmp_argmin(nint a, long dim, int hasDim, int keepdim);
    [DllImport(Lib)] internal static extern nint cmp_norm(nint a, double p, long* dims, int ndim, int keepdim);
    [DllImport(Lib)] internal static extern nint cmp_var(nint a, long* dims, int ndim, long correction, int keepdim);
    [DllImport(Lib)] internal static extern nint cmp_softmax(nint a, long dim, int dtype);
    [DllImport(Lib)] internal static extern nint cmp_log_softmax(nint a, long dim, int dtype);
    [DllImport(Lib)] internal static extern int cmp_topk(nint a, long k, long dim, int largest, int sorted, nint* values, nint* indices);
    [DllImport(Lib)] internal static extern int cmp_sort(nint a, long dim, int descending, int stable, nint* values, nint* indices);
}
