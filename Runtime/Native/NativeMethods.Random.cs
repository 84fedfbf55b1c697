using System.Runtime.InteropServices;

namespace Composer.Native;

// random.cpp
internal static partial class NativeMethods
{
    [DllImport(Lib)] internal static extern int cmp_manual_seed(ulong seed);
    [DllImport(Lib)] internal static extern nint cmp_get_rng_state(int deviceType, int deviceIndex);
    [DllImport(Lib)] internal static extern int cmp_set_rng_state(int deviceType, int deviceIndex, nint state);
}
