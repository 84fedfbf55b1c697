using Composer;

namespace Composer.Samples.Probes;

/// <summary>Additive (Bahdanau) attention: softmax over wᵀ tanh(q + k) instead of scaled dot products (MIXERS.md §1).</summary>
[LanguageModel(Vocabulary = 256, Width = 64, Depth = 2, FeedForward = 128, MaxLength = 128)]
[ScoredAttention(Heads = 4, Score = AttentionScore.Additive)]
public partial class AdditiveAttentionProbe;
