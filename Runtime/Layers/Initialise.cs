using System;
using Composer.Tensors;

namespace Composer.Layers;

/// <summary>Parameter initialisers (the <c>torch.nn.init</c> ones the layers use), drawing from libtorch's seeded generator.</summary>
public static class Initialise
{
    /// <summary>U(−bound, bound).</summary>
    public static Tensor Uniform(ModuleContext context, ReadOnlySpan<long> shape, double bound)
    {
        using var scope = new TensorScope();
        var u = Torch.Rand(shape, context.DType, context.Device);
        return scope.Escape(u.MulInPlace(2 * bound).AddInPlace(-bound));
    }

    /// <summary>N(0, std²).</summary>
    public static Tensor Normal(ModuleContext context, ReadOnlySpan<long> shape, double std)
    {
        var n = Torch.Randn(shape, context.DType, context.Device);
        return n.MulInPlace(std);
    }

    /// <summary>A tensor of zeros.</summary>
    public static Tensor Zeros(ModuleContext context, ReadOnlySpan<long> shape) => Torch.Zeros(shape, context.DType, context.Device);

    /// <summary>A tensor of ones.</summary>
    public static Tensor Ones(ModuleContext context, ReadOnlySpan<long> shape) => Torch.Ones(shape, context.DType, context.Device);
}
