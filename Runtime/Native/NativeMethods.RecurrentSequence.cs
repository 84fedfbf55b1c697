using System.Runtime.InteropServices;

namespace Composer.Native;

// recurrent_sequence.cpp
internal static unsafe partial class NativeMethods
{
    [DllImport(Lib)] internal static extern nint cmp_recurrent_sequence(int cell, nint input, nint h0, nint c0, nint wIh, nint wHh, nint bIh, nint bHh);
}
