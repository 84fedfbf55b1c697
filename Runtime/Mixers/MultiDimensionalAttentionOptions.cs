namespace Composer.Mixers;

/// <summary>Options of <see cref="MultiDimensionalAttention"/>: none beyond the <see cref="MixerContext"/> (causal, attention dropout).</summary>
public sealed record MultiDimensionalAttentionOptions;
