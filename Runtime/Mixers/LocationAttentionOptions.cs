namespace Composer.Mixers;

/// <summary>Options of <see cref="LocationAttention"/>.</summary>
/// <param name="Distribution">The distribution function g: softmax, sigmoid or sparsemax.</param>
public sealed record LocationAttentionOptions(AttentionDistribution Distribution = AttentionDistribution.Softmax);
