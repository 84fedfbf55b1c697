using Composer;

namespace Composer.Samples.Probes;

/// <summary>Dynamic convolution, kernels 15 and 31: kernels predicted per token.</summary>
[LanguageModel(Vocabulary = 256, Width = 64, Depth = 2, FeedForward = 128, MaxLength = 128)]
[DynamicConvolution(Heads = 4, Kernels = new[] { 15, 31 })]
public partial class DynamicConvProbe;
