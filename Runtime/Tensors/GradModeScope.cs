using System;
using Composer.Native;

namespace Composer.Tensors;

/// <summary>Sets autograd on or off for this thread and restores the previous mode when disposed (see <see cref="Torch.NoGrad"/>).</summary>
public readonly struct GradModeScope : IDisposable
{
    private readonly bool _previous;

    internal GradModeScope(bool enabled)
    {
        _previous = NativeMethods.cmp_grad_enabled() != 0;
        NativeMethods.cmp_set_grad_enabled(enabled ? 1 : 0);
    }

    /// <summary>Restores the mode that was active when the scope was opened.</summary>
    public void Dispose() => NativeMethods.cmp_set_grad_enabled(_previous ? 1 : 0);
}
