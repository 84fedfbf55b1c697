using System.Collections.Generic;
using System.Linq;
using Composer.Tensors;

namespace Composer.Training;

/// <summary>Clipping of gradients by their global norm (<c>torch.nn.utils.clip_grad_norm_</c>).</summary>
public static class GradientClipping
{
    /// <summary>
    /// The L2 norm of all gradients together, as if concatenated into one vector; when
    /// <paramref name="maxNorm"/> is positive, every gradient is first scaled in place by
    /// min(1, maxNorm / (norm + 1e-6)), as PyTorch does. Parameters without a gradient are skipped.
    /// Returns the norm before clipping (NaN or infinity when a gradient is not finite; the gradients
    /// are then left as they are). Temporaries go to the current <see cref="TensorScope"/>.
    /// </summary>
    /// <param name="parameters">The parameters whose gradients are measured.</param>
    /// <param name="maxNorm">The largest norm allowed; 0 or less only measures.</param>
    public static double ClipGradNorm(IEnumerable<Tensor> parameters, double maxNorm)
    {
        using var scope = new TensorScope();
        using var noGrad = Torch.NoGrad();
        var grads = parameters.Select(p => p.Grad).OfType<Tensor>().ToArray();
        if (grads.Length == 0) return 0;
        var norms = new Tensor[grads.Length];
        for (int i = 0; i < grads.Length; i++) norms[i] = grads[i].Norm();
        var total = Torch.Stack(norms).Norm();
        double value = total.ToDouble();
        if (maxNorm > 0 && double.IsFinite(value))
        {
            // Scaling by a clamped tensor coefficient (times 1 when within bounds) mirrors PyTorch
            // exactly, so clipped gradients agree with it bit for bit.
            var coefficient = (maxNorm / (total + 1e-6)).ClampInPlace(max: 1.0);
            foreach (var g in grads) g.MulInPlace(coefficient);
        }
        return value;
    }
}
