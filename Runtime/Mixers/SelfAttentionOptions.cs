namespace Composer.Mixers;

/// <summary>Options of <see cref="SelfAttention"/>: none beyond the <see cref="MixerContext"/> (heads, causal, attention dropout).</summary>
public sealed record SelfAttentionOptions;
