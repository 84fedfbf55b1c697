using Composer;

namespace Composer.Samples.Probes;

/// <summary>Softmax self-attention: the baseline the others replace.</summary>
[LanguageModel(Vocabulary = 256, Width = 64, Depth = 2, FeedForward = 128, MaxLength = 128)]
[SelfAttention(Heads = 4)]
public partial class AttentionProbe;
