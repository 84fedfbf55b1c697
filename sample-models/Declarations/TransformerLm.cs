using Composer;

namespace Composer.Samples;

/// <summary>
/// The baseline every other mixer is measured against: a decoder-only Transformer with softmax
/// self-attention in every layer (MIXERS.md §0).
/// </summary>
[LanguageModel(Vocabulary = 256, Width = 512, Depth = 6, MaxLength = 1024, TieEmbeddings = true)]
[SelfAttention(Heads = 8)]
public partial class TransformerLm;
