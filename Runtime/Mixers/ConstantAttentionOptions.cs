namespace Composer.Mixers;

/// <summary>Options of <see cref="ConstantAttention"/>: none beyond the context (heads, MaxLength, causal).</summary>
public sealed record ConstantAttentionOptions();
