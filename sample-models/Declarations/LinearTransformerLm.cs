using Composer;

namespace Composer.Samples;

/// <summary>
/// Decoder-only linear Transformer: attention with the feature map elu(x) + 1, causal by prefix
/// sums and decoded with a constant-size state (MIXERS.md §4).
/// </summary>
[LanguageModel(Vocabulary = 256, Width = 512, Depth = 6, MaxLength = 1024)]
[LinearAttention(Heads = 8, FeatureMap = FeatureMap.Elu)]
public partial class LinearTransformerLm;
