using Composer.Mixers;

namespace Composer.Tests.Mixers;

/// <summary>Lightweight convolution: kernels (H, K) shared by contiguous channel groups, a parameter named <c>weight</c>.</summary>
public sealed class LightweightConvolutionTests : ConvolutionMixerTests<LightweightConvolution>
{
    protected override string Prefix => "lightconv";

    protected override string[] ParameterNames => ["weight", "in_proj.weight", "in_proj.bias", "out_proj.weight", "out_proj.bias"];

    protected override LightweightConvolution Construct(MixerContext context, bool glu, bool weightSoftmax) =>
        new(context, new LightweightConvolutionOptions(glu, weightSoftmax));
}
