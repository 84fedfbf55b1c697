using Composer;

namespace Composer.Samples.Probes;

/// <summary>Linear attention with the elu+1 feature map: O(T), a constant-size decoding state.</summary>
[LanguageModel(Vocabulary = 256, Width = 64, Depth = 2, FeedForward = 128, MaxLength = 128)]
[LinearAttention(Heads = 4)]
public partial class LinearAttentionProbe;
