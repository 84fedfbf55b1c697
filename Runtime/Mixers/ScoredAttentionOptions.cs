namespace Composer.Mixers;

/// <summary>Options of <see cref="ScoredAttention"/>.</summary>
/// <param name="Score">The score function f(q, k): additive, general, dot or scaled dot (the location-based score is <see cref="LocationAttention"/>).</param>
/// <param name="Distribution">The distribution function g: softmax, sigmoid or sparsemax.</param>
public sealed record ScoredAttentionOptions(AttentionScore Score = AttentionScore.Additive, AttentionDistribution Distribution = AttentionDistribution.Softmax);
