using Composer;

namespace Composer.Bench.Memory;

// One language model at two depths, with and without reversible blocks: softmax attention, C = 64, 4 heads,
// feed-forward 256, residual dropout 0.1 (so the reversible runs replay dropout in their backward pass).
// Narrow and long on purpose: activations, which grow with depth, dwarf the parameters, which grow too.

/// <summary>Depth 3, ordinary residual layers.</summary>
[LanguageModel(Vocabulary = 256, Width = 64, FeedForward = 256, Depth = 3, MaxLength = 512)]
[SelfAttention(Heads = 4)]
public partial class PlainLm3;

/// <summary>Depth 12, ordinary residual layers.</summary>
[LanguageModel(Vocabulary = 256, Width = 64, FeedForward = 256, Depth = 12, MaxLength = 512)]
[SelfAttention(Heads = 4)]
public partial class PlainLm12;

/// <summary>Depth 3, reversible.</summary>
[LanguageModel(Vocabulary = 256, Width = 64, FeedForward = 256, Depth = 3, MaxLength = 512, Reversible = true)]
[SelfAttention(Heads = 4)]
public partial class ReversibleLm3;

/// <summary>Depth 12, reversible.</summary>
[LanguageModel(Vocabulary = 256, Width = 64, FeedForward = 256, Depth = 12, MaxLength = 512, Reversible = true)]
[SelfAttention(Heads = 4)]
public partial class ReversibleLm12;
