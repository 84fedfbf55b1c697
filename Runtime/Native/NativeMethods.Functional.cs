using System.Runtime.InteropServices;

namespace Composer.Native;

// nn_functional.cpp
internal static unsafe partial class NativeMethods
{
    [DllImport(Lib)] internal static extern nint cmp_linear(nint input, nint weight, nint bias);
    [DllImport(Lib)] internal static extern nint cmp_conv1d(nint input, nint weight, nint bias, long stride, long padding, long dilation, long groups);
    [DllImport(Lib)] internal static extern nint cmp_conv1d_padding_mode(nint input, nint weight, nint bias, long stride, int padding, long dilation, long groups);
    [DllImport(Lib)] internal static extern nint cmp_unfold(nint a, long dim, long size, long step);
    [DllImport(Lib)] internal static extern nint cmp_pad(nint a, long* pad, int count, int mode, double value);
    [DllImport(Lib)] internal static extern nint cmp_layer_norm(nint input, long* normalizedShape, int count, nint weight, nint bias, double eps);
    [DllImport(Lib)] internal static extern nint cmp_embedding(nint weight, nint indices, long paddingIdx);
    [DllImport(Lib)] internal static extern nint cmp_dropout(nint input, double p, int training);
    [DllImport(Lib)] internal static extern nint cmp_cross_entropy(nint input, nint target, nint weight, int reduction, long ignoreIndex, double labelSmoothing);
    [DllImport(Lib)] internal static extern nint cmp_nll_loss(nint input, nint target, nint weight, int reduction, long ignoreIndex);
}
