namespace Composer.Mixers;

/// <summary>Options of <see cref="DynamicConvolution"/>; heads, kernel width, causality and DropConnect come from the <see cref="MixerContext"/>.</summary>
/// <param name="Glu">Input projection C → 2C followed by a GLU (true), or a plain C → C projection (false).</param>
/// <param name="WeightSoftmax">Softmax-normalise each predicted kernel over its K taps; dynamic kernels are not known to train without it.</param>
public sealed record DynamicConvolutionOptions(bool Glu = true, bool WeightSoftmax = true);
