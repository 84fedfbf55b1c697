using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Composer.Training;

/// <summary>Clipping of gradients by their global norm (<c>torch.nn.utils.clip_grad_norm_</c>).</summary>
public static class GradientClipping
{
    /// <summary>
    /// The L2 norm of all gradients together, as if concatenated into one vector; when
    /// <paramref name="maxNorm"/> is positive, every gradient is also scaled in place by
    /// min(1, maxNorm / (norm + 1e-6)). Parameters without a gradient are skipped. Returns the norm before
    /// clipping, NaN or infinity when a gradient is not finite. Leaves no tensor behind.
    /// </summary>
    /// <remarks>
    /// Clipping is libtorch's own <c>clip_grad_norm_</c>, one call for all parameters: the norms, the
    /// coefficient and the scaling never surface as TorchSharp tensors. Like PyTorch's (with
    /// <c>error_if_nonfinite=False</c>), it scales the gradients even when the norm is not finite, by a
    /// NaN or zero coefficient: check the returned norm before using them, as <see cref="Trainer"/> does
    /// (it then drops the update).
    /// </remarks>
    /// <param name="parameters">The parameters whose gradients are measured.</param>
    /// <param name="maxNorm">The largest norm allowed; 0 or less only measures, leaving the gradients as they are.</param>
    public static double ClipGradNorm(IEnumerable<Parameter> parameters, double maxNorm)
    {
        if (maxNorm > 0) return nn.utils.clip_grad_norm_(parameters, maxNorm);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var norms = parameters.Select(p => p.grad).OfType<Tensor>().Select(g => g.norm()).ToArray();
        return norms.Length == 0 ? 0 : stack(norms).norm().ToDouble();
    }
}
