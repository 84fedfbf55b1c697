namespace Composer.Mixers;

/// <summary>Options of <see cref="SynthesizerAttention"/>.</summary>
/// <param name="Kind">How the attention logits are synthesised: a learned matrix (random) or predicted per token (dense).</param>
public sealed record SynthesizerAttentionOptions(SynthesizerKind Kind = SynthesizerKind.Random);
