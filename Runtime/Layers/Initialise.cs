using System;
using Composer.Loading;
using TorchSharp;
using static TorchSharp.torch;

namespace Composer.Layers;

/// <summary>
/// Parameter initialisers (the <c>torch.nn.init</c> ones the layers use), drawing from libtorch's seeded
/// generator. The first one called makes sure libtorch loads, with a clear message when it cannot.
/// </summary>
public static class Initialise
{
    /// <summary>U(−bound, bound).</summary>
    public static Tensor Uniform(ModuleContext context, long[] shape, double bound)
    {
        TorchLoading.EnsureLoaded();
        return torch.empty(shape, context.DType, context.Device).uniform_(-bound, bound);
    }

    /// <summary>N(0, std²).</summary>
    public static Tensor Normal(ModuleContext context, long[] shape, double std)
    {
        TorchLoading.EnsureLoaded();
        return torch.empty(shape, context.DType, context.Device).normal_(0.0, std);
    }

    /// <summary>A tensor of zeros.</summary>
    public static Tensor Zeros(ModuleContext context, long[] shape)
    {
        TorchLoading.EnsureLoaded();
        return torch.zeros(shape, context.DType, context.Device);
    }

    /// <summary>A tensor of ones.</summary>
    public static Tensor Ones(ModuleContext context, long[] shape)
    {
        TorchLoading.EnsureLoaded();
        return torch.ones(shape, context.DType, context.Device);
    }
}
