namespace Composer.Mixers;

/// <summary>Options of <see cref="ScoredCrossAttention"/>.</summary>
/// <param name="Score">The score function f(q, k): additive, general, dot or scaled dot.</param>
/// <param name="Distribution">The distribution function g: softmax, sigmoid or sparsemax.</param>
public sealed record ScoredCrossAttentionOptions(AttentionScore Score = AttentionScore.Additive, AttentionDistribution Distribution = AttentionDistribution.Softmax);
