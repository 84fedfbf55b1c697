using Composer;

namespace Composer.Samples.Probes;

/// <summary>
/// Softmax self-attention in four blocks: the model <c>./papa.sh</c> probes. Its 16 heads make every
/// fraction of the PAPA probe (MIXERS.md §7a: 0, ¼, ½, ¾, ⅞, 15⁄16, 1) a whole number of heads.
/// </summary>
[LanguageModel(Vocabulary = 256, Width = 64, Depth = 4, FeedForward = 128, MaxLength = 128)]
[SelfAttention(Heads = 4)]
public partial class DeepAttentionProbe;
