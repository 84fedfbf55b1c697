using Composer;

namespace Composer.Samples;

/// <summary>
/// Mixer choice per layer: cheap lightweight convolutions in the four lower layers, softmax
/// attention in the two upper ones.
/// </summary>
[LanguageModel(Vocabulary = 256, Width = 256, Depth = 6, MaxLength = 1024)]
[LightweightConvolution(Layers = "0..4", Heads = 8, Kernels = new[] { 3, 7, 15, 31 })]
[SelfAttention(Layers = "4..", Heads = 8)]
public partial class HybridLm;
