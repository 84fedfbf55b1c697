using System.Runtime.InteropServices;

namespace Composer.Native;

// depthwise_conv.cpp
internal static unsafe partial class NativeMethods
{
    [DllImport(Lib)] internal static extern nint cmp_depthwise_conv1d(nint input, nint weight);
}
