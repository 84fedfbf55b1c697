using System;

namespace Composer
{
    /// <summary>
    /// Multi-head attention with a chosen score function and distribution function (MIXERS.md §1, the
    /// attention review's a_i = g(f(q, k_i)), c = Σ_i a_i v_i): additive (Bahdanau), general/bilinear,
    /// dot or scaled-dot (Luong, Vaswani) or location-based scores, weighted by softmax, sigmoid or
    /// sparsemax. Causal in a decoder; alignment-free, so it can also be the decoder's cross mixer
    /// (<see cref="TokenMixerAttribute.Cross"/>), except with <see cref="AttentionScore.Location"/>, whose
    /// logits are indexed by position.
    /// </summary>
    /// <example>
    /// <code>
    /// [LanguageModel(Vocabulary = 256, Width = 128, Depth = 2)]
    /// [ScoredAttention(Score = AttentionScore.Additive, Distribution = AttentionDistribution.Sigmoid, Heads = 4)]
    /// public partial class BahdanauLm;
    /// </code>
    /// </example>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
    public sealed class ScoredAttentionAttribute : TokenMixerAttribute
    {
        /// <summary>Number of attention heads; Width must be divisible by it. Default 8.</summary>
        public int Heads { get; set; } = 8;

        /// <summary>The score function f(q, k). Default <see cref="AttentionScore.Additive"/>.</summary>
        public AttentionScore Score { get; set; } = AttentionScore.Additive;

        /// <summary>The distribution function g over the keys. Default <see cref="AttentionDistribution.Softmax"/>.</summary>
        public AttentionDistribution Distribution { get; set; } = AttentionDistribution.Softmax;
    }
}
