using System.Runtime.InteropServices;

namespace Composer.Native;

// checkpoint_io.cpp
internal static unsafe partial class NativeMethods
{
    [DllImport(Lib)] internal static extern nint cmp_contiguous_cpu(nint h);
    [DllImport(Lib)] internal static extern int cmp_data_ptr(nint h, void** output);
}
