namespace Composer.Mixers;

/// <summary>Options of <see cref="TaylorCrossAttention"/>; the heads come from the <see cref="MixerContext"/>.</summary>
/// <param name="Epsilon">Added to the normaliser, which reaches 0 only when every key is antipodal to the query.</param>
public sealed record TaylorCrossAttentionOptions(double Epsilon = 1e-6);
