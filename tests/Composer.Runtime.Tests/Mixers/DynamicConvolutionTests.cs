using Composer.Mixers;

namespace Composer.Tests.Mixers;

/// <summary>Dynamic convolution: kernels predicted per position by <c>kernel_proj</c>.</summary>
public sealed class DynamicConvolutionTests : ConvolutionMixerTests<DynamicConvolution>
{
    protected override string Prefix => "dynamicconv";

    protected override string[] ParameterNames => ["in_proj.weight", "in_proj.bias", "kernel_proj.weight", "out_proj.weight", "out_proj.bias"];

    protected override DynamicConvolution Construct(MixerContext context, bool glu, bool weightSoftmax) =>
        new(context, new DynamicConvolutionOptions(glu, weightSoftmax));
}
