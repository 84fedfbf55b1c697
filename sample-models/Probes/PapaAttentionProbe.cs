using Composer;

namespace Composer.Samples.Probes;

/// <summary>
/// Softmax self-attention in two blocks of eight heads: the model <c>./papa.sh</c> probes. Its 16 heads
/// make every fraction of the PAPA probe (MIXERS.md §7a: 0, ¼, ½, ¾, ⅞, 15⁄16, 1) a whole number of heads,
/// at the cost of AttentionProbe (the same width, depth and feed-forward; heads of 8 channels instead of 16).
/// </summary>
[LanguageModel(Vocabulary = 256, Width = 64, Depth = 2, FeedForward = 128, MaxLength = 128)]
[SelfAttention(Heads = 8)]
public partial class PapaAttentionProbe;
