using System.Runtime.InteropServices;
using Composer.Tensors;

namespace Composer.Native;

// ops_linalg.cpp
internal static unsafe partial class NativeMethods
{
    [DllImport(Lib)] internal static extern nint cmp_matmul(nint a, nint b);
    [DllImport(Lib)] internal static extern nint cmp_mm(nint a, nint b);
    [DllImport(Lib)] internal static extern nint cmp_bmm(nint a, nint b);
    [DllImport(Lib)] internal static extern nint cmp_baddbmm(nint input, nint batch1, nint batch2, Scalar beta, Scalar alpha);
    [DllImport(Lib)] internal static extern nint cmp_einsum(byte* equation, nint* operands, int count);
}
