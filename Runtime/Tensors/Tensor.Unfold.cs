using Composer.Native;

namespace Composer.Tensors;

// Sliding windows as a view (Tensor.unfold).
public sealed partial class Tensor
{
    /// <summary>
    /// A view of every window of <paramref name="size"/> elements along <paramref name="dim"/>, taken
    /// every <paramref name="step"/> elements (<c>Tensor.unfold</c>): that dimension becomes the window
    /// count <c>(length − size) / step + 1</c> and a new last dimension of <paramref name="size"/> holds each
    /// window. Shares memory with this tensor; no data is copied.
    /// </summary>
    public Tensor Unfold(int dim, long size, long step) => Wrap(NativeMethods.cmp_unfold(Handle, dim, size, step));
}
