namespace Composer.Mixers;

/// <summary>Options of <see cref="LinearCrossAttention"/>; the heads come from the <see cref="MixerContext"/>.</summary>
/// <param name="FeatureMap">The non-negative feature map φ: elu(x) + 1 (the paper's) or relu(x) + ε.</param>
/// <param name="Epsilon">Added to the normaliser φ(q)·Σφ(k) so it never divides by zero (and the ε of relu(x) + ε).</param>
public sealed record LinearCrossAttentionOptions(FeatureMap FeatureMap = FeatureMap.Elu, double Epsilon = 1e-6);
