namespace Composer.Mixers;

/// <summary>Options of <see cref="LightweightConvolution"/>; heads, kernel width, causality and DropConnect come from the <see cref="MixerContext"/>.</summary>
/// <param name="Glu">Input projection C → 2C followed by a GLU (true), or a plain C → C projection (false).</param>
/// <param name="WeightSoftmax">Softmax-normalise each head's kernel over its K taps, as in the paper's recipe.</param>
public sealed record LightweightConvolutionOptions(bool Glu = true, bool WeightSoftmax = true);
