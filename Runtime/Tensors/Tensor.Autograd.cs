using Composer.Native;

namespace Composer.Tensors;

// Autograd: requires_grad, backward, .grad, detach.
public sealed partial class Tensor
{
    /// <summary>Starts (or stops) recording operations on this leaf tensor (<c>requires_grad_</c>). Returns this.</summary>
    public Tensor RequiresGrad_(bool requires = true)
    {
        NativeMethods.Check(NativeMethods.cmp_requires_grad_(Handle, requires ? 1 : 0));
        return this;
    }

    /// <summary>Back-propagates from this tensor (<c>backward</c>). A non-scalar output needs <paramref name="gradient"/>.</summary>
    public void Backward(Tensor? gradient = null, bool retainGraph = false) =>
        NativeMethods.Check(NativeMethods.cmp_backward(Handle, gradient?.Handle ?? 0, retainGraph ? 1 : 0));

    /// <summary>
    /// The accumulated gradient (<c>.grad</c>) as a new owner of it, or null when backward has not reached
    /// this tensor. Updating it in place updates the gradient itself.
    /// </summary>
    public Tensor? Grad
    {
        get
        {
            var g = NativeMethods.cmp_grad(Handle);
            if (g == 0)
            {
                if (NativeMethods.cmp_last_error() != 0) NativeMethods.ThrowLastError();
                return null;
            }
            return Wrap(g);
        }
    }

    /// <summary>Forgets the gradient (<c>grad = None</c>): the cheapest reset before the next backward.</summary>
    public void ClearGrad() => NativeMethods.Check(NativeMethods.cmp_clear_grad(Handle));

    /// <summary>Sets the gradient to zero in place, keeping its memory (<c>grad.zero_()</c>).</summary>
    public void ZeroGrad() => NativeMethods.Check(NativeMethods.cmp_zero_grad(Handle));

    /// <summary>The same data without autograd history (<c>detach</c>).</summary>
    public Tensor Detach() => Wrap(NativeMethods.cmp_detach(Handle));

    /// <summary>Removes this tensor from the autograd graph in place (<c>detach_</c>). Returns this.</summary>
    public Tensor DetachInPlace()
    {
        NativeMethods.Check(NativeMethods.cmp_detach_(Handle));
        return this;
    }
}
