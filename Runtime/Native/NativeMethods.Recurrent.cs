using System.Runtime.InteropServices;

namespace Composer.Native;

// recurrent.cpp
internal static unsafe partial class NativeMethods
{
    [DllImport(Lib)] internal static extern int cmp_lstm(nint input, nint h0, nint c0, nint* weights, int count, int hasBiases, long numLayers, double dropout, int train, int bidirectional, int batchFirst, nint* output, int capacity);
    [DllImport(Lib)] internal static extern int cmp_gru(nint input, nint h0, nint* weights, int count, int hasBiases, long numLayers, double dropout, int train, int bidirectional, int batchFirst, nint* output, int capacity);
}
