using System.Runtime.InteropServices;

namespace Composer.Native;

// sparsemax.cpp
internal static partial class NativeMethods
{
    [DllImport(Lib)] internal static extern nint cmp_sparsemax(nint input, long dim);
}
